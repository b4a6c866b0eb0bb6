import type { SnsNotification } from '../e2e/pipeline-trace.ts'

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g

/**
 * The CloudTrail event IDs among `known` that a notification is about: those its text names (a
 * finding or remediation message shows `CloudTrail event: <eventID>`) or its `notificationId`
 * carries (`…#change:<eventID>`).
 */
export function eventIdsOf(notification: SnsNotification, known: ReadonlySet<string>): string[] {
  const text = `${notification.message}\n${notification.attributes.notificationId ?? ''}`
  return [...new Set(text.match(UUID) ?? [])].filter((id) => known.has(id))
}

/**
 * What makes two messages the same notification: the `notificationId` attribute, or, on a
 * message without one, its subject and text.
 */
export function notificationKey(notification: SnsNotification): string {
  const id = notification.attributes.notificationId
  return id === undefined ? `content:${notification.subject}\n${notification.message}` : `id:${id}`
}

/** Messages beyond the first of each notification (by `notificationKey`). */
export function countDuplicateNotifications(notifications: readonly SnsNotification[]): number {
  const seen = new Set<string>()
  let duplicates = 0
  for (const notification of notifications) {
    const key = notificationKey(notification)
    if (seen.has(key)) duplicates++
    else seen.add(key)
  }
  return duplicates
}

/** The `outcome` attribute: `open` for a finding, `reverted`/`failed`/`skipped` for a remediation. */
export function outcomeOf(notification: SnsNotification): string {
  return notification.attributes.outcome ?? 'unknown'
}

/**
 * Notifications sent more than once with more than one copy not marked `possibleRepeat`: the
 * guard promises at most one unmarked copy of each.
 */
export function countUnmarkedRepeats(notifications: readonly SnsNotification[]): number {
  return listUnmarkedRepeats(notifications).length
}

/** The keys (`notificationKey`) of the notifications `countUnmarkedRepeats` counts. */
export function listUnmarkedRepeats(notifications: readonly SnsNotification[]): string[] {
  const unmarked = new Map<string, number>()
  for (const notification of notifications) {
    if (notification.attributes.possibleRepeat === 'true') continue
    const key = notificationKey(notification)
    unmarked.set(key, (unmarked.get(key) ?? 0) + 1)
  }
  return [...unmarked].filter(([, count]) => count > 1).map(([key]) => key)
}
