import {
  AUDIT_SUMMARY_DETAIL_TYPE,
  FINDING_DETAIL_TYPE,
  type GuardBusEvent,
  parseGuardBusEvent,
} from '#shared/pipeline/bus-events.ts'
import { AUDIT_SUMMARY_RULE, formatAuditSummaryNotification } from './format-audit-summary.ts'
import {
  type AccountContext,
  formatFindingNotification,
  formatRemediationNotification,
} from './format-notification.ts'
import type { Notification } from './notification.ts'
import { type NotificationSlot, type SlotStore, slotOf } from './notification-slot.ts'

/** How a message is marked for its subscribers: the slot's ID, and whether it may repeat one. */
export interface Delivery {
  readonly notificationId: string
  /** An earlier attempt held the slot and may have published before it failed. */
  readonly possibleRepeat: boolean
}

/** Names of the organisation's accounts; `undefined` for an account it cannot name. */
export interface AccountNames {
  nameOf(accountId: string): Promise<string | undefined>
}

export interface NotifyDeps {
  readonly notifier: { publish(notification: Notification, delivery: Delivery): Promise<void> }
  readonly slots: SlotStore
  /**
   * Present in an organisation: findings and outcomes then name their account as well. A lookup
   * that fails or is slow only leaves the name out; the notification goes all the same.
   */
  readonly accountNames?: AccountNames
  readonly now: () => Date
  readonly logger: {
    info(message: string, attributes: Readonly<Record<string, unknown>>): void
    warn(message: string, attributes: Readonly<Record<string, unknown>>): void
  }
}

/** The invocation sending: a unique owner for its slot claims, held until `leaseUntil`. */
export interface SendAttempt {
  readonly owner: string
  /** When the invocation ends at the latest (its remaining time): the claim lapses then. */
  readonly leaseUntil: Date
}

export type NotifyResult = 'sent' | 'suppressed'

/**
 * notify retries a publish itself (the SNS client makes one attempt), so that a copy sent after an
 * attempt that may have been delivered is marked as a possible repeat.
 */
const PUBLISH_TRIES = 3
const PUBLISH_BACKOFF_MS = 100

/**
 * How long a notification waits for its account's name. A name is a courtesy: past this the
 * message goes with the ID alone rather than spend the invocation's time on it.
 */
export const ACCOUNT_NAME_TIMEOUT_MS = 2_000

/**
 * False only when SNS answered with a client error (throttling, a bad request, no permission):
 * nothing was published. A server error, a timeout or a cut connection may come after the message
 * went out.
 */
export function mayHaveBeenPublished(error: unknown): boolean {
  const cause = error instanceof Error && error.cause !== undefined ? error.cause : error
  const status =
    typeof cause === 'object' && cause !== null
      ? (Reflect.get(cause, '$metadata') as { httpStatusCode?: number } | undefined)?.httpStatusCode
      : undefined
  return status === undefined || status >= 500
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

/**
 * Another invocation is sending the same notification. Thrown, never counted as sent: Lambda
 * retries later and then finds it sent, or takes the slot over if that invocation failed.
 */
export class NotificationInProgressError extends Error {
  override readonly name = 'NotificationInProgressError'

  constructor(slot: NotificationSlot, until: Date) {
    super(
      `notification ${slot.id} (${slot.period}) is being sent by another invocation until ${until.toISOString()}`,
    )
  }
}

/**
 * Publishes the notification for one findings-bus event, at least once and normally once.
 *
 * 1. Claim the event's slot (`slotOf`) for this attempt. Already sent: `suppressed`. Held by a
 *    live attempt: `NotificationInProgressError` (retried).
 * 2. Publish, up to three tries; a try after one that may have reached SNS is marked as a possible
 *    repeat. When all fail the error is rethrown, and the claim given back if SNS refused every try
 *    (the retry sends at once); otherwise it lapses with the lease and the retry's copy is marked.
 * 3. Record the slot as sent. If that write fails the message went out all the same: the claim
 *    lapses at the end of the lease, and a later delivery may send it again, marked.
 *
 * So a lost reply or a failed write can only cause a second message, never none. A message sent
 * after taking over the slot of an attempt that may have published is marked as a possible repeat;
 * every message carries the slot's ID as `notificationId`. Throws `BusEventError` for anything
 * but a guard event.
 */
export async function notifyEvent(
  event: unknown,
  attempt: SendAttempt,
  deps: NotifyDeps,
): Promise<NotifyResult> {
  const parsed = parseGuardBusEvent(event)
  const slot = slotOf(parsed, deps.now())
  const claim = await deps.slots.claim(slot, attempt.owner, attempt.leaseUntil, deps.now())
  const described = { notificationId: slot.id, period: slot.period, rule: ruleOf(parsed) }
  if (claim.status === 'sent') {
    deps.logger.info('notification already sent', { ...described, sentAt: claim.sentAt })
    return 'suppressed'
  }
  if (claim.status === 'busy') throw new NotificationInProgressError(slot, claim.until)
  const formatted = formatEvent(parsed, await lookUpAccount(parsed, deps))
  let possibleRepeat = claim.earlierAttemptUntil !== undefined
  for (let tries = 1; ; tries++) {
    try {
      await deps.notifier.publish(markRepeat(formatted, slot, possibleRepeat), {
        notificationId: slot.id,
        possibleRepeat,
      })
      break
    } catch (error) {
      // A publish that failed after reaching SNS may have gone out: the next copy says so.
      possibleRepeat ||= mayHaveBeenPublished(error)
      if (tries >= PUBLISH_TRIES) {
        // Given back only when nothing can have gone out; else the claim lapses with the lease and
        // the retry that takes it over marks its copy.
        if (!possibleRepeat) await giveBack(slot, attempt.owner, deps)
        throw error
      }
      await sleep(PUBLISH_BACKOFF_MS * 2 ** (tries - 1))
    }
  }
  deps.logger.info('notification published', { ...described, ...formatted.attributes, possibleRepeat })
  try {
    await deps.slots.markSent(slot, attempt.owner, deps.now())
  } catch (error) {
    deps.logger.warn('notification published but not recorded as sent: a later delivery may repeat it', {
      ...described,
      error,
    })
  }
  return 'sent'
}

function formatEvent(event: GuardBusEvent, account: AccountContext): Notification {
  switch (event['detail-type']) {
    case FINDING_DETAIL_TYPE:
      return formatFindingNotification(event.detail, account)
    case AUDIT_SUMMARY_DETAIL_TYPE:
      return formatAuditSummaryNotification(event.detail)
    default:
      return formatRemediationNotification(event.detail, account)
  }
}

function ruleOf(event: GuardBusEvent): string {
  return event['detail-type'] === AUDIT_SUMMARY_DETAIL_TYPE ? AUDIT_SUMMARY_RULE : event.detail.rule
}

/**
 * The name of the event's account, when there is a port to ask and it answers in time. A summary
 * names its accounts itself. Never throws: a failed or slow lookup is logged and left out.
 */
async function lookUpAccount(event: GuardBusEvent, deps: NotifyDeps): Promise<AccountContext> {
  if (deps.accountNames === undefined || event['detail-type'] === AUDIT_SUMMARY_DETAIL_TYPE) return {}
  const { accountId } = event.detail
  let timer: ReturnType<typeof setTimeout> | undefined
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), ACCOUNT_NAME_TIMEOUT_MS)
  })
  try {
    const name = await Promise.race([deps.accountNames.nameOf(accountId), timeout])
    if (name === 'timeout') {
      deps.logger.warn('account name lookup timed out: the notification names the account by ID alone', {
        accountId,
        timeoutMs: ACCOUNT_NAME_TIMEOUT_MS,
      })
      return {}
    }
    return name ? { accountName: name } : {}
  } catch (error) {
    deps.logger.warn('account name lookup failed: the notification names the account by ID alone', {
      accountId,
      error,
    })
    return {}
  } finally {
    clearTimeout(timer)
  }
}

function markRepeat(
  notification: Notification,
  slot: NotificationSlot,
  possibleRepeat: boolean,
): Notification {
  if (!possibleRepeat) return notification
  const notice = `Possible repeat: an earlier attempt to send this notification (ID ${slot.id}) failed after it may have been delivered.`
  return { ...notification, body: `${notice}\n\n${notification.body}` }
}

async function giveBack(slot: NotificationSlot, owner: string, deps: NotifyDeps): Promise<void> {
  try {
    await deps.slots.release(slot, owner)
  } catch (error) {
    // The publish error is the one to surface; a claim not given back lapses with its lease.
    deps.logger.warn('could not give back the notification slot', { notificationId: slot.id, error })
  }
}
