import { type GuardBusEvent, guardBusEventSchema } from '#shared/pipeline/bus-events.ts'
import type { SnsNotification } from '../e2e/pipeline-trace.ts'

/** What left the guard during a run: events on its findings bus and SNS messages. */
export class Observations {
  /** Findings-bus events that match the bus schema, in capture order. */
  readonly busEvents: GuardBusEvent[] = []
  /** Findings-bus events that do not (kept raw, so a report can show them). */
  readonly malformedBusEvents: unknown[] = []
  /** SNS messages, in the order the subscriber queue returned them. */
  readonly notifications: SnsNotification[] = []
  /** The subscriber queue handing out one SNS message again (not a second publish): not counted. */
  queueRedeliveries = 0
  readonly #messageIds = new Set<string>()

  recordBusEvent(event: unknown): void {
    const parsed = guardBusEventSchema.safeParse(event)
    if (parsed.success) this.busEvents.push(parsed.data)
    else this.malformedBusEvents.push(event)
  }

  recordNotifications(notifications: readonly SnsNotification[]): void {
    for (const notification of notifications) {
      const id = notification.messageId
      if (id !== undefined && this.#messageIds.has(id)) {
        this.queueRedeliveries++
        continue
      }
      if (id !== undefined) this.#messageIds.add(id)
      this.notifications.push(notification)
    }
  }
}
