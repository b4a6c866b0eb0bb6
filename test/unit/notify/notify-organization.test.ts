import { afterEach, describe, expect, it, vi } from 'vitest'
import type { Notification } from '#shared/notify/notification.ts'
import {
  ACCOUNT_NAME_TIMEOUT_MS,
  type AccountNames,
  type Delivery,
  type NotifyDeps,
  notifyEvent,
} from '#shared/notify/notify-event.ts'
import { MemorySlotStore } from './memory-slot-store.ts'
import { makeFindingDetail, makeRemediationDetail } from './sample-details.ts'
import { makeSummaryDetail } from './sample-summary.ts'

/** The account of every sample finding and outcome. */
const ACCOUNT = '123456789012'

function envelope(detailType: string, detail: unknown, id = 'delivery-1'): Record<string, unknown> {
  return { id, 'detail-type': detailType, source: 'support-guard', detail }
}

const summaryEvent = (runId: string, id = 'delivery-1') =>
  envelope('Support Access Audit Summary', makeSummaryDetail({ runId }), id)
const findingEvent = () =>
  envelope('Support Access Finding', makeFindingDetail('SUPPORT_ACCESS_LOST', 'enforce'))
const remediationEvent = () => envelope('Support Access Remediation', makeRemediationDetail())

function makeDeps(accountNames?: AccountNames) {
  const published: { notification: Notification; delivery: Delivery }[] = []
  const warnings: { message: string; attributes: Readonly<Record<string, unknown>> }[] = []
  const deps: NotifyDeps = {
    notifier: {
      async publish(notification, delivery) {
        published.push({ notification, delivery })
      },
    },
    slots: new MemorySlotStore(),
    ...(accountNames === undefined ? {} : { accountNames }),
    now: () => new Date('2026-11-29T10:08:00Z'),
    logger: {
      info: () => undefined,
      warn: (message, attributes) => warnings.push({ message, attributes }),
    },
  }
  let attempts = 0
  const attempt = () => ({ owner: `invocation-${++attempts}`, leaseUntil: new Date('2026-11-29T10:09:00Z') })
  return { deps, published, warnings, attempt }
}

/** The `Account:` line of a text body's Reference section (its last). */
function accountLine(notification: Notification | undefined): string | undefined {
  return notification?.body
    .split('\n')
    .findLast((line) => line.trim().startsWith('Account:'))
    ?.trim()
}

afterEach(() => {
  vi.useRealTimers()
})

describe('notifyEvent with an audit run summary', () => {
  it('sends one message per run, however often EventBridge delivers its summary', async () => {
    const { deps, published, attempt } = makeDeps()
    await expect(notifyEvent(summaryEvent('run-a'), attempt(), deps)).resolves.toBe('sent')
    await expect(notifyEvent(summaryEvent('run-a', 'delivery-2'), attempt(), deps)).resolves.toBe(
      'suppressed',
    )
    expect(published).toHaveLength(1)
    expect(published[0]?.delivery).toEqual({ notificationId: 'audit-run#run-a', possibleRepeat: false })
    expect(published[0]?.notification.subject).toBe(
      'Support Access Guard: audit of 12 accounts: 3 critical, 5 high; 1 account failed',
    )
    expect(published[0]?.notification.attributes).toEqual({
      severity: 'critical',
      rule: 'AUDIT_SUMMARY',
      outcome: 'summary',
    })
  })

  it('sends a second run of the same day as a message of its own', async () => {
    const { deps, published, attempt } = makeDeps()
    await notifyEvent(summaryEvent('run-a'), attempt(), deps)
    await expect(notifyEvent(summaryEvent('run-b', 'delivery-2'), attempt(), deps)).resolves.toBe('sent')
    expect(published.map((entry) => entry.delivery.notificationId)).toEqual([
      'audit-run#run-a',
      'audit-run#run-b',
    ])
  })

  it('does not look up a name for a summary: it names its accounts itself', async () => {
    const nameOf = vi.fn(async () => 'never-used')
    const { deps, published, attempt } = makeDeps({ nameOf })
    await notifyEvent(summaryEvent('run-a'), attempt(), deps)
    expect(nameOf).not.toHaveBeenCalled()
    expect(published[0]?.notification.body).toContain('111122223333 (workload-prod): AccessDenied')
  })
})

describe('notifyEvent naming the account of a finding or an outcome', () => {
  it('names the account by ID and name when the name is known', async () => {
    const nameOf = vi.fn(async () => 'workload-prod')
    const { deps, published, attempt } = makeDeps({ nameOf })
    await notifyEvent(findingEvent(), attempt(), deps)
    await notifyEvent(remediationEvent(), attempt(), deps)
    expect(nameOf.mock.calls).toEqual([[ACCOUNT], [ACCOUNT]])
    expect(published.map((entry) => accountLine(entry.notification))).toEqual([
      `Account: ${ACCOUNT} (workload-prod)`,
      `Account: ${ACCOUNT} (workload-prod)`,
    ])
    expect(published[0]?.notification.chatbot.metadata.additionalContext).toMatchObject({
      accountId: ACCOUNT,
      accountName: 'workload-prod',
    })
    // A named account also opens "What happened": one topic serves every account.
    for (const { notification } of published) {
      const body = notification.body.split('\n')
      const opening = body[body.indexOf('What happened') + 1]
      expect(opening?.trim()).toMatch(new RegExp(`^Account:\\s+${ACCOUNT} \\(workload-prod\\)$`))
    }
  })

  it('names the account by ID alone without a way to look names up, or when there is no name', async () => {
    for (const accountNames of [undefined, { nameOf: async () => undefined }]) {
      const { deps, published, attempt } = makeDeps(accountNames)
      await expect(notifyEvent(findingEvent(), attempt(), deps)).resolves.toBe('sent')
      expect(accountLine(published[0]?.notification)).toBe(`Account: ${ACCOUNT}`)
      expect(published[0]?.notification.chatbot.metadata.additionalContext).not.toHaveProperty('accountName')
    }
  })

  it('sends with the ID alone when the lookup fails, and warns', async () => {
    const failure = new Error('AccessDeniedException: organizations:DescribeAccount')
    const { deps, published, warnings, attempt } = makeDeps({
      nameOf: async () => {
        throw failure
      },
    })
    await expect(notifyEvent(remediationEvent(), attempt(), deps)).resolves.toBe('sent')
    expect(accountLine(published[0]?.notification)).toBe(`Account: ${ACCOUNT}`)
    expect(warnings).toEqual([
      {
        message: 'account name lookup failed: the notification names the account by ID alone',
        attributes: { accountId: ACCOUNT, error: failure },
      },
    ])
  })

  it('does not wait for a lookup that hangs', async () => {
    vi.useFakeTimers()
    const { deps, published, warnings, attempt } = makeDeps({ nameOf: () => new Promise(() => undefined) })
    const sending = notifyEvent(findingEvent(), attempt(), deps)
    await vi.advanceTimersByTimeAsync(ACCOUNT_NAME_TIMEOUT_MS)
    await expect(sending).resolves.toBe('sent')
    expect(accountLine(published[0]?.notification)).toBe(`Account: ${ACCOUNT}`)
    expect(warnings.map((warning) => warning.message)).toEqual([
      'account name lookup timed out: the notification names the account by ID alone',
    ])
  })

  it('looks nothing up for a notification already sent', async () => {
    const nameOf = vi.fn(async () => 'workload-prod')
    const { deps, attempt } = makeDeps({ nameOf })
    await notifyEvent(findingEvent(), attempt(), deps)
    await expect(notifyEvent(findingEvent(), attempt(), deps)).resolves.toBe('suppressed')
    expect(nameOf).toHaveBeenCalledTimes(1)
  })
})
