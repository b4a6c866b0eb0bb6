import { describe, expect, it } from 'vitest'
import { DEFAULT_SHAPE } from '#test-support/synthetic/synthetic-account.ts'
import type { FloorChildResult } from '../floor-child.ts'
import type { CliRun } from '../lib/cli-run.ts'
import type { PeerComparison } from '../lib/peer-compare.ts'
import {
  type CliMeasurement,
  checkShapeTargets,
  disagreementsByNamespace,
  endToEndRatio,
  perPrincipalGrowth,
  renderFloor,
  renderIndented,
  renderPhases,
  renderShapeTargets,
  type ShapeResult,
  summarizeCliRuns,
  summarizeFloor,
  summarizePhases,
} from '../lib/shape-report.ts'
import type { DocumentsChildResult, PhasesChildResult } from '../phases-child.ts'

const run = (wallMs: number, peakRssMb = 100, cpuMs = wallMs): CliRun => ({
  wallMs,
  userCpuMs: cpuMs * 0.75,
  systemCpuMs: cpuMs * 0.25,
  peakRssMb,
  reportBytes: 2 * 1_048_576,
  exitCode: 1,
})

const point = (size: number, wallMs: number, peakRssMb = 100): CliMeasurement =>
  summarizeCliRuns(size, size * 1000, 0, [run(wallMs, peakRssMb)])

function peer(overrides: Partial<PeerComparison> = {}): PeerComparison {
  return {
    principals: 200,
    actions: 52,
    questions: 10_400,
    agreements: 10_000,
    conditional: { total: 400, peerAllowed: 0, peerDenied: 400 },
    peerErrors: 0,
    peerErrorExamples: [],
    disagreements: [],
    oursRunsMs: [4],
    oursMedianMs: 4,
    oursBestMs: 4,
    peerTotalMs: 624,
    oursPerQuestionUs: 0.4,
    peerPerQuestionUs: 60,
    speedup: 150,
    ...overrides,
  }
}

function result(
  cli: CliMeasurement,
  scaling: readonly CliMeasurement[],
  endToEnd: number,
  peerResult = peer(),
) {
  const shape: ShapeResult = {
    name: 'baseline',
    summary: 'the default shape',
    shape: DEFAULT_SHAPE,
    counts: {
      roles: 8400,
      users: 3600,
      customerPolicies: 1000,
      groups: 126,
      inlinePerPrincipal: 0.75,
      managedPerPrincipal: 1.3,
      groupsPerUser: 1.6,
      boundedShare: 0.16,
    },
    cli,
    inProcess: { runs: [], bestMs: 600, medianMs: 650, peakRssMb: 190 },
    peer: peerResult,
    peerAccountSize: 1000,
    ratios: { inProcess: peerResult.speedup, endToEnd },
    scaling,
    growth: perPrincipalGrowth(scaling, cli.size),
  }
  return shape
}

describe('endToEndRatio', () => {
  it('is the peer’s time for every question of the report over the CLI’s wall time', () => {
    // 60 µs × 12,000 principals × 52 actions = 37.44 s, against 1.248 s.
    expect(endToEndRatio(60, 12_000, 52, 1248)).toBeCloseTo(30, 6)
    expect(endToEndRatio(60, 12_000, 52, 374.4)).toBeCloseTo(100, 6)
    // Twice the principals in the same time: twice the ratio.
    expect(endToEndRatio(60, 24_000, 52, 1248)).toBeCloseTo(60, 6)
  })
})

describe('summarizeCliRuns', () => {
  it('takes the fastest run’s wall and CPU, the medians, the highest RSS and µs per principal', () => {
    const summary = summarizeCliRuns(12_000, 11 * 1_048_576, 300, [
      run(1500, 380, 1900),
      run(1200, 400, 1700),
      run(1300, 390),
    ])
    expect(summary.bestWallMs).toBe(1200)
    expect(summary.medianWallMs).toBe(1300)
    expect(summary.bestCpuMs).toBeCloseTo(1700, 6)
    expect(summary.medianCpuMs).toBeCloseTo(1700, 6)
    expect(summary.peakRssMb).toBe(400)
    expect(summary.exportMb).toBeCloseTo(11, 6)
    expect(summary.reportMb).toBeCloseTo(2, 6)
    expect(summary.perPrincipalUs).toBeCloseTo(100, 6)
    expect(() => summarizeCliRuns(1, 1, 0, [])).toThrow()
  })
})

describe('perPrincipalGrowth', () => {
  it('compares µs per principal at the largest size with the reference size', () => {
    const points = [point(1000, 200), point(12_000, 1200), point(50_000, 6000)]
    // 120 µs per principal at 50k against 100 at 12k.
    expect(perPrincipalGrowth(points, 12_000)).toBeCloseTo(1.2, 6)
    expect(perPrincipalGrowth([point(1000, 200), point(12_000, 1200)], 12_000)).toBe(1)
    expect(perPrincipalGrowth([point(1000, 200)], 12_000)).toBeNull()
    expect(perPrincipalGrowth([], 12_000)).toBeNull()
  })
})

describe('checkShapeTargets', () => {
  it('says yes or NO for each target and n/a for a size not run', () => {
    const fast = point(12_000, 450, 140)
    const met = checkShapeTargets(result(fast, [point(1000, 50), fast, point(50_000, 2400, 590)], 120))
    expect(met.checks.map((check) => check.met)).toEqual([true, true, true, true, true, true])

    const slow = point(12_000, 1300, 400)
    const missed = checkShapeTargets(
      result(
        slow,
        [slow],
        40,
        peer({
          disagreements: [
            {
              principalArn: 'arn',
              action: 'support-console:x',
              ours: 'allow',
              peer: 'ImplicitlyDenied',
              policies: '',
            },
          ],
        }),
      ),
    )
    expect(missed.checks.map((check) => check.met)).toEqual([false, false, false, false, null, null])
    expect(missed.checks[0]?.actual).toBe('1300 ms')
    expect(missed.checks[3]?.actual).toBe('1')
    expect(renderShapeTargets([missed])[2]).toContain('1300 ms NO')
    expect(renderShapeTargets([missed])[2]).toContain('50000 not run n/a')
  })

  it('counts peer errors as disagreements and leaves 12k targets n/a at another matrix size', () => {
    const small = point(5000, 100, 50)
    const checks = checkShapeTargets(result(small, [], 500, peer({ peerErrors: 2 }))).checks
    expect(checks.map((check) => check.met)).toEqual([null, null, true, false, null, null])
  })
})

describe('disagreementsByNamespace', () => {
  it('counts support: and support-console: disagreements apart', () => {
    const entry = (action: string) => ({
      principalArn: 'a',
      action,
      ours: 'allow' as const,
      peer: 'ImplicitlyDenied' as const,
      policies: '',
    })
    expect(
      disagreementsByNamespace(
        peer({ disagreements: [entry('support:A'), entry('support-console:B'), entry('support-console:C')] }),
      ),
    ).toEqual({ support: 1, 'support-console': 2 })
  })
})

describe('renderIndented', () => {
  it('puts the indented export’s wall and RSS next to the compact one’s, with their ratio', () => {
    const compact = summarizeCliRuns(12_000, 11 * 1_048_576, 0, [run(800, 140)])
    const indented = summarizeCliRuns(12_000, 33 * 1_048_576, 0, [run(1000, 170), run(1100, 180)])
    const lines = renderIndented([{ ...result(compact, [compact], 50), indented }])
    expect(lines[2]).toBe('| baseline | 11.0 / 33.0 | 800 / 1000 | 1.25× | 140 / 180 |')
    expect(renderIndented([result(compact, [compact], 50)])).toEqual(['not measured'])
  })
})

describe('the floor', () => {
  const floorRun = (parts: Partial<FloorChildResult>): FloorChildResult => ({
    startMs: 40,
    readMs: 10,
    parseMs: 60,
    serializeMs: 120,
    writeMs: 70,
    exportBytes: 11 * 1_048_576,
    reportBytes: 42 * 1_048_576,
    matchesReport: true,
    ...parts,
  })

  it('takes every part from the run with the least in all, not the least of each part', () => {
    const slowStart = floorRun({ startMs: 90, parseMs: 50 })
    const fastest = floorRun({ serializeMs: 100 })
    const floor = summarizeFloor([slowStart, fastest, floorRun({ writeMs: 95 })])
    expect(floor).toMatchObject({ startMs: 40, parseMs: 60, serializeMs: 100, writeMs: 70, totalMs: 280 })
    expect(floor.runs).toHaveLength(3)
    expect(() => summarizeFloor([])).toThrow('no floor run')
  })

  it('puts each part next to the CLI’s best wall time, with their ratio', () => {
    const cli = summarizeCliRuns(12_000, 11 * 1_048_576, 0, [run(600)])
    const floor = summarizeFloor([floorRun({})])
    const lines = renderFloor([{ ...result(cli, [cli], 50), floor }])
    expect(lines[2]).toBe('| baseline | 40.0 | 10.0 | 60.0 | 120 | 70.0 | 300 | 600 | 2.00× |')
    expect(renderFloor([result(cli, [cli], 50)])).toEqual(['not measured'])
  })
})

describe('where the time goes', () => {
  const phasesRun = (parts: Partial<PhasesChildResult>): PhasesChildResult => ({
    startMs: 80,
    readMs: 140,
    snapshotMs: 20,
    compileMs: 70,
    evaluateMs: 10,
    postureMs: 90,
    accessMs: 5,
    writeMs: 75,
    principals: 12_000,
    findings: 9_000,
    ...parts,
  })
  const documentsRun = (documentsMs: number): DocumentsChildResult => ({
    identity: 5_000,
    trust: 22,
    documentsMs,
  })

  it('takes the median of each part over the runs, and sums the medians', () => {
    const phases = summarizePhases(
      [phasesRun({ readMs: 200, postureMs: 60 }), phasesRun({ readMs: 100 }), phasesRun({ postureMs: 300 })],
      [documentsRun(30), documentsRun(20), documentsRun(90)],
    )
    // Each part's middle value is the untouched run's.
    const { principals: _principals, findings: _findings, ...parts } = phasesRun({})
    expect(phases.medians).toEqual(parts)
    expect(phases.totalMs).toBe(490)
    expect(phases.documents).toEqual({ ms: 30, distinct: 5_022 })
    expect(phases.findings).toBe(9_000)
    expect(() => summarizePhases([], [documentsRun(1)])).toThrow('no phases run')
    expect(() => summarizePhases([phasesRun({})], [])).toThrow('no phases run')
  })

  it('puts the parts in the order the CLI runs them, the documents after compiling', () => {
    const cli = summarizeCliRuns(12_000, 11 * 1_048_576, 0, [run(510)])
    const phases = summarizePhases([phasesRun({ accessMs: 4.5 })], [documentsRun(26)])
    const lines = renderPhases([{ ...result(cli, [cli], 50), phases }])
    expect(lines[2]).toBe(
      '| baseline | 80.0 | 140 | 20.0 | 70.0 | 26.0 (5022) | 10.0 | 90.0 | 4.5 | 75.0 | 490 | 510 |',
    )
    expect(renderPhases([result(cli, [cli], 50)])).toEqual(['not measured'])
  })
})
