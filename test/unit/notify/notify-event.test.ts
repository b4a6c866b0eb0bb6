import { describe, expect, it } from 'vitest'
import type { Notification } from '#shared/notify/notification.ts'
import { slotOf } from '#shared/notify/notification-slot.ts'
import {
  type Delivery,
  NotificationInProgressError,
  type NotifyDeps,
  notifyEvent,
  type SendAttempt,
} from '#shared/notify/notify-event.ts'
import { BusEventError, parseGuardBusEvent } from '#shared/pipeline/bus-events.ts'
import { MemorySlotStore } from './memory-slot-store.ts'
import { makeFindingDetail, makeRemediationDetail } from './sample-details.ts'

function envelope(detailType: string, detail: unknown, source = 'support-guard'): Record<string, unknown> {
  return {
    version: '0',
    id: '0f2b3c4d-1111-2222-3333-444455556666',
    'detail-type': detailType,
    source,
    account: '123456789012',
    time: '2025-03-26T20:44:40Z',
    region: 'us-east-1',
    resources: [],
    detail,
  }
}

const findingEvent = envelope('Support Access Finding', makeFindingDetail('SUPPORT_ACCESS_LOST', 'enforce'))
const remediationEvent = envelope('Support Access Remediation', makeRemediationDetail())

/** In-memory deps: the slot protocol in memory, a notifier that records or fails. */
function makeDeps(options: { failPublish?: boolean; now?: string } = {}) {
  const published: { notification: Notification; delivery: Delivery }[] = []
  const slots = new MemorySlotStore()
  const logs: { message: string; attributes: Readonly<Record<string, unknown>> }[] = []
  let clock = new Date(options.now ?? '2025-03-26T20:45:00Z')
  const notifier = {
    failing: options.failPublish ?? false,
    failNext: 0,
    tries: 0,
    error: new Error('SNS down'),
  }
  const deps: NotifyDeps = {
    notifier: {
      async publish(notification, delivery) {
        notifier.tries++
        if (notifier.failing) throw notifier.error
        if (notifier.failNext > 0) {
          notifier.failNext--
          throw notifier.error
        }
        published.push({ notification, delivery })
      },
    },
    slots,
    now: () => clock,
    logger: {
      info: (message, attributes) => logs.push({ message, attributes }),
      warn: (message, attributes) => logs.push({ message, attributes }),
    },
  }
  let attempts = 0
  /** A fresh invocation: its own owner, a lease of ten seconds from the clock. */
  const attempt = (): SendAttempt => ({
    owner: `invocation-${++attempts}`,
    leaseUntil: new Date(clock.getTime() + 10_000),
  })
  const advance = (ms: number) => {
    clock = new Date(clock.getTime() + ms)
  }
  return {
    deps,
    published,
    slots,
    logs,
    notifier,
    attempt,
    advance,
    setNow: (iso: string) => (clock = new Date(iso)),
  }
}

/** What SNS answers when it refuses a publish outright (nothing was sent). */
function refused(): Error {
  return Object.assign(new Error('Rate exceeded'), { name: 'Throttled', $metadata: { httpStatusCode: 400 } })
}

describe('notifyEvent', () => {
  it('sends a finding raised by a change once, however often the bus delivers it', async () => {
    const { deps, published, logs, attempt } = makeDeps()
    await expect(notifyEvent(structuredClone(findingEvent), attempt(), deps)).resolves.toBe('sent')
    const retried = { ...structuredClone(findingEvent), id: 'a-new-eventbridge-id' }
    await expect(notifyEvent(retried, attempt(), deps)).resolves.toBe('suppressed')
    expect(published).toHaveLength(1)
    expect(published[0]?.notification.attributes).toEqual({
      severity: 'high',
      rule: 'SUPPORT_ACCESS_LOST',
      outcome: 'open',
    })
    expect(published[0]?.delivery).toEqual({
      notificationId: expect.stringMatching(/#change:/),
      possibleRepeat: false,
    })
    expect(logs.map((log) => log.message)).toEqual(['notification published', 'notification already sent'])
  })

  it('sends a finding again when a new change raises it', async () => {
    const { deps, published, attempt } = makeDeps()
    await notifyEvent(structuredClone(findingEvent), attempt(), deps)
    const again = structuredClone(findingEvent) as { detail: { change: { eventId: string } } }
    again.detail.change.eventId = 'second-detach-event'
    await expect(notifyEvent(again, attempt(), deps)).resolves.toBe('sent')
    expect(published).toHaveLength(2)
  })

  it('sends an audit finding (no change) once a day, however often the audit finds it', async () => {
    const { deps, published, attempt, setNow } = makeDeps({ now: '2025-03-26T23:59:59Z' })
    const audit = structuredClone(findingEvent) as { detail: Record<string, unknown> }
    delete audit.detail.change
    await expect(notifyEvent(structuredClone(audit), attempt(), deps)).resolves.toBe('sent')
    await expect(notifyEvent(structuredClone(audit), attempt(), deps)).resolves.toBe('suppressed')
    setNow('2025-03-27T00:00:01Z')
    await expect(notifyEvent(structuredClone(audit), attempt(), deps)).resolves.toBe('sent')
    expect(published).toHaveLength(2)
  })

  it('sends each remediation outcome once; a different outcome of the same finding is news', async () => {
    const { deps, published, attempt } = makeDeps()
    await expect(notifyEvent(structuredClone(remediationEvent), attempt(), deps)).resolves.toBe('sent')
    await expect(notifyEvent(structuredClone(remediationEvent), attempt(), deps)).resolves.toBe('suppressed')
    const failed = envelope('Support Access Remediation', makeRemediationDetail({ outcome: 'failed' }))
    await expect(notifyEvent(failed, attempt(), deps)).resolves.toBe('sent')
    expect(published.map((entry) => entry.notification.attributes.outcome)).toEqual(['reverted', 'failed'])
  })

  it('gives the slot back when SNS refused every try, so the retry sends at once and unmarked', async () => {
    const { deps, published, slots, notifier, attempt } = makeDeps({ failPublish: true })
    notifier.error = refused()
    await expect(notifyEvent(structuredClone(findingEvent), attempt(), deps)).rejects.toBe(notifier.error)
    expect(notifier.tries).toBe(3)
    expect(slots.entries.size).toBe(0)
    notifier.failing = false
    await expect(notifyEvent(structuredClone(findingEvent), attempt(), deps)).resolves.toBe('sent')
    expect(published.map((entry) => entry.delivery.possibleRepeat)).toEqual([false])
  })

  it('marks the copy sent after a try that may have gone out (a server error), within one invocation', async () => {
    const { deps, published, notifier, attempt } = makeDeps()
    notifier.failNext = 1
    await expect(notifyEvent(structuredClone(findingEvent), attempt(), deps)).resolves.toBe('sent')
    expect(notifier.tries).toBe(2)
    expect(published.map((entry) => entry.delivery.possibleRepeat)).toEqual([true])
  })

  it('keeps the claim when a failed publish may have gone out: the retry after the lease marks its copy', async () => {
    const { deps, published, notifier, attempt, advance } = makeDeps({ failPublish: true })
    await expect(notifyEvent(structuredClone(findingEvent), attempt(), deps)).rejects.toThrow('SNS down')
    notifier.failing = false
    await expect(notifyEvent(structuredClone(findingEvent), attempt(), deps)).rejects.toBeInstanceOf(
      NotificationInProgressError,
    )
    advance(11_000)
    await expect(notifyEvent(structuredClone(findingEvent), attempt(), deps)).resolves.toBe('sent')
    expect(published.map((entry) => entry.delivery.possibleRepeat)).toEqual([true])
  })

  it('never reports a finding as sent while another invocation holds it: the duplicate fails to be retried', async () => {
    const { deps, published, slots, attempt } = makeDeps()
    const first = attempt()
    // The first invocation claimed the slot and is still publishing.
    const slot = slotOf(parseGuardBusEvent(findingEvent), deps.now())
    await expect(slots.claim(slot, first.owner, first.leaseUntil, deps.now())).resolves.toEqual({
      status: 'claimed',
    })
    const duplicate = notifyEvent(structuredClone(findingEvent), attempt(), deps)
    await expect(duplicate).rejects.toBeInstanceOf(NotificationInProgressError)
    expect(published).toHaveLength(0)
  })

  it('takes over the slot of an attempt whose lease ran out, and marks the message as a possible repeat', async () => {
    const { deps, published, slots, attempt, advance } = makeDeps()
    // An attempt published, then died before it recorded the slot as sent.
    slots.fail.markSent = true
    await expect(notifyEvent(structuredClone(findingEvent), attempt(), deps)).resolves.toBe('sent')
    slots.fail.markSent = false
    // A duplicate delivery within the lease is retried later, not suppressed.
    await expect(notifyEvent(structuredClone(findingEvent), attempt(), deps)).rejects.toBeInstanceOf(
      NotificationInProgressError,
    )
    advance(11_000)
    await expect(notifyEvent(structuredClone(findingEvent), attempt(), deps)).resolves.toBe('sent')
    expect(published).toHaveLength(2)
    expect(published[1]?.delivery).toMatchObject({ possibleRepeat: true })
    expect(published[1]?.notification.body).toMatch(/^Possible repeat: /)
    expect(published[1]?.delivery.notificationId).toBe(published[0]?.delivery.notificationId)
    // Once recorded as sent, nothing more goes out.
    await expect(notifyEvent(structuredClone(findingEvent), attempt(), deps)).resolves.toBe('suppressed')
  })

  it('reports sent when only recording it failed, and says a later delivery may repeat it', async () => {
    const { deps, slots, logs, attempt } = makeDeps()
    slots.fail.markSent = true
    await expect(notifyEvent(structuredClone(findingEvent), attempt(), deps)).resolves.toBe('sent')
    expect(logs.map((log) => log.message)).toContain(
      'notification published but not recorded as sent: a later delivery may repeat it',
    )
  })

  it('lets the same invocation claim its own slot again (a claim whose reply was lost)', async () => {
    const { deps, published, slots, attempt } = makeDeps()
    const mine = attempt()
    const slot = { id: 'sag-x', period: 'once' }
    await slots.claim(slot, mine.owner, mine.leaseUntil, deps.now())
    await expect(slots.claim(slot, mine.owner, mine.leaseUntil, deps.now())).resolves.toEqual({
      status: 'claimed',
    })
    expect(published).toHaveLength(0)
  })

  it('rethrows the publish error even when the slot cannot be given back', async () => {
    const { deps, slots, logs, notifier, attempt } = makeDeps({ failPublish: true })
    notifier.error = refused()
    slots.fail.release = true
    await expect(notifyEvent(structuredClone(findingEvent), attempt(), deps)).rejects.toThrow('Rate exceeded')
    expect(logs.map((log) => log.message)).toContain('could not give back the notification slot')
  })

  it('fails without sending when the slot cannot be claimed', async () => {
    const { deps, published, slots, attempt } = makeDeps()
    slots.fail.claim = true
    await expect(notifyEvent(structuredClone(findingEvent), attempt(), deps)).rejects.toThrow('DynamoDB down')
    expect(published).toHaveLength(0)
  })

  it.each([
    {
      name: 'another source',
      event: envelope('Support Access Finding', makeFindingDetail('NO_SUPPORT_ROLE'), 'aws.iam'),
      path: 'source',
    },
    { name: 'another detail-type', event: envelope('AWS API Call via CloudTrail', {}), path: 'detail-type' },
    {
      name: 'a finding with an unknown rule',
      event: envelope('Support Access Finding', { ...makeFindingDetail('NO_SUPPORT_ROLE'), rule: 'NOPE' }),
      path: 'detail.rule',
    },
    {
      name: 'a remediation with an unknown step',
      event: envelope(
        'Support Access Remediation',
        makeRemediationDetail({ steps: [{ action: 'rm-rf' } as never] }),
      ),
      path: 'detail.steps.0.action',
    },
    { name: 'not an object', event: 'hello', path: '' },
  ])('rejects $name with BusEventError naming the path', async ({ event, path }) => {
    const { deps, published, attempt } = makeDeps()
    const result = notifyEvent(event, attempt(), deps)
    await expect(result).rejects.toBeInstanceOf(BusEventError)
    await expect(result).rejects.toMatchObject({
      name: 'BusEventError',
      issues: expect.arrayContaining([expect.objectContaining({ path })]),
      message: expect.stringContaining(`${path || '(event)'}: `),
    })
    expect(published).toHaveLength(0)
  })
})
