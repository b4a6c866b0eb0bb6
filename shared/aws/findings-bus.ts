import {
  type EventBridgeClient,
  PutEventsCommand,
  type PutEventsCommandOutput,
  type PutEventsRequestEntry,
} from '@aws-sdk/client-eventbridge'
import { type BusEvent, GUARD_EVENT_SOURCE } from '#shared/pipeline/bus-events.ts'
import type { FindingsPublisher } from '#shared/pipeline/ports.ts'

/** Some entries could not be put on the bus after every retry. */
export class FindingsBusError extends Error {
  override readonly name = 'FindingsBusError'
}

/** PutEvents takes at most 10 entries per call. */
const BATCH = 10

/**
 * Publishes guard events on the findings bus. Entries PutEvents rejects (FailedEntryCount > 0)
 * are retried up to `attempts` times in all; what still fails raises, so Lambda retries the
 * invocation and the dead-letter queue keeps it.
 */
export class EventBridgeFindingsPublisher implements FindingsPublisher {
  constructor(
    private readonly client: EventBridgeClient,
    private readonly busName: string,
    private readonly attempts = 3,
  ) {}

  async publish(events: readonly BusEvent[]): Promise<void> {
    const entries: PutEventsRequestEntry[] = events.map((event) => ({
      EventBusName: this.busName,
      Source: GUARD_EVENT_SOURCE,
      DetailType: event.detailType,
      Detail: JSON.stringify(event.detail),
      Resources: [],
    }))
    for (let start = 0; start < entries.length; start += BATCH)
      await this.#putBatch(entries.slice(start, start + BATCH))
  }

  async #putBatch(batch: PutEventsRequestEntry[]): Promise<void> {
    let pending = batch
    let lastErrors: string[] = []
    for (let attempt = 1; attempt <= this.attempts && pending.length > 0; attempt++) {
      let response: PutEventsCommandOutput
      try {
        response = await this.client.send(new PutEventsCommand({ Entries: pending }))
      } catch (error) {
        throw new FindingsBusError(`PutEvents to ${this.busName} failed`, { cause: error })
      }
      if (!response.FailedEntryCount) return
      const results = response.Entries ?? []
      if (results.length !== pending.length) {
        throw new FindingsBusError(
          `PutEvents to ${this.busName} reported ${response.FailedEntryCount} failure(s) without per-entry results`,
        )
      }
      lastErrors = results.flatMap((entry) =>
        entry.ErrorCode ? [`${entry.ErrorCode}: ${entry.ErrorMessage ?? ''}`] : [],
      )
      pending = pending.filter((_, index) => results[index]?.ErrorCode !== undefined)
    }
    if (pending.length > 0) {
      throw new FindingsBusError(
        `${pending.length} event(s) not accepted by ${this.busName} after ${this.attempts} attempts: ${lastErrors.join('; ')}`,
      )
    }
  }
}
