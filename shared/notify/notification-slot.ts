import { createHash } from 'node:crypto'
import type { GuardBusEvent } from '#shared/pipeline/bus-events.ts'
import { AUDIT_SUMMARY_DETAIL_TYPE, FINDING_DETAIL_TYPE } from '#shared/pipeline/bus-events.ts'

/**
 * What one notification is about, stable across every delivery of it: a retried publish of the
 * same finding gets a new EventBridge ID, but the same slot.
 */
export interface NotificationSlot {
  /** Also sent as the `notificationId` message attribute, so a subscriber can drop repeats. */
  readonly id: string
  /** `once`, or the UTC day (`YYYY-MM-DD`) of an open finding the audit keeps finding. */
  readonly period: string
}

/** What claiming a slot found. */
export type SlotClaim =
  /** This invocation holds the slot; `earlierAttemptUntil` when it took over an attempt that may have sent. */
  | { readonly status: 'claimed'; readonly earlierAttemptUntil?: Date }
  /** The message was published before: nothing to send. */
  | { readonly status: 'sent'; readonly sentAt?: string }
  /** Another invocation is sending it right now, until `until` at the latest. */
  | { readonly status: 'busy'; readonly until: Date }

/** Where slots are kept (DynamoDB in the function, memory in tests). */
export interface SlotStore {
  claim(slot: NotificationSlot, owner: string, leaseUntil: Date, now: Date): Promise<SlotClaim>
  markSent(slot: NotificationSlot, owner: string, now: Date): Promise<void>
  release(slot: NotificationSlot, owner: string): Promise<void>
}

/**
 * The slot of a findings-bus event:
 * - a finding raised by a change: one message per finding and CloudTrail event (the same detach
 *   twice in a day is two incidents);
 * - a finding of the scheduled audit: one message per finding and UTC day while it stays open;
 * - a remediation outcome: one message per finding, change (or audit day) and outcome (its
 *   steps and reason: two refused events asking for different writes are two messages);
 * - an audit run's summary: one message per run. Every run is news, so two runs on one day are
 *   two messages (unlike an audit finding's daily slot), while EventBridge's retries of the one
 *   summary of a run still find its slot sent.
 */
export function slotOf(event: GuardBusEvent, now: Date): NotificationSlot {
  if (event['detail-type'] === AUDIT_SUMMARY_DETAIL_TYPE)
    return { id: `audit-run#${event.detail.runId}`, period: 'once' }
  const day = now.toISOString().slice(0, 10)
  const subject =
    event['detail-type'] === FINDING_DETAIL_TYPE
      ? event.detail.id
      : `${event.detail.findingId}#outcome:${event.detail.outcome}:${digest(event.detail)}`
  const change = event.detail.change
  return change ? { id: `${subject}#change:${change.eventId}`, period: 'once' } : { id: subject, period: day }
}

/** A short digest of what an outcome says (its steps and reason). */
function digest(detail: { readonly steps: unknown; readonly reason: string }): string {
  return createHash('sha256')
    .update(JSON.stringify([detail.steps, detail.reason]))
    .digest('hex')
    .slice(0, 12)
}
