/**
 * The shape sections' arithmetic, targets and tables: pure, so bench/test can check them.
 */
import type { AccountShape } from '#test-support/synthetic/synthetic-account.ts'
import type { AuditChildResult } from '../audit-child.ts'
import type { FloorChildResult } from '../floor-child.ts'
import type { DocumentsChildResult, PhasesChildResult } from '../phases-child.ts'
import type { CliRun } from './cli-run.ts'
import { median, type PeerComparison } from './peer-compare.ts'
import type { TargetCheck } from './pipeline-sections.ts'
import { formatMs, renderTable } from './table.ts'

const MB = 1_048_576

export const SHAPE_TARGETS = {
  size: 12_000,
  wallMs: 500,
  rssMb: 150,
  endToEnd: 100,
  largeSize: 50_000,
  largeWallMs: 2500,
  largeRssMb: 600,
} as const

/** What the generated account holds (the fixed roles included). */
export interface AccountCounts {
  readonly roles: number
  readonly users: number
  readonly customerPolicies: number
  readonly groups: number
  readonly inlinePerPrincipal: number
  readonly managedPerPrincipal: number
  readonly groupsPerUser: number
  readonly boundedShare: number
}

export interface CliMeasurement {
  readonly size: number
  readonly exportMb: number
  readonly generateMs: number
  readonly runs: readonly CliRun[]
  readonly bestWallMs: number
  readonly medianWallMs: number
  /** User + system CPU of the fastest run. */
  readonly bestCpuMs: number
  readonly medianCpuMs: number
  /** Highest peak RSS over the runs. */
  readonly peakRssMb: number
  readonly reportMb: number
  /** Best wall ÷ principals. */
  readonly perPrincipalUs: number
}

export interface InProcessMeasurement {
  readonly runs: readonly AuditChildResult[]
  /** parseAccountSnapshot + auditAccount, best and median. */
  readonly bestMs: number
  readonly medianMs: number
  readonly peakRssMb: number
}

export interface ShapeResult {
  readonly name: string
  readonly summary: string
  readonly shape: AccountShape
  readonly counts: AccountCounts
  readonly cli: CliMeasurement
  /** The CLI on the same export indented as the AWS CLI writes it (4 spaces), as users' files are. */
  readonly indented?: CliMeasurement
  readonly inProcess: InProcessMeasurement
  readonly peer: PeerComparison
  readonly peerAccountSize: number
  /** Peer ÷ ours per question in process, and the peer's time for the CLI's questions ÷ CLI wall. */
  readonly ratios: { readonly inProcess: number; readonly endToEnd: number }
  /** The same input and output with nothing between them (bench/floor-child.ts), when measured. */
  readonly floor?: FloorMeasurement
  /** Where the CLI's time goes, part by part (bench/phases-child.ts), when measured. */
  readonly phases?: PhasesMeasurement
  /** The CLI at each scaling size, smallest first; empty when scaling was skipped. */
  readonly scaling: readonly CliMeasurement[]
  /** µs per principal at the largest scaling size ÷ at the matrix size; null without both. */
  readonly growth: number | null
}

export function summarizeCliRuns(
  size: number,
  exportBytes: number,
  generateMs: number,
  runs: readonly CliRun[],
): CliMeasurement {
  if (runs.length === 0) throw new Error('no CLI run to summarize')
  const best = runs.reduce((fastest, run) => (run.wallMs < fastest.wallMs ? run : fastest))
  const cpu = (run: CliRun) => run.userCpuMs + run.systemCpuMs
  return {
    size,
    exportMb: exportBytes / MB,
    generateMs,
    runs,
    bestWallMs: best.wallMs,
    medianWallMs: median(runs.map((run) => run.wallMs)),
    bestCpuMs: cpu(best),
    medianCpuMs: median(runs.map(cpu)),
    peakRssMb: Math.max(...runs.map((run) => run.peakRssMb)),
    reportMb: best.reportBytes / MB,
    perPrincipalUs: (best.wallMs * 1000) / size,
  }
}

export function summarizeInProcess(runs: readonly AuditChildResult[]): InProcessMeasurement {
  if (runs.length === 0) throw new Error('no in-process run to summarize')
  const times = runs.map((run) => run.totalMs)
  return {
    runs,
    bestMs: Math.min(...times),
    medianMs: median(times),
    peakRssMb: Math.max(...runs.map((run) => run.maxRssKb)) / 1024,
  }
}

/** The floor's parts, from its fastest run: what no audit of the same files can do without. */
export interface FloorMeasurement {
  readonly runs: readonly FloorChildResult[]
  readonly startMs: number
  readonly readMs: number
  readonly parseMs: number
  readonly serializeMs: number
  readonly writeMs: number
  readonly totalMs: number
}

function floorTotal(run: FloorChildResult): number {
  return run.startMs + run.readMs + run.parseMs + run.serializeMs + run.writeMs
}

export function summarizeFloor(runs: readonly FloorChildResult[]): FloorMeasurement {
  const [first, ...rest] = runs
  if (!first) throw new Error('no floor run to summarize')
  const best = rest.reduce((fastest, run) => (floorTotal(run) < floorTotal(fastest) ? run : fastest), first)
  const { startMs, readMs, parseMs, serializeMs, writeMs } = best
  return { runs, startMs, readMs, parseMs, serializeMs, writeMs, totalMs: floorTotal(best) }
}

/** The parts of an audit bench/phases-child.ts times, in the order the CLI runs them. */
export const PHASES = [
  'startMs',
  'readMs',
  'snapshotMs',
  'compileMs',
  'evaluateMs',
  'postureMs',
  'accessMs',
  'writeMs',
] as const

/** Where the CLI's time goes: each part's median over the runs, and their sum. */
export interface PhasesMeasurement {
  readonly runs: readonly PhasesChildResult[]
  readonly medians: Readonly<Record<(typeof PHASES)[number], number>>
  readonly totalMs: number
  readonly findings: number
  /** Parsing the account's distinct documents alone (runs of their own): median, and how many. */
  readonly documents: { readonly ms: number; readonly distinct: number }
}

export function summarizePhases(
  runs: readonly PhasesChildResult[],
  documentRuns: readonly DocumentsChildResult[],
): PhasesMeasurement {
  const [first] = runs
  const [firstDocuments] = documentRuns
  if (!first || !firstDocuments) throw new Error('no phases run to summarize')
  const medians = Object.fromEntries(
    PHASES.map((phase) => [phase, median(runs.map((run) => run[phase]))]),
  ) as Record<(typeof PHASES)[number], number>
  return {
    runs,
    medians,
    totalMs: PHASES.reduce((total, phase) => total + medians[phase], 0),
    findings: first.findings,
    documents: {
      ms: median(documentRuns.map((run) => run.documentsMs)),
      distinct: firstDocuments.identity + firstDocuments.trust,
    },
  }
}

/**
 * How many times faster the CLI answers its report than the peer would: the peer's time per
 * question × the report's questions (principals × actions) ÷ the CLI's wall time.
 */
export function endToEndRatio(
  peerPerQuestionUs: number,
  principals: number,
  actions: number,
  cliWallMs: number,
): number {
  return (peerPerQuestionUs * principals * actions) / (cliWallMs * 1000)
}

/** µs per principal at the largest size ÷ at `referenceSize`: 1 is linear growth. */
export function perPrincipalGrowth(points: readonly CliMeasurement[], referenceSize: number): number | null {
  const reference = points.find((point) => point.size === referenceSize)
  const largest = points.reduce<CliMeasurement | undefined>(
    (top, point) => (top === undefined || point.size > top.size ? point : top),
    undefined,
  )
  if (!reference || !largest) return null
  return largest.perPrincipalUs / reference.perPrincipalUs
}

export interface ShapeTargetRow {
  readonly shape: string
  readonly checks: readonly TargetCheck[]
}

/** The per-shape targets, each met, not met, or null when its size was not run. */
export function checkShapeTargets(result: ShapeResult): ShapeTargetRow {
  const matrixAtTarget = result.cli.size === SHAPE_TARGETS.size
  const large = result.scaling.find((point) => point.size === SHAPE_TARGETS.largeSize)
  const notRun = (size: number) => `${size} not run`
  const disagreements = result.peer.disagreements.length + result.peer.peerErrors
  return {
    shape: result.name,
    checks: [
      {
        target: `CLI at ${SHAPE_TARGETS.size} ≤ ${SHAPE_TARGETS.wallMs} ms`,
        actual: matrixAtTarget ? `${formatMs(result.cli.bestWallMs)} ms` : notRun(SHAPE_TARGETS.size),
        met: matrixAtTarget ? result.cli.bestWallMs <= SHAPE_TARGETS.wallMs : null,
      },
      {
        target: `CLI peak RSS at ${SHAPE_TARGETS.size} ≤ ${SHAPE_TARGETS.rssMb} MB`,
        actual: matrixAtTarget ? `${result.cli.peakRssMb.toFixed(0)} MB` : notRun(SHAPE_TARGETS.size),
        met: matrixAtTarget ? result.cli.peakRssMb <= SHAPE_TARGETS.rssMb : null,
      },
      {
        target: `end to end ≥ ${SHAPE_TARGETS.endToEnd}× the peer`,
        actual: `${result.ratios.endToEnd.toFixed(0)}×`,
        met: result.ratios.endToEnd >= SHAPE_TARGETS.endToEnd,
      },
      {
        target: '0 disagreements with the peer',
        actual: String(disagreements),
        met: disagreements === 0,
      },
      {
        target: `CLI at ${SHAPE_TARGETS.largeSize} ≤ ${SHAPE_TARGETS.largeWallMs} ms`,
        actual: large ? `${formatMs(large.bestWallMs)} ms` : notRun(SHAPE_TARGETS.largeSize),
        met: large ? large.bestWallMs <= SHAPE_TARGETS.largeWallMs : null,
      },
      {
        target: `CLI peak RSS at ${SHAPE_TARGETS.largeSize} ≤ ${SHAPE_TARGETS.largeRssMb} MB`,
        actual: large ? `${large.peakRssMb.toFixed(0)} MB` : notRun(SHAPE_TARGETS.largeSize),
        met: large ? large.peakRssMb <= SHAPE_TARGETS.largeRssMb : null,
      },
    ],
  }
}

export function metCell(met: boolean | null): string {
  return met === null ? 'n/a' : met ? 'yes' : 'NO'
}

export function renderShapeMatrix(results: readonly ShapeResult[]): string[] {
  return renderTable(
    [
      'shape',
      'roles / users',
      'customer policies',
      'groups',
      'inline / principal',
      'export MB',
      'CLI wall best / median ms',
      'CLI CPU ms best run / median',
      'CLI peak RSS MB',
      'report MB',
      'in-process parse+audit best ms',
      'peer µs / q',
      'ours µs / q',
      'in-process ×',
      'end-to-end ×',
      'disagreements',
    ],
    results.map((result) => [
      result.name,
      `${result.counts.roles} / ${result.counts.users}`,
      String(result.counts.customerPolicies),
      String(result.counts.groups),
      result.counts.inlinePerPrincipal.toFixed(2),
      result.cli.exportMb.toFixed(1),
      `${formatMs(result.cli.bestWallMs)} / ${formatMs(result.cli.medianWallMs)}`,
      `${formatMs(result.cli.bestCpuMs)} / ${formatMs(result.cli.medianCpuMs)}`,
      result.cli.peakRssMb.toFixed(0),
      result.cli.reportMb.toFixed(1),
      formatMs(result.inProcess.bestMs),
      result.peer.peerPerQuestionUs.toFixed(1),
      result.peer.oursPerQuestionUs.toFixed(2),
      `${result.ratios.inProcess.toFixed(0)}×`,
      `${result.ratios.endToEnd.toFixed(0)}×`,
      String(result.peer.disagreements.length + result.peer.peerErrors),
    ]),
  )
}

/** Disagreements counted by the action's namespace (`support`, `support-console`). */
export function disagreementsByNamespace(peer: PeerComparison): Record<string, number> {
  const counts: Record<string, number> = {}
  for (const entry of peer.disagreements) {
    const namespace = entry.action.slice(0, entry.action.indexOf(':'))
    counts[namespace] = (counts[namespace] ?? 0) + 1
  }
  return counts
}

export function renderShapePeers(results: readonly ShapeResult[]): string[] {
  const lines = renderTable(
    [
      'shape',
      'sampled principals',
      'questions',
      'agree',
      'ours conditional (peer allowed / denied)',
      'peer errors',
      'disagreements (by namespace)',
      'ours best / median ms',
      'peer total ms',
    ],
    results.map((result) => {
      const { peer } = result
      const byNamespace = Object.entries(disagreementsByNamespace(peer))
        .map(([namespace, count]) => `${namespace} ${count}`)
        .join(', ')
      return [
        result.name,
        `${peer.principals} of ${result.peerAccountSize}`,
        String(peer.questions),
        String(peer.agreements),
        `${peer.conditional.total} (${peer.conditional.peerAllowed} / ${peer.conditional.peerDenied})`,
        String(peer.peerErrors),
        `${peer.disagreements.length}${byNamespace ? ` (${byNamespace})` : ''}`,
        `${formatMs(peer.oursBestMs)} / ${formatMs(peer.oursMedianMs)}`,
        formatMs(peer.peerTotalMs),
      ]
    }),
  )
  const shown = results.flatMap((result) =>
    result.peer.disagreements
      .slice(0, 10)
      .map((entry) => [
        result.name,
        entry.principalArn,
        entry.action,
        entry.ours,
        entry.peer,
        entry.policies,
      ]),
  )
  const errors = results.flatMap((result) =>
    result.peer.peerErrorExamples.map((example) => `${result.name}: ${example}`),
  )
  if (errors.length > 0) lines.push('', `Peer errors: ${errors.join('; ')}`)
  lines.push('', `### Disagreements (at most 10 per shape shown)`, '')
  if (shown.length === 0) lines.push('none')
  else lines.push(...renderTable(['shape', 'principal', 'action', 'ours', 'peer', 'policies'], shown))
  return lines
}

/**
 * A table of what only some shapes measured (`part` of each result): a row per shape that has
 * it, or `not measured`.
 */
function renderMeasured<T>(
  results: readonly ShapeResult[],
  part: (result: ShapeResult) => T | undefined,
  header: readonly string[],
  row: (result: ShapeResult, measured: T) => string[],
): string[] {
  const rows = results.flatMap((result) => {
    const measured = part(result)
    return measured === undefined ? [] : [row(result, measured)]
  })
  return rows.length === 0 ? ['not measured'] : renderTable(header, rows)
}

/**
 * The CLI on each shape's export as the AWS CLI writes it, next to the compact export of the
 * matrix: the same account, a larger file.
 */
export function renderIndented(results: readonly ShapeResult[]): string[] {
  return renderMeasured(
    results,
    (result) => result.indented,
    [
      'shape',
      'export MB, compact / indented',
      'CLI wall best ms, compact / indented',
      'indented ÷ compact',
      'CLI peak RSS MB, compact / indented',
    ],
    (result, indented) => [
      result.name,
      `${result.cli.exportMb.toFixed(1)} / ${indented.exportMb.toFixed(1)}`,
      `${formatMs(result.cli.bestWallMs)} / ${formatMs(indented.bestWallMs)}`,
      `${(indented.bestWallMs / result.cli.bestWallMs).toFixed(2)}×`,
      `${result.cli.peakRssMb.toFixed(0)} / ${indented.peakRssMb.toFixed(0)}`,
    ],
  )
}

/** Each shape's floor next to the CLI's best wall time: what is left for the audit itself. */
export function renderFloor(results: readonly ShapeResult[]): string[] {
  return renderMeasured(
    results,
    (result) => result.floor,
    [
      'shape',
      'Node start ms',
      'read export ms',
      'JSON.parse ms',
      'JSON.stringify report ms',
      'write report ms',
      'floor ms',
      'CLI wall best ms',
      'CLI ÷ floor',
    ],
    (result, floor) => [
      result.name,
      formatMs(floor.startMs),
      formatMs(floor.readMs),
      formatMs(floor.parseMs),
      formatMs(floor.serializeMs),
      formatMs(floor.writeMs),
      formatMs(floor.totalMs),
      formatMs(result.cli.bestWallMs),
      `${(result.cli.bestWallMs / floor.totalMs).toFixed(2)}×`,
    ],
  )
}

/** Each shape's audit part by part (medians), next to the CLI's best wall time. */
export function renderPhases(results: readonly ShapeResult[]): string[] {
  return renderMeasured(
    results,
    (result) => result.phases,
    [
      'shape',
      'start ms',
      'read ms',
      'snapshot ms',
      'compile ms',
      'documents alone ms',
      'evaluate ms',
      'posture rules ms',
      'access list ms',
      'write ms',
      'sum ms',
      'CLI wall best ms',
    ],
    (result, phases) => [
      result.name,
      ...PHASES.slice(0, 4).map((phase) => formatMs(phases.medians[phase])),
      `${formatMs(phases.documents.ms)} (${phases.documents.distinct})`,
      ...PHASES.slice(4).map((phase) => formatMs(phases.medians[phase])),
      formatMs(phases.totalMs),
      formatMs(result.cli.bestWallMs),
    ],
  )
}

export function renderScaling(results: readonly ShapeResult[], matrixSize: number): string[] {
  const rows = results.flatMap((result) =>
    result.scaling.map((point) => [
      result.name,
      String(point.size),
      point.exportMb.toFixed(1),
      String(point.runs.length),
      formatMs(point.bestWallMs),
      point.peakRssMb.toFixed(0),
      point.perPrincipalUs.toFixed(1),
    ]),
  )
  const lines = renderTable(
    ['shape', 'principals', 'export MB', 'runs', 'CLI wall best ms', 'CLI peak RSS MB', 'µs / principal'],
    rows,
  )
  lines.push('')
  for (const result of results) {
    const largest = result.scaling.at(-1)
    lines.push(
      result.growth === null || !largest || largest.size <= matrixSize
        ? `- ${result.name}: growth not measured (needs ${matrixSize} and a larger size)`
        : `- ${result.name}: µs / principal at ${largest.size} ÷ at ${matrixSize} = ${result.growth.toFixed(2)}`,
    )
  }
  return lines
}

export function renderShapeTargets(rows: readonly ShapeTargetRow[]): string[] {
  const first = rows[0]
  if (!first) return ['no shape measured']
  return renderTable(
    ['shape', ...first.checks.map((check) => check.target)],
    rows.map((row) => [row.shape, ...row.checks.map((check) => `${check.actual} ${metCell(check.met)}`)]),
  )
}
