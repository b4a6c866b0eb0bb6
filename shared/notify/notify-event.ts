import { FINDING_DETAIL_TYPE, parseGuardBusEvent } from '#shared/pipeline/bus-events.ts'
import { formatFindingNotification, formatRemediationNotification } from './format-notification.ts'
import type { Notification } from './notification.ts'

export interface NotifyDeps {
  readonly notifier: { publish(notification: Notification): Promise<void> }
  readonly state: {
    claimDailySlot(findingId: string, day: string): Promise<boolean>
    releaseDailySlot(findingId: string, day: string): Promise<void>
  }
  readonly now: () => Date
  readonly logger: {
    info(message: string, attributes: Readonly<Record<string, unknown>>): void
    warn(message: string, attributes: Readonly<Record<string, unknown>>): void
  }
}

export type NotifyResult = 'sent' | 'suppressed'

/**
 * Publishes the notification for one findings-bus event. An open finding is sent at most once
 * per UTC day (the first delivery claims the day's slot; later ones, from retries, duplicate
 * deliveries or the audit finding the same drift again, are suppressed); a finding raised by a
 * change gets a slot per CloudTrail event. If publishing fails the slot is given
 * back, so the retry sends it. Every remediation outcome is sent. Throws `BusEventError` for
 * anything but a guard event, and whatever publishing throws.
 */
export async function notifyEvent(event: unknown, deps: NotifyDeps): Promise<NotifyResult> {
  const parsed = parseGuardBusEvent(event)
  if (parsed['detail-type'] === FINDING_DETAIL_TYPE) {
    const finding = parsed.detail
    const day = deps.now().toISOString().slice(0, 10)
    // A finding raised by a change is news for every change (the same detach twice in a day is
    // two incidents); one the scheduled audit keeps finding is an open finding, sent once a day.
    const slot = finding.change ? `${finding.id}#${finding.change.eventId}` : finding.id
    if (!(await deps.state.claimDailySlot(slot, day))) {
      deps.logger.info('finding already notified today', { findingId: finding.id, rule: finding.rule, day })
      return 'suppressed'
    }
    try {
      await publish(formatFindingNotification(finding), finding.id, deps)
    } catch (error) {
      await releaseSlot(slot, day, deps)
      throw error
    }
    return 'sent'
  }
  const remediation = parsed.detail
  await publish(formatRemediationNotification(remediation), remediation.findingId, deps)
  return 'sent'
}

async function releaseSlot(findingId: string, day: string, deps: NotifyDeps): Promise<void> {
  try {
    await deps.state.releaseDailySlot(findingId, day)
  } catch (error) {
    // The publish error is the one to surface; a slot left claimed only delays the next send a day.
    deps.logger.warn('could not release notification slot', { findingId, day, error })
  }
}

async function publish(notification: Notification, findingId: string, deps: NotifyDeps): Promise<void> {
  await deps.notifier.publish(notification)
  deps.logger.info('notification published', { findingId, ...notification.attributes })
}
