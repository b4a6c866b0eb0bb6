import { describe, expect, it } from 'vitest'
import type { DetectEventMeasurement, DetectMeasurement } from '../lib/detect.ts'
import type { BundleInit, InitMeasurement } from '../lib/init.ts'
import {
  checkPipelineTargets,
  formatOperations,
  formatRules,
  type PipelineSections,
  renderPipelineSections,
  summarizeTargetEvents,
} from '../lib/pipeline-sections.ts'

function event(name: string, warm: number, cpu: number, pathsAgree = true): DetectEventMeasurement {
  return {
    event: name,
    eventName: 'Sample',
    mutation: null,
    verdict: 'compliant',
    findings: [],
    iamCallsCold: warm + 2,
    iamCallsWarm: warm,
    coldOperations: { GetRole: warm + 2 },
    warmOperations: { GetRole: warm },
    cpuMsMedian: cpu,
    cpuMsMin: cpu,
    pathsAgree,
  }
}

function bundle(name: string, kb: number, initMs: number, bareMs: number): BundleInit {
  return {
    function: name,
    sdkPackages: ['@aws-sdk/client-iam'],
    codeBytes: kb * 1024,
    bareCodeBytes: 512,
    initMs: [initMs],
    bareInitMs: [bareMs],
    initMsMedian: initMs,
    bareInitMsMedian: bareMs,
  }
}

function sections(events: DetectEventMeasurement[], functions: BundleInit[]): PipelineSections {
  const detect: DetectMeasurement = { account: 'example', config: 'config.json', cpuRuns: 50, events }
  const init: InitMeasurement = { spawns: 15, node: 'v20', environment: {}, functions }
  return { detect: { status: 'measured', value: detect }, init }
}

const EVENTS = [
  event('attach-role-policy', 3, 0.5),
  event('put-user-policy', 5, 1),
  event('detach-group-policy', 9, 2),
  event('delete-role', 1, 0.1),
  event('attach-user-policy-access-denied-failed', 0, 0.01),
  event('put-role-permissions-boundary', 4, 0.2),
]

describe('summarizeTargetEvents', () => {
  it('takes medians over the attach/detach/put policy events only', () => {
    expect(summarizeTargetEvents(EVENTS)).toEqual({ events: 3, warmCalls: 5, cpuMs: 1 })
  })

  it('gives null when none of those events was measured', () => {
    expect(summarizeTargetEvents([event('delete-role', 1, 0.1)])).toBeNull()
  })
})

describe('checkPipelineTargets', () => {
  it('judges warm calls, CPU, bundle size and init ratio', () => {
    const checks = checkPipelineTargets(
      sections(EVENTS, [bundle('DetectFunction', 249, 270, 224), bundle('NotifyFunction', 360, 300, 200)]),
    )
    expect(checks.map((check) => check.met)).toEqual([false, true, false, false])
    expect(checks[0]?.actual).toBe('5 (3 events)')
    expect(checks[2]?.actual).toBe('largest NotifyFunction 360.0 KB')
    expect(checks[3]?.actual).toBe('highest NotifyFunction 1.50×')
  })

  it('meets the targets when every value is within them', () => {
    const checks = checkPipelineTargets(
      sections([event('attach-role-policy', 3, 0.5)], [bundle('DetectFunction', 249, 250, 224)]),
    )
    expect(checks.map((check) => check.met)).toEqual([true, true, true, true])
  })

  it('leaves the detect targets undecided when the detect path was not measured', () => {
    const base = sections([], [bundle('DetectFunction', 249, 250, 224)])
    const checks = checkPipelineTargets({
      ...base,
      detect: { status: 'not-measured', reason: 'moto_server not found' },
    })
    expect(checks.map((check) => check.met)).toEqual([null, null, true, true])
    expect(checks[0]?.actual).toBe('not measured')
  })
})

describe('formatting', () => {
  it('folds repeated rules and marks none', () => {
    expect(formatRules(['B', 'A', 'B'])).toBe('B ×2, A')
    expect(formatRules([])).toBe('—')
  })

  it('lists operations with their counts', () => {
    expect(formatOperations({ GetRole: 1, ListRolePolicies: 2 })).toBe('GetRole 1, ListRolePolicies 2')
    expect(formatOperations({})).toBe('—')
  })
})

describe('renderPipelineSections', () => {
  it('shows one row per event and per function, and flags paths that disagree', () => {
    const text = renderPipelineSections(
      sections(
        [event('attach-role-policy', 3, 0.5), event('put-user-policy', 5, 1, false)],
        [bundle('DetectFunction', 249, 270, 225)],
      ),
    ).join('\n')
    expect(text).toContain(
      '| attach-role-policy | Sample | — | compliant | — | 5 | 3 | GetRole 3 | 0.50 | yes |',
    )
    expect(text).toContain('| put-user-policy | Sample | — | compliant | — | 7 | 5 | GetRole 5 | 1.00 | NO |')
    expect(text).toContain('| DetectFunction | client-iam | 249.0 | 0.5 | 270 | 225 | 1.20× |')
    expect(text).toContain('median warm IAM calls 4, median CPU 0.75 ms')
  })

  it('says why the detect path was not measured instead of showing numbers', () => {
    const base = sections([], [bundle('DetectFunction', 249, 270, 225)])
    const text = renderPipelineSections({
      ...base,
      detect: { status: 'not-measured', reason: 'moto_server not found' },
    }).join('\n')
    expect(text).toContain('not measured: moto_server not found')
    expect(text).not.toContain('IAM calls cold')
  })
})
