import { describe, expect, it } from 'vitest'
import type { Notification } from '#shared/notify/notification.ts'
import { type NotifyDeps, notifyEvent } from '#shared/notify/notify-event.ts'
import { BusEventError } from '#shared/pipeline/bus-events.ts'
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

/** In-memory deps: a state table keyed like the real one, a notifier that records or fails. */
function makeDeps(options: { failPublish?: boolean; now?: string } = {}) {
  const published: Notification[] = []
  const slots = new Set<string>()
  const logs: { message: string; attributes: Readonly<Record<string, unknown>> }[] = []
  let clock = new Date(options.now ?? '2025-03-26T20:45:00Z')
  const deps: NotifyDeps = {
    notifier: {
      async publish(notification) {
        if (options.failPublish) throw new Error('SNS down')
        published.push(notification)
      },
    },
    state: {
      async claimDailySlot(findingId, day) {
        const key = `${findingId}|${day}`
        if (slots.has(key)) return false
        slots.add(key)
        return true
      },
      async releaseDailySlot(findingId, day) {
        slots.delete(`${findingId}|${day}`)
      },
    },
    now: () => clock,
    logger: {
      info: (message, attributes) => logs.push({ message, attributes }),
      warn: (message, attributes) => logs.push({ message, attributes }),
    },
  }
  return { deps, published, slots, logs, setNow: (iso: string) => (clock = new Date(iso)) }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

describe('notifyEvent', () => {
  it('sends a finding once a day and suppresses the second delivery the same day', async () => {
    const { deps, published, logs } = makeDeps()
    await expect(notifyEvent(structuredClone(findingEvent), deps)).resolves.toBe('sent')
    await expect(notifyEvent(structuredClone(findingEvent), deps)).resolves.toBe('suppressed')
    expect(published).toHaveLength(1)
    expect(published[0]?.attributes).toEqual({
      severity: 'high',
      rule: 'SUPPORT_ACCESS_LOST',
      outcome: 'open',
    })
    expect(logs.map((log) => log.message)).toEqual([
      'notification published',
      'finding already notified today',
    ])
  })

  it('sends a finding again the same day when a new change raises it', async () => {
    const { deps, published } = makeDeps()
    await notifyEvent(structuredClone(findingEvent), deps)
    const again = structuredClone(findingEvent) as { detail: { change: { eventId: string } } }
    again.detail.change.eventId = 'second-detach-event'
    await expect(notifyEvent(again, deps)).resolves.toBe('sent')
    expect(published).toHaveLength(2)
  })

  it('sends an audit finding (no change) once a day, however often the audit finds it', async () => {
    const { deps, published } = makeDeps()
    const audit = structuredClone(findingEvent) as { detail: Record<string, unknown> }
    delete audit.detail.change
    await expect(notifyEvent(structuredClone(audit), deps)).resolves.toBe('sent')
    await expect(notifyEvent(structuredClone(audit), deps)).resolves.toBe('suppressed')
    expect(published).toHaveLength(1)
  })

  it('sends the same finding again on the next UTC day', async () => {
    const { deps, published, setNow } = makeDeps({ now: '2025-03-26T23:59:59Z' })
    await notifyEvent(structuredClone(findingEvent), deps)
    setNow('2025-03-27T00:00:01Z')
    await expect(notifyEvent(structuredClone(findingEvent), deps)).resolves.toBe('sent')
    expect(published).toHaveLength(2)
  })

  it('always sends remediation outcomes, without claiming a slot', async () => {
    const { deps, published, slots } = makeDeps()
    await expect(notifyEvent(structuredClone(remediationEvent), deps)).resolves.toBe('sent')
    await expect(notifyEvent(structuredClone(remediationEvent), deps)).resolves.toBe('sent')
    expect(published.map((notification) => notification.attributes.outcome)).toEqual(['reverted', 'reverted'])
    expect(slots.size).toBe(0)
  })

  it('gives the slot back when publishing fails, so the retry sends', async () => {
    const failing = makeDeps({ failPublish: true })
    await expect(notifyEvent(structuredClone(findingEvent), failing.deps)).rejects.toThrow('SNS down')
    expect(failing.slots.size).toBe(0)
  })

  it('rethrows the publish error even when the slot cannot be given back', async () => {
    const { deps, logs } = makeDeps({ failPublish: true })
    const broken: NotifyDeps = {
      ...deps,
      state: {
        claimDailySlot: async () => true,
        releaseDailySlot: async () => {
          throw new Error('DynamoDB down')
        },
      },
    }
    await expect(notifyEvent(structuredClone(findingEvent), broken)).rejects.toThrow('SNS down')
    expect(logs.map((log) => log.message)).toContain('could not release notification slot')
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
    { name: 'not an object', event: 'hello', path: '(event)' },
  ])('rejects $name with BusEventError naming the path', async ({ event, path }) => {
    const { deps, published } = makeDeps()
    const result = notifyEvent(event, deps)
    await expect(result).rejects.toBeInstanceOf(BusEventError)
    await expect(result).rejects.toMatchObject({
      name: 'BusEventError',
      issues: expect.arrayContaining([expect.stringMatching(new RegExp(`^${escapeRegExp(path)}: `))]),
    })
    expect(published).toHaveLength(0)
  })
})
