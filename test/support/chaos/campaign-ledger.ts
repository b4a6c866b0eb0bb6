import type { SnsNotification } from '../e2e/pipeline-trace.ts'
import type { DeadLetter } from './async-lambda.ts'
import type { CampaignEvent } from './campaign-events.ts'
import { countDuplicateNotifications, eventIdsOf, outcomeOf } from './notification-index.ts'

/** How one event of the campaign ended. */
export interface EventFate {
  readonly event: CampaignEvent
  /** Finding notifications (`outcome: open`) naming the event. */
  readonly findingNotifications: number
  /** Remediation outcomes notified for the event (`reverted`, `failed`, `skipped`), one per message. */
  readonly remediationOutcomes: readonly string[]
  /** Deliveries of the event (or of guard events it caused) that exhausted their attempts. */
  readonly deadLetters: readonly DeadLetter[]
  /** Enforce mode should report a remediation outcome for it. */
  readonly expectsRemediation: boolean
}

/** The campaign's figures. An event may count as delivered, failure-notified and dead-lettered at once. */
export interface CampaignFigures {
  readonly events: number
  /** A finding notification for the event arrived. */
  readonly delivered: number
  /** A remediation `failed` notification for the event arrived. */
  readonly failureNotified: number
  /** One of its deliveries exhausted Lambda's attempts. */
  readonly deadLettered: number
  /** None of the three. */
  readonly lost: number
  /** Messages beyond the first per notification. */
  readonly duplicateNotifications: number
  /**
   * Events enforce mode should have reverted that got neither a remediation notification nor a
   * dead letter of remediate or notify: the finding said a second message would come, and none did.
   */
  readonly remediationSilent: number
}

/** Attributes notifications and dead letters to the campaign's events. */
export function judgeCampaign(
  events: readonly CampaignEvent[],
  notifications: readonly SnsNotification[],
  deadLetters: readonly DeadLetter[],
  expectsRemediation: (event: CampaignEvent) => boolean,
): { fates: EventFate[]; figures: CampaignFigures } {
  const known = new Set(events.map((event) => event.eventId))
  const findings = new Map<string, number>()
  const outcomes = new Map<string, string[]>()
  for (const notification of notifications) {
    const outcome = outcomeOf(notification)
    for (const eventId of eventIdsOf(notification, known)) {
      if (outcome === 'open') findings.set(eventId, (findings.get(eventId) ?? 0) + 1)
      else outcomes.set(eventId, [...(outcomes.get(eventId) ?? []), outcome])
    }
  }
  const letters = new Map<string, DeadLetter[]>()
  for (const letter of deadLetters) {
    const eventId = eventIdOfDelivery(letter.event)
    if (eventId !== undefined) letters.set(eventId, [...(letters.get(eventId) ?? []), letter])
  }
  const fates = events.map(
    (event): EventFate => ({
      event,
      findingNotifications: findings.get(event.eventId) ?? 0,
      remediationOutcomes: outcomes.get(event.eventId) ?? [],
      deadLetters: letters.get(event.eventId) ?? [],
      expectsRemediation: expectsRemediation(event),
    }),
  )
  const delivered = fates.filter((fate) => fate.findingNotifications > 0)
  const failureNotified = fates.filter((fate) => fate.remediationOutcomes.includes('failed'))
  const deadLettered = fates.filter((fate) => fate.deadLetters.length > 0)
  return {
    fates,
    figures: {
      events: events.length,
      delivered: delivered.length,
      failureNotified: failureNotified.length,
      deadLettered: deadLettered.length,
      lost: fates.filter(isLost).length,
      duplicateNotifications: countDuplicateNotifications(notifications),
      remediationSilent: fates.filter(isRemediationSilent).length,
    },
  }
}

/** Neither notified nor failure-notified nor dead-lettered: silence. */
export function isLost(fate: EventFate): boolean {
  return (
    fate.findingNotifications === 0 &&
    !fate.remediationOutcomes.includes('failed') &&
    fate.deadLetters.length === 0
  )
}

/**
 * Notified as a finding that enforce mode reverts, then nothing: no remediation message and no
 * dead letter that would tell an operator why.
 */
export function isRemediationSilent(fate: EventFate): boolean {
  return (
    fate.expectsRemediation &&
    fate.findingNotifications > 0 &&
    fate.remediationOutcomes.length === 0 &&
    fate.deadLetters.length === 0
  )
}

/**
 * The CloudTrail event ID a delivery is about: `detail.eventID` of a CloudTrail event, or
 * `detail.change.eventId` of a guard event on the findings bus.
 */
export function eventIdOfDelivery(event: unknown): string | undefined {
  const detail = isRecord(event) && isRecord(event.detail) ? event.detail : undefined
  if (!detail) return undefined
  if (typeof detail.eventID === 'string') return detail.eventID
  const change = isRecord(detail.change) ? detail.change : undefined
  return typeof change?.eventId === 'string' ? change.eventId : undefined
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
