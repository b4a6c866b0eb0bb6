import { vi } from 'vitest'
import type { GuardConfig } from '#shared/config/guard-config.ts'
import { parseChangeEvent } from '#shared/events/parse-change-event.ts'
import type { ChangeEvent } from '#shared/events/types.ts'
import type { Baseline } from '#shared/pipeline/baseline.ts'
import type { BusEvent, GuardMode } from '#shared/pipeline/bus-events.ts'
import { mutationOfChange } from '#shared/pipeline/change-mutation.ts'
import { type DetectDeps, type DetectResult, detectChange } from '#shared/pipeline/detect-change.ts'
import { MemoryBaselineStore } from '#shared/pipeline/memory-baseline-store.ts'
import { applyMutation } from '#shared/pipeline/mutate-snapshot.ts'
import type { CoreLogger, FindingsPublisher } from '#shared/pipeline/ports.ts'
import { captureProtectedBaselines as captureShared } from '#shared/pipeline/protected-baselines.ts'
import { SnapshotReader } from '#shared/snapshot/snapshot-reader.ts'
import type { AccountSnapshot } from '#shared/snapshot/types.ts'
import { loadEvent } from './sample-events.ts'

export const EVENT_TIME = '2025-03-10T16:08:52.000Z'

export function makeSilentLogger(): CoreLogger {
  return { info: vi.fn(), warn: vi.fn() }
}

/** A publisher that keeps what it was given. */
export function makeRecordingPublisher(): FindingsPublisher & { events: BusEvent[] } {
  const events: BusEvent[] = []
  return {
    events,
    publish: vi.fn(async (batch: readonly BusEvent[]) => {
      events.push(...batch)
    }),
  }
}

/** The snapshot as it is after `change` (unchanged when the guard does not model the call). */
export function applyChange(before: AccountSnapshot, change: ChangeEvent): AccountSnapshot {
  const mutation = mutationOfChange(change)
  return mutation ? applyMutation(before, mutation) : before
}

/** Baselines of every protected principal (required support principal or Support App role) of `snapshot`. */
export function captureProtectedBaselines(snapshot: AccountSnapshot, config: GuardConfig): Baseline[] {
  return captureShared(snapshot, config, { recordedAt: EVENT_TIME, source: 'test' })
}

export interface DetectHarness {
  readonly deps: DetectDeps
  readonly reader: SnapshotReader
  readonly store: MemoryBaselineStore
  readonly publisher: ReturnType<typeof makeRecordingPublisher>
}

export interface HarnessOptions {
  /** State after the change, as the reader serves it. */
  readonly after: AccountSnapshot
  readonly config: GuardConfig
  /** Known-good state: its protected principals become the baselines (unless `baselines` is given). */
  readonly before?: AccountSnapshot
  readonly baselines?: readonly Baseline[]
  readonly mode?: GuardMode
  readonly guardRoleArn?: string
}

/** DetectDeps over a SnapshotReader, a MemoryBaselineStore and a recording publisher. */
export function buildDetectHarness(options: HarnessOptions): DetectHarness {
  const reader = new SnapshotReader(options.after)
  const store = new MemoryBaselineStore(
    options.baselines ?? (options.before ? captureProtectedBaselines(options.before, options.config) : []),
  )
  const publisher = makeRecordingPublisher()
  return {
    reader,
    store,
    publisher,
    deps: {
      reader,
      baselines: store,
      changes: store,
      publisher,
      config: options.config,
      mode: options.mode ?? 'enforce',
      ...(options.guardRoleArn ? { guardRoleArn: options.guardRoleArn } : {}),
      logger: makeSilentLogger(),
      now: () => new Date(EVENT_TIME),
    },
  }
}

/**
 * Runs a sample event through detectChange: `before` is the known-good state (its protected
 * principals are the baselines) and the reader serves `before` with the event applied.
 */
export async function detectSample(
  file: string,
  before: AccountSnapshot,
  config: GuardConfig,
  mode: GuardMode = 'enforce',
): Promise<DetectResult & { harness: DetectHarness; after: AccountSnapshot }> {
  const outcome = parseChangeEvent(loadEvent(file))
  if (outcome.status !== 'change') throw new Error(`${file} is not a change`)
  const after = applyChange(before, outcome.change)
  const harness = buildDetectHarness({ before, after, config, mode })
  return { ...(await detectChange(outcome, harness.deps)), harness, after }
}
