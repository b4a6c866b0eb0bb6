import { beforeAll, describe, expect, it } from 'vitest'
import { formatCampaignBreakdown } from '#test-support/chaos/campaign-report.ts'
import { type ExactPhasesReport, runExactPhases } from '#test-support/chaos/exact-phases.ts'
import {
  formatCampaignSummary,
  listCampaignViolations,
  runCampaign,
} from '#test-support/chaos/phase-campaign.ts'
import { formatDuplicates, listDuplicateViolations } from '#test-support/chaos/phase-duplicates.ts'
import { formatOrdering, listOrderingViolations } from '#test-support/chaos/phase-ordering.ts'
import { formatQuiescence, listQuiescenceViolations } from '#test-support/chaos/phase-quiescence.ts'

/**
 * The seeded share of `npm run chaos`: the real bundles against moto behind the fault proxy, with
 * Lambda's retries and dead-letter queues. A failing assertion carries the phase's report.
 */
const WORLD = { seed: 20250310, timeoutMs: 5000, concurrency: 4 }
const DUPLICATED_CHANGES = 3
const ECHOED_CHANGES = 6

describe("chaos: 100 events with 20% of the functions' AWS requests failing", () => {
  it('ends each event as a notification, a notified failure or a dead letter', async () => {
    const report = await runCampaign({ ...WORLD, events: 100, faultRate: 0.2, mode: 'enforce' })
    const text = [formatCampaignSummary(report), ...formatCampaignBreakdown(report)].join('\n')
    expect(report.faults, text).toBeGreaterThan(100)
    expect(report.figures.lost, text).toBe(0)
    expect(listCampaignViolations(report), text).toEqual([])
  }, 90_000)
})

describe('chaos: duplicates, late deliveries and the guard fed its own writes (enforce mode)', () => {
  let report: ExactPhasesReport | undefined
  beforeAll(async () => {
    report = await runExactPhases({
      ...WORLD,
      duplicates: { changesPerGroup: DUPLICATED_CHANGES, copies: 10, parallelChanges: 6 },
      ordering: {},
      quiescence: { changes: ECHOED_CHANGES },
    })
  }, 90_000)

  it('reverts a change delivered ten times, in turn or at once, once, and notifies it once', () => {
    const duplicates = report?.duplicates
    if (!duplicates) throw new Error('the duplicates phase did not run')
    const text = formatDuplicates(duplicates).join('\n')
    expect(listDuplicateViolations(duplicates), text).toEqual([])
    for (const group of duplicates.groups) {
      expect(group, text).toMatchObject({
        changes: DUPLICATED_CHANGES,
        deliveries: DUPLICATED_CHANGES * 10,
        revertWrites: DUPLICATED_CHANGES,
        findingNotifications: DUPLICATED_CHANGES,
        remediationNotifications: DUPLICATED_CHANGES,
        deadLetters: 0,
      })
    }
  })

  it('never lets a late or out-of-order event undo a later legitimate state', () => {
    const ordering = report?.ordering
    if (!ordering) throw new Error('the ordering phase did not run')
    expect(listOrderingViolations(ordering), formatOrdering(ordering).join('\n')).toEqual([])
    expect(ordering.cases.length).toBeGreaterThanOrEqual(5)
  })

  it('writes exactly its reverts when fed its own writes, and falls quiet', () => {
    const quiescence = report?.quiescence
    if (!quiescence) throw new Error('the quiescence phase did not run')
    const text = formatQuiescence(quiescence).join('\n')
    expect(listQuiescenceViolations(quiescence), text).toEqual([])
    expect(quiescence, text).toMatchObject({
      quiet: true,
      rounds: 2,
      guardWrites: ECHOED_CHANGES,
      revertSteps: ECHOED_CHANGES,
      findingsFromEchoes: 0,
    })
    expect(quiescence.echoVerdicts, text).toEqual({ 'own-change': ECHOED_CHANGES })
  })
})
