import type { DeliveryRecord } from './async-lambda.ts'

/** Deliveries and attempts of one function. */
export interface FunctionDeliveryStats {
  readonly functionId: string
  readonly deliveries: number
  readonly attempts: number
  readonly failedAttempts: number
  readonly timedOut: number
  readonly deadLettered: number
}

/** Per function, in the order functions first appear. */
export function summarizeDeliveries(deliveries: readonly DeliveryRecord[]): FunctionDeliveryStats[] {
  const stats = new Map<
    string,
    { deliveries: number; attempts: number; failed: number; timedOut: number; dead: number }
  >()
  for (const delivery of deliveries) {
    const entry = stats.get(delivery.functionId) ?? {
      deliveries: 0,
      attempts: 0,
      failed: 0,
      timedOut: 0,
      dead: 0,
    }
    entry.deliveries++
    entry.attempts += delivery.attempts.length
    entry.failed += delivery.attempts.filter((attempt) => !attempt.ok).length
    entry.timedOut += delivery.attempts.filter((attempt) => attempt.timedOut).length
    if (delivery.deadLetter) entry.dead++
    stats.set(delivery.functionId, entry)
  }
  return [...stats].map(([functionId, entry]) => ({
    functionId,
    deliveries: entry.deliveries,
    attempts: entry.attempts,
    failedAttempts: entry.failed,
    timedOut: entry.timedOut,
    deadLettered: entry.dead,
  }))
}

/** `DetectFunction 1000 deliveries, 1180 attempts (180 failed, 3 timed out, 2 dead-lettered); …` */
export function formatDeliveryStats(stats: readonly FunctionDeliveryStats[]): string {
  return stats
    .map(
      (entry) =>
        `${entry.functionId} ${entry.deliveries} deliveries, ${entry.attempts} attempts (${entry.failedAttempts} failed, ${entry.timedOut} timed out, ${entry.deadLettered} dead-lettered)`,
    )
    .join('; ')
}

/**
 * The most frequent errors of failed attempts, by error name and the start of the message:
 * `IdempotencyAlreadyInProgressError ×12`.
 */
export function topErrors(deliveries: readonly DeliveryRecord[], limit = 4): string[] {
  const counts = new Map<string, number>()
  for (const delivery of deliveries) {
    for (const attempt of delivery.attempts) {
      if (attempt.ok || attempt.error === undefined) continue
      const key = `${delivery.functionId}: ${shorten(attempt.error)}`
      counts.set(key, (counts.get(key) ?? 0) + 1)
    }
  }
  return [...counts]
    .sort((a, b) => b[1] - a[1])
    .slice(0, limit)
    .map(([key, count]) => `${key} ×${count}`)
}

/** The error's name and cause name, or its first words: enough to group by. */
function shorten(error: string): string {
  const cause = /\(cause: ([A-Za-z]+)/.exec(error)?.[1]
  const name = /^[A-Za-z]+/.exec(error)?.[0] ?? error.slice(0, 40)
  return cause ? `${name} (cause ${cause})` : name === 'Task' ? 'timed out' : name
}
