import { describe, expect, it } from 'vitest'
import type { DeadLetter } from '#test-support/chaos/async-lambda.ts'
import type { CampaignEvent, CampaignKind } from '#test-support/chaos/campaign-events.ts'
import { eventIdOfDelivery, judgeCampaign } from '#test-support/chaos/campaign-ledger.ts'
import type { SnsNotification } from '#test-support/e2e/pipeline-trace.ts'

const ID = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`

function event(n: number, kind: CampaignKind = 'revoke-required'): CampaignEvent {
  const eventId = ID(n)
  return {
    eventId,
    kind,
    principalName: `chaos-required-${n}`,
    event: {
      version: '0',
      id: `bus-${n}`,
      'detail-type': 'AWS API Call via CloudTrail',
      source: 'aws.iam',
      account: '123456789012',
      time: '2025-03-10T16:08:52Z',
      region: 'us-east-1',
      resources: [],
      detail: { eventID: eventId },
    },
  }
}

function message(
  n: number,
  outcome: string,
  notificationId = `f#change:${ID(n)}#${outcome}`,
): SnsNotification {
  return {
    subject: `s${n}`,
    message: `What happened\n  CloudTrail event: ${ID(n)}\n`,
    attributes: { outcome, notificationId },
  }
}

const letter = (functionId: string, delivered: unknown): DeadLetter => ({
  functionId,
  event: delivered,
  attempts: 3,
  lastError: 'Error: x',
})

const always = () => true

describe('judgeCampaign', () => {
  it('sorts events into delivered, failure-notified, dead-lettered and lost', () => {
    const events = [event(1), event(2), event(3), event(4), event(5)]
    const notifications = [
      message(1, 'open'),
      message(1, 'reverted'),
      message(2, 'failed'),
      // A repeat of the first message (the same notificationId).
      message(1, 'open'),
    ]
    const letters = [
      letter('DetectFunction', events[2]?.event),
      letter('NotifyFunction', { id: 'x', detail: { change: { eventId: ID(4) } } }),
    ]
    const { figures, fates } = judgeCampaign(events, notifications, letters, always)
    expect(figures).toEqual({
      events: 5,
      delivered: 1,
      failureNotified: 1,
      deadLettered: 2,
      lost: 1,
      duplicateNotifications: 1,
      remediationSilent: 0,
    })
    expect(fates[0]).toMatchObject({ findingNotifications: 2, remediationOutcomes: ['reverted'] })
    expect(fates[4]?.deadLetters).toEqual([])
  })

  it('finds a finding notified whose announced revert was never reported', () => {
    const events = [event(1), event(2, 'grant-role')]
    const { figures } = judgeCampaign(
      events,
      [message(1, 'open'), message(2, 'open')],
      [],
      (candidate) => candidate.kind === 'revoke-required',
    )
    expect(figures).toMatchObject({ delivered: 2, lost: 0, remediationSilent: 1 })
  })

  it('keys messages without a notificationId by their text', () => {
    const bare = (n: number): SnsNotification => ({
      subject: 's',
      message: `event ${ID(n)}`,
      attributes: { outcome: 'open' },
    })
    const { figures } = judgeCampaign([event(1), event(2)], [bare(1), bare(1), bare(2)], [], always)
    expect(figures.duplicateNotifications).toBe(1)
  })
})

describe('eventIdOfDelivery', () => {
  it('reads the CloudTrail event ID of a CloudTrail event or of a guard event', () => {
    expect(eventIdOfDelivery({ detail: { eventID: 'a' } })).toBe('a')
    expect(eventIdOfDelivery({ detail: { change: { eventId: 'b' } } })).toBe('b')
    expect(eventIdOfDelivery({ detail: {} })).toBeUndefined()
    expect(eventIdOfDelivery('x')).toBeUndefined()
  })
})
