import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  type AccountAuditOutcome,
  type AuditRunStore,
  type AuditRunSummary,
  countBySeverity,
  cutReason,
  finishAccount,
  MAX_FAILED_LISTED,
  MAX_FAILURE_REASON,
  type SeverityCounts,
} from '#shared/pipeline/audit-run.ts'
import { type AuditSummaryEventDetail, auditSummaryEventDetailSchema } from '#shared/pipeline/bus-events.ts'
import { MemoryAuditRunStore } from '#shared/pipeline/memory-audit-run-store.ts'

const RUN = 'run-2026-11-29T10:00Z'
const STARTED = '2026-11-29T10:00:00.000Z'
const FINISHED = '2026-11-29T10:07:30.000Z'
const now = () => new Date(FINISHED)

function counts(partial: Partial<SeverityCounts>): SeverityCounts {
  return { critical: 0, high: 0, medium: 0, low: 0, info: 0, ...partial }
}

function audited(accountId: string, principals: number, found: Partial<SeverityCounts> = {}) {
  return {
    accountId,
    accountName: `name-${accountId}`,
    status: 'audited',
    principals,
    findingsBySeverity: counts(found),
  } as const satisfies AccountAuditOutcome
}

function failed(accountId: string, reason: string): AccountAuditOutcome {
  return { accountId, accountName: `name-${accountId}`, status: 'failed', reason }
}

async function startedStore(accountIds: readonly string[]): Promise<MemoryAuditRunStore> {
  const store = new MemoryAuditRunStore()
  await store.start({ runId: RUN, startedAt: STARTED, accounts: accountIds.map((id) => ({ id })) })
  return store
}

describe('countBySeverity', () => {
  it('counts every severity, zero included', () => {
    expect(
      countBySeverity([
        { severity: 'high' },
        { severity: 'critical' },
        { severity: 'high' },
        { severity: 'info' },
      ]),
    ).toEqual({ critical: 1, high: 2, medium: 0, low: 0, info: 1 })
    expect(countBySeverity([])).toEqual({ critical: 0, high: 0, medium: 0, low: 0, info: 0 })
  })
})

describe('cutReason', () => {
  it('keeps a short reason and cuts a long one to the limit, marked', () => {
    expect(cutReason('AccessDenied')).toBe('AccessDenied')
    const cut = cutReason('x'.repeat(1000))
    expect(cut).toHaveLength(MAX_FAILURE_REASON)
    expect(cut).toBe(`${'x'.repeat(MAX_FAILURE_REASON - 3)}...`)
  })

  it('never splits a character made of two UTF-16 units', () => {
    // The cut falls between the two halves of the emoji at positions 296 and 297.
    const cut = cutReason(`${'x'.repeat(MAX_FAILURE_REASON - 4)}\u{1F512}${'y'.repeat(50)}`)
    expect(cut).toBe(`${'x'.repeat(MAX_FAILURE_REASON - 4)}...`)
  })
})

describe('finishAccount', () => {
  it('returns the summary to the worker that records the last account, and nothing before', async () => {
    const store = await startedStore(['111111111111', '222222222222', '333333333333'])
    await expect(
      finishAccount(store, RUN, audited('111111111111', 10, { critical: 1, high: 2 }), now),
    ).resolves.toBeUndefined()
    await expect(
      finishAccount(store, RUN, failed('222222222222', 'AccessDenied: sts:AssumeRole'), now),
    ).resolves.toBeUndefined()
    const summary = await finishAccount(store, RUN, audited('333333333333', 5, { high: 3, low: 1 }), now)
    expect(summary).toEqual({
      runId: RUN,
      startedAt: STARTED,
      finishedAt: FINISHED,
      expected: 3,
      audited: 2,
      failed: [
        {
          accountId: '222222222222',
          accountName: 'name-222222222222',
          reason: 'AccessDenied: sts:AssumeRole',
        },
      ],
      failedOmitted: 0,
      findingsBySeverity: { critical: 1, high: 5, medium: 0, low: 1, info: 0 },
      principals: 15,
    } satisfies AuditRunSummary)
  })

  it('does not count a redelivered account twice, and gives no second summary', async () => {
    const store = await startedStore(['111111111111', '222222222222'])
    const first = audited('111111111111', 4, { medium: 2 })
    await expect(finishAccount(store, RUN, first, now)).resolves.toBeUndefined()
    // SQS delivers the first account again: the run still waits for the second.
    await expect(finishAccount(store, RUN, first, now)).resolves.toBeUndefined()
    const summary = await finishAccount(store, RUN, audited('222222222222', 6), now)
    expect(summary).toMatchObject({ audited: 2, principals: 10, findingsBySeverity: counts({ medium: 2 }) })
    // A redelivery of the last account finds the run complete but the summary taken.
    await expect(finishAccount(store, RUN, audited('222222222222', 6), now)).resolves.toBeUndefined()
  })

  it('counts an account listed twice in the plan once', async () => {
    const store = new MemoryAuditRunStore()
    await store.start({
      runId: RUN,
      startedAt: STARTED,
      accounts: [{ id: '111111111111' }, { id: '111111111111', name: 'dup' }, { id: '222222222222' }],
    })
    await finishAccount(store, RUN, audited('111111111111', 1), now)
    await expect(finishAccount(store, RUN, audited('222222222222', 1), now)).resolves.toMatchObject({
      expected: 2,
      audited: 2,
    })
  })

  it('lists failed accounts with their names and cut reasons, up to the cap, then counts them', async () => {
    const total = MAX_FAILED_LISTED + 7
    const ids = Array.from({ length: total }, (_, index) => String(100000000000 + index))
    const store = await startedStore(ids)
    let summary: AuditRunSummary | undefined
    for (const id of ids)
      summary = await finishAccount(store, RUN, failed(id, `denied ${id} ${'z'.repeat(400)}`), now)
    expect(summary?.audited).toBe(0)
    expect(summary?.failed).toHaveLength(MAX_FAILED_LISTED)
    expect(summary?.failedOmitted).toBe(7)
    expect(summary?.failed[0]).toEqual({
      accountId: '100000000000',
      accountName: 'name-100000000000',
      reason: `denied 100000000000 ${'z'.repeat(MAX_FAILURE_REASON - 23)}...`,
    })
    expect(summary?.failed.at(-1)?.accountId).toBe(String(100000000000 + MAX_FAILED_LISTED - 1))
    // The summary is a valid bus event detail as it is.
    const detail: AuditSummaryEventDetail | undefined = summary
    expect(auditSummaryEventDetailSchema.parse(detail)).toEqual(summary)
  })

  it('refuses to record into a run that was never started', async () => {
    await expect(
      finishAccount(new MemoryAuditRunStore(), 'no-such-run', audited('111111111111', 1), now),
    ).rejects.toThrow('audit run no-such-run was not started')
  })

  it('gives exactly one summary when every worker records before any claims', async () => {
    const ids = ['111111111111', '222222222222', '333333333333', '444444444444']
    const store = await startedStore(ids)
    // Each record writes, waits at a barrier until all four are written, then reads the run (as
    // the DynamoDB store reads after its write): every worker sees the run complete and claims,
    // and the store must pick one.
    let recorded = 0
    let open: () => void = () => undefined
    const barrier = new Promise<void>((resolve) => {
      open = resolve
    })
    const racing: AuditRunStore = {
      start: (plan) => store.start(plan),
      record: async (runId, outcome) => {
        await store.record(runId, outcome)
        if (++recorded === ids.length) open()
        await barrier
        // Recording the same account again changes nothing and returns the run as it stands.
        return store.record(runId, outcome)
      },
      claimSummary: (runId) => store.claimSummary(runId),
      releaseSummary: (runId) => store.releaseSummary(runId),
    }
    const claims: boolean[] = []
    const counted: AuditRunStore = {
      ...racing,
      claimSummary: async (runId) => {
        const won = await store.claimSummary(runId)
        claims.push(won)
        return won
      },
    }
    const results = await Promise.all(ids.map((id) => finishAccount(counted, RUN, audited(id, 1), now)))
    expect(claims.sort()).toEqual([false, false, false, true])
    expect(results.filter((result) => result !== undefined)).toEqual([
      expect.objectContaining({ expected: 4, audited: 4, principals: 4 }),
    ])
  })

  it('gives exactly one summary, with every account counted once, however deliveries interleave', async () => {
    const delivery = fc.record({
      account: fc.integer({ min: 0, max: 5 }),
      principals: fc.integer({ min: 0, max: 20 }),
      fails: fc.boolean(),
    })
    await fc.assert(
      fc.asyncProperty(
        fc.scheduler(),
        fc.array(delivery, { minLength: 1, maxLength: 12 }),
        async (s, deliveries) => {
          const ids = [...new Set(deliveries.map((entry) => `00000000000${entry.account}`))]
          const store = await startedStore(ids)
          const scheduled: AuditRunStore = {
            start: (plan) => store.start(plan),
            record: s.scheduleFunction((runId: string, outcome: AccountAuditOutcome) =>
              store.record(runId, outcome),
            ),
            claimSummary: s.scheduleFunction((runId: string) => store.claimSummary(runId)),
            releaseSummary: (runId) => store.releaseSummary(runId),
          }
          // The first delivery of an account decides its outcome; a redelivery carries the same message.
          const firstOf = new Map<string, AccountAuditOutcome>()
          for (const entry of deliveries) {
            const id = `00000000000${entry.account}`
            if (!firstOf.has(id))
              firstOf.set(
                id,
                entry.fails ? failed(id, 'timed out') : audited(id, entry.principals, { low: 1 }),
              )
          }
          const running = Promise.all(
            deliveries.map((entry) =>
              finishAccount(
                scheduled,
                RUN,
                firstOf.get(`00000000000${entry.account}`) as AccountAuditOutcome,
                now,
              ),
            ),
          )
          await s.waitAll()
          const summaries = (await running).filter((result) => result !== undefined)
          expect(summaries).toHaveLength(1)
          const outcomes = [...firstOf.values()]
          const auditedOnes = outcomes.filter((outcome) => outcome.status === 'audited')
          expect(summaries[0]).toMatchObject({
            expected: ids.length,
            audited: auditedOnes.length,
            failedOmitted: 0,
            principals: auditedOnes.reduce((sum, outcome) => sum + outcome.principals, 0),
            findingsBySeverity: counts({ low: auditedOnes.length }),
          })
          expect(summaries[0]?.failed.map((failure) => failure.accountId).sort()).toEqual(
            outcomes
              .filter((outcome) => outcome.status === 'failed')
              .map((outcome) => outcome.accountId)
              .sort(),
          )
        },
      ),
      { numRuns: 300 },
    )
  })
})
