import { describe, expect, it, vi } from 'vitest'
import { SEVERITIES } from '#shared/config/rules.ts'
import { AUDIT_SUMMARY_DETAIL_TYPE, type BusEvent } from '#shared/pipeline/bus-events.ts'
import { MemoryAuditRunStore } from '#shared/pipeline/memory-audit-run-store.ts'
import {
  AUDIT_QUEUE_MAX_RECEIVES,
  type AuditAssignment,
  AuditAssignmentError,
  auditAssignment,
  parseAuditAssignment,
  planOrganizationAudit,
  readAuditDeliveries,
} from '#shared/pipeline/organization-audit.ts'
import type { AuditSummary } from '#shared/pipeline/run-audit.ts'

const NOW = new Date('2026-11-29T12:00:00Z')
const logger = { info: vi.fn(), warn: vi.fn() }
const ACCOUNTS = [
  { id: '111111111111', name: 'security' },
  { id: '222222222222', name: 'workload' },
  { id: '333333333333' },
]

function audited(accountId: string, severities: readonly string[]): AuditSummary {
  return {
    accountId,
    principals: 10,
    findings: severities.map((severity, index) => ({ id: `f${index}`, severity }) as never),
    baselinesWritten: 0,
  }
}

async function plan() {
  const runs = new MemoryAuditRunStore()
  const queued: AuditAssignment[] = []
  const planned = await planOrganizationAudit({
    listAccounts: async () => ACCOUNTS,
    runs,
    queue: { send: async (assignments) => void queued.push(...assignments) },
    newRunId: () => 'run-1',
    now: () => NOW,
    logger,
  })
  return { runs, queued, planned }
}

describe('planOrganizationAudit', () => {
  it('starts one run and queues one assignment per account, names kept', async () => {
    const { queued, planned } = await plan()
    expect(planned).toEqual({ runId: 'run-1', startedAt: NOW.toISOString(), accounts: ACCOUNTS })
    expect(queued).toEqual([
      { runId: 'run-1', accountId: '111111111111', accountName: 'security' },
      { runId: 'run-1', accountId: '222222222222', accountName: 'workload' },
      { runId: 'run-1', accountId: '333333333333' },
    ])
  })
})

describe('auditAssignment', () => {
  it('publishes one summary, from the worker that records the last account', async () => {
    const { runs, queued } = await plan()
    const published: BusEvent[] = []
    const publisher = { publish: async (events: readonly BusEvent[]) => void published.push(...events) }
    const severities: Record<string, string[]> = {
      '111111111111': ['critical'],
      '222222222222': ['high', 'high'],
      '333333333333': [],
    }
    for (const assignment of queued) {
      await auditAssignment(assignment, {
        audit: async (accountId) => audited(accountId, severities[accountId] ?? []),
        runs,
        publisher,
        finalAttempt: false,
        now: () => NOW,
        logger,
      })
      if (assignment !== queued.at(-1)) expect(published).toEqual([])
    }
    expect(published).toHaveLength(1)
    expect(published[0]?.detailType).toBe(AUDIT_SUMMARY_DETAIL_TYPE)
    const counts = Object.fromEntries(SEVERITIES.map((severity) => [severity, 0]))
    expect(published[0]?.detail).toMatchObject({
      runId: 'run-1',
      expected: 3,
      audited: 3,
      failed: [],
      principals: 30,
      findingsBySeverity: { ...counts, critical: 1, high: 2 },
    })
  })

  it('throws a failure back to the queue until the last delivery, then records it with its reason', async () => {
    const { runs, queued } = await plan()
    const published: BusEvent[] = []
    const deps = (finalAttempt: boolean, fail: boolean) => ({
      audit: async (accountId: string) => {
        if (fail) throw new Error('AccessDenied: not authorized to perform sts:AssumeRole')
        return audited(accountId, [])
      },
      runs,
      publisher: { publish: async (events: readonly BusEvent[]) => void published.push(...events) },
      finalAttempt,
      now: () => NOW,
      logger,
    })
    const [first, second, third] = queued
    if (!first || !second || !third) throw new Error('three assignments expected')
    await expect(auditAssignment(second, deps(false, true))).rejects.toThrow(/AccessDenied/)
    await auditAssignment(first, deps(false, false))
    await auditAssignment(third, deps(false, false))
    expect(published).toEqual([])
    const outcome = await auditAssignment(second, deps(true, true))
    expect(outcome).toMatchObject({ status: 'failed', accountName: 'workload' })
    expect(published).toHaveLength(1)
    expect(published[0]?.detail).toMatchObject({
      audited: 2,
      failed: [
        {
          accountId: '222222222222',
          accountName: 'workload',
          reason: 'Error: AccessDenied: not authorized to perform sts:AssumeRole',
        },
      ],
    })
  })

  it('gives the summary back when its publish fails, and the redelivery of that account publishes it', async () => {
    const { runs, queued } = await plan()
    const published: BusEvent[] = []
    let failNext = false
    const publisher = {
      publish: async (events: readonly BusEvent[]) => {
        if (failNext && events.some((event) => event.detailType === AUDIT_SUMMARY_DETAIL_TYPE)) {
          failNext = false
          throw new Error('EventBridge unavailable')
        }
        published.push(...events)
      },
    }
    const deps = {
      audit: async (accountId: string) => audited(accountId, []),
      runs,
      publisher,
      finalAttempt: false,
      now: () => NOW,
      logger,
    }
    const last = queued.at(-1)
    if (!last) throw new Error('assignments expected')
    for (const assignment of queued.slice(0, -1)) await auditAssignment(assignment, deps)
    failNext = true
    await expect(auditAssignment(last, deps)).rejects.toThrow('EventBridge unavailable')
    expect(published).toEqual([])
    await auditAssignment(last, deps)
    expect(published.map((event) => event.detailType)).toEqual([AUDIT_SUMMARY_DETAIL_TYPE])
    expect(published[0]?.detail).toMatchObject({ expected: 3, audited: 3 })
  })

  it('refuses an audit that answered for another account', async () => {
    const { runs, queued } = await plan()
    const [first] = queued
    if (!first) throw new Error('an assignment expected')
    const outcome = await auditAssignment(first, {
      audit: async () => audited('999999999999', []),
      runs,
      publisher: { publish: vi.fn() },
      finalAttempt: true,
      now: () => NOW,
      logger,
    })
    expect(outcome).toMatchObject({ status: 'failed', reason: expect.stringContaining('not 111111111111') })
  })
})

describe('parseAuditAssignment', () => {
  it('reads a queued assignment and refuses anything else with a typed error', () => {
    expect(parseAuditAssignment('{"runId":"r","accountId":"123456789012"}')).toEqual({
      runId: 'r',
      accountId: '123456789012',
    })
    for (const bad of [
      'not json',
      '{}',
      '{"runId":"r","accountId":"12"}',
      '{"runId":"r","accountId":"123456789012","x":1}',
    ])
      expect(() => parseAuditAssignment(bad)).toThrow(AuditAssignmentError)
  })
})

describe('readAuditDeliveries', () => {
  const record = (count?: string) => ({
    eventSource: 'aws:sqs',
    body: '{"runId":"r","accountId":"123456789012"}',
    ...(count === undefined ? {} : { attributes: { ApproximateReceiveCount: count } }),
  })

  it('reads each message of an SQS event, and whether the queue delivers it again', () => {
    const deliveries = readAuditDeliveries({
      Records: [record('1'), record(String(AUDIT_QUEUE_MAX_RECEIVES)), record()],
    })
    expect(deliveries?.map((delivery) => delivery.finalAttempt)).toEqual([false, true, true])
    expect(deliveries?.[0]?.assignment).toEqual({ runId: 'r', accountId: '123456789012' })
  })

  it('is undefined for the schedule, and refuses a message that is not an assignment', () => {
    expect(readAuditDeliveries({ source: 'aws.events', 'detail-type': 'Scheduled Event' })).toBeUndefined()
    expect(readAuditDeliveries({ Records: [{ eventSource: 'aws:sns', body: '{}' }] })).toBeUndefined()
    expect(() =>
      readAuditDeliveries({ Records: [{ eventSource: 'aws:sqs', body: '{"runId":"r"}' }] }),
    ).toThrow(AuditAssignmentError)
  })
})
