/**
 * The detect use-case over an account held in memory: the event is applied to the account
 * first (as IAM would hold it when detect reads), the protected principals of the state before
 * are the baselines, and findings are kept instead of published.
 */
import type { GuardConfig } from '#shared/config/guard-config.ts'
import { parseChangeEvent } from '#shared/events/parse-change-event.ts'
import type { FindingEventDetail } from '#shared/pipeline/bus-events.ts'
import { mutationOfChange } from '#shared/pipeline/change-mutation.ts'
import { type DetectResult, detectChange } from '#shared/pipeline/detect-change.ts'
import { MemoryBaselineStore } from '#shared/pipeline/memory-baseline-store.ts'
import { applyMutation } from '#shared/pipeline/mutate-snapshot.ts'
import type { CoreLogger } from '#shared/pipeline/ports.ts'
import { captureProtectedBaselines } from '#shared/pipeline/protected-baselines.ts'
import type { AccountReader } from '#shared/snapshot/account-reader.ts'
import type { AccountSnapshot } from '#shared/snapshot/types.ts'
import { MemoryAccount } from '../emulator/memory-account.ts'

/** Fixed clock: findings carry timestamps, and runs must compare. */
const NOW = '2025-06-01T12:00:05.000Z'
const SILENT: CoreLogger = { info: () => {}, warn: () => {} }

/** An event a bounds case built is not a change the guard classifies: the case itself is wrong. */
export class BoundsEventError extends Error {
  override readonly name = 'BoundsEventError'
}

export interface DetectRun {
  readonly result: DetectResult
  /** The findings detect published on the findings bus. */
  readonly findings: readonly FindingEventDetail[]
}

/**
 * How detect reads the principals a change reaches: `bulk` lets it read the whole account in
 * one go (as the Lambda does with GetAccountAuthorizationDetails above a few dozen principals),
 * `one-by-one` offers no bulk read, so it reads each principal on its own.
 */
export type ReadPath = 'bulk' | 'one-by-one'

/**
 * Runs `detectChange` in monitor mode on `event` against `before` with the event applied.
 * @throws BoundsEventError
 */
export async function detectInMemory(
  before: AccountSnapshot,
  event: unknown,
  config: GuardConfig,
  readPath: ReadPath = 'bulk',
): Promise<DetectRun> {
  const outcome = parseChangeEvent(event)
  if (outcome.status !== 'change') {
    const why = outcome.status === 'invalid' ? outcome.error.message : outcome.reason
    throw new BoundsEventError(`the event is not a change the guard classifies: ${why}`)
  }
  const mutation = mutationOfChange(outcome.change)
  const account = new MemoryAccount(mutation ? applyMutation(before, mutation) : before)
  const { readAccount, ...oneByOne } = account.reader
  const reader: AccountReader = readPath === 'bulk' && readAccount ? account.reader : oneByOne
  const store = new MemoryBaselineStore(
    captureProtectedBaselines(before, config, { recordedAt: NOW, source: 'bounds' }),
  )
  const result = await detectChange(outcome, {
    reader,
    baselines: store,
    changes: store,
    publisher: { publish: async () => {} },
    config,
    mode: 'monitor',
    logger: SILENT,
    now: () => new Date(NOW),
  })
  return { result, findings: result.findings }
}
