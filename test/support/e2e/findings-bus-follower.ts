import type { EmulatorSqs } from './emulator-sqs.ts'
import { type EventRoute, listScheduledFunctions, routeEvent } from './event-routes.ts'
import type { GuardStack } from './guard-stack.ts'
import type { InFlight } from './in-flight.ts'
import { parseSnsEnvelope, type SnsNotification } from './pipeline-trace.ts'

/** Logical ID of the custom bus in template.yaml whose rules route findings and remediations. */
export const FINDINGS_BUS_ID = 'FindingsBus'

/** What following the bus does with each captured event. */
export interface BusVisitor {
  /** Called once per event taken off the bus, before its functions are invoked. */
  onEvent(event: unknown): void
  /** Invokes (or delivers to) one function the template's rules route the event to. */
  dispatch(functionId: string, event: unknown): Promise<unknown>
}

/**
 * Routes events with the template's own rules and reads what the guard produced: the findings
 * bus through its capture queue (a rule copies every guard event there, since the emulator's
 * EventBridge cannot invoke Lambda targets) and SNS through the topic's subscriber queue.
 */
export class FindingsBusFollower {
  readonly #routes: readonly EventRoute[]
  readonly #sqs: EmulatorSqs
  readonly #stack: GuardStack

  constructor(routes: readonly EventRoute[], sqs: EmulatorSqs, stack: GuardStack) {
    this.#routes = routes
    this.#sqs = sqs
    this.#stack = stack
  }

  /**
   * The functions the rules of a bus invoke for a CloudTrail event: the default bus, or another
   * bus of the template by logical ID (the organisation's intake bus).
   */
  routeCloudTrailEvent(event: unknown, busId?: string): string[] {
    return routeEvent(this.#routes, busId, event)
  }

  /** The functions the findings bus's rules invoke for a guard event. */
  routeBusEvent(event: unknown): string[] {
    return routeEvent(this.#routes, FINDINGS_BUS_ID, event)
  }

  /** The functions schedule rules invoke. */
  scheduledFunctions(): string[] {
    return listScheduledFunctions(this.#routes)
  }

  /** Every guard event put on the findings bus since the last drain, oldest first. */
  async drainBus(): Promise<unknown[]> {
    const messages = await this.#sqs.drain(this.#stack.busCaptureQueueUrl)
    return messages.map((message): unknown => JSON.parse(message.body))
  }

  /** Every SNS notification published since the last drain. */
  async drainNotifications(): Promise<SnsNotification[]> {
    const messages = await this.#sqs.drain(this.#stack.notificationQueueUrl)
    return messages.map((message) => parseSnsEnvelope(message.body))
  }

  /**
   * One invocation at a time: each captured event's functions in rule order, draining the bus
   * after each, until the bus is quiet; then the notifications sent meanwhile.
   */
  async follow(visitor: BusVisitor): Promise<SnsNotification[]> {
    const pending = await this.drainBus()
    for (let event = pending.shift(); event !== undefined; event = pending.shift()) {
      visitor.onEvent(event)
      for (const functionId of this.routeBusEvent(event)) {
        await visitor.dispatch(functionId, event)
        pending.push(...(await this.drainBus()))
      }
    }
    return this.drainNotifications()
  }

  /**
   * Deliveries side by side: every captured event's functions are dispatched without waiting and
   * tracked in `work` (which may hold other work too, such as CloudTrail deliveries). The bus is
   * read whenever `work` makes progress (or is nudged) and at least every `pacing.pollMs`; the
   * notification queue every `pacing.notificationsEveryMs` and at the end. Returns when nothing
   * is in flight and the bus is quiet.
   */
  async followConcurrently(
    work: InFlight,
    visitor: BusVisitor,
    onNotifications: (notifications: readonly SnsNotification[]) => void,
    pacing: { readonly pollMs: number; readonly notificationsEveryMs: number },
  ): Promise<void> {
    let notificationsReadAt = Date.now()
    for (;;) {
      // Idle before the drain and nothing drained: no running work can put anything on the bus.
      const wasIdle = work.size === 0
      const events = await this.drainBus()
      for (const event of events) {
        visitor.onEvent(event)
        for (const functionId of this.routeBusEvent(event)) work.add(visitor.dispatch(functionId, event))
      }
      work.throwIfFailed()
      const quiet = wasIdle && events.length === 0
      if (quiet || Date.now() - notificationsReadAt >= pacing.notificationsEveryMs) {
        onNotifications(await this.drainNotifications())
        notificationsReadAt = Date.now()
      }
      if (quiet) return
      await work.progress(pacing.pollMs)
    }
  }
}
