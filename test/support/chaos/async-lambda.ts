import { setTimeout as sleep } from 'node:timers/promises'
import { BundleInvocationError, makeContext } from '../e2e/bundles.ts'
import { createRandom, type Random } from '../synthetic/prng.ts'
import type { EnvironmentPool } from './environment-pool.ts'

/** Attempts of an asynchronous invocation: the first and Lambda's two retries. */
export const LAMBDA_ASYNC_ATTEMPTS = 3

/** The most a retry is put off at random beyond its minimum wait. */
const MAX_RETRY_JITTER_MS = 1000

/** No pool was loaded for a function an event was routed to. */
export class UnknownFunctionError extends Error {
  override readonly name = 'UnknownFunctionError'
}

/** One run of a handler. */
export interface AttemptRecord {
  readonly attempt: number
  readonly startedAt: number
  readonly durationMs: number
  readonly ok: boolean
  /** `Name: message` of what the handler threw, or the timeout. */
  readonly error?: string
  /** The handler was still running at the function's timeout (it was left to finish on its own). */
  readonly timedOut: boolean
}

/** A delivery the function failed on every attempt: what the function's dead-letter queue keeps. */
export interface DeadLetter {
  readonly functionId: string
  readonly event: unknown
  readonly attempts: number
  readonly lastError: string
}

/** Everything about one asynchronous delivery of an event to a function. */
export interface DeliveryRecord {
  readonly functionId: string
  readonly event: unknown
  readonly attempts: AttemptRecord[]
  /** What the last successful attempt returned. */
  result?: unknown
  deadLetter?: DeadLetter
}

/** How the deliveries behave. */
export interface AsyncLambdaOptions {
  /** Attempts before the event goes to the dead-letter queue (Lambda: 3). */
  readonly maxAttempts?: number
  /**
   * Pause after the failed attempt's deadline before the retry: at least this (default 100 ms),
   * plus a random share of half the function's timeout (a second at most). Lambda retries a minute, then two
   * minutes, later; what matters here is that a retry comes after the failed attempt's
   * idempotency record (which expires at its deadline) has expired, and that retries of
   * different deliveries do not march in step.
   */
  readonly retryGapMs?: number
  /** Seed of the retry jitter. */
  readonly seed?: number
  /** Called whenever an attempt ends (the follower reads the bus then). */
  readonly onAttemptEnd?: () => void
}

/**
 * Lambda's asynchronous invocation as EventBridge uses it: an attempt runs in a free execution
 * environment of the function's pool with a context whose remaining time counts down from the
 * function's timeout; when the handler throws or runs past its timeout, the event is retried
 * (after the failed attempt's deadline has passed and it has settled), and after the last
 * attempt it goes to the function's dead-letter queue.
 */
export class AsyncLambda {
  /** Every delivery, in the order they started. */
  readonly deliveries: DeliveryRecord[] = []
  /** Every event that exhausted its attempts. */
  readonly deadLetters: DeadLetter[] = []
  readonly #pools: ReadonlyMap<string, EnvironmentPool>
  readonly #maxAttempts: number
  readonly #retryGapMs: number
  readonly #onAttemptEnd: () => void
  readonly #random: Random

  constructor(pools: ReadonlyMap<string, EnvironmentPool>, options: AsyncLambdaOptions = {}) {
    this.#pools = pools
    this.#maxAttempts = options.maxAttempts ?? LAMBDA_ASYNC_ATTEMPTS
    this.#retryGapMs = options.retryGapMs ?? 100
    this.#onAttemptEnd = options.onAttemptEnd ?? (() => {})
    this.#random = createRandom(options.seed ?? 1)
  }

  /** Forgets the deliveries and dead letters recorded so far (the setup's, for instance). */
  reset(): void {
    this.deliveries.length = 0
    this.deadLetters.length = 0
  }

  /** Delivers an event; resolves when it succeeded or went to the dead-letter queue (never rejects for the handler's errors). */
  async deliver(functionId: string, event: unknown): Promise<DeliveryRecord> {
    const pool = this.#pools.get(functionId)
    if (!pool) throw new UnknownFunctionError(`no execution environments loaded for ${functionId}`)
    const record: DeliveryRecord = { functionId, event, attempts: [] }
    this.deliveries.push(record)
    for (let attempt = 1; attempt <= this.#maxAttempts; attempt++) {
      const outcome = await this.#attempt(pool, event, attempt)
      record.attempts.push(outcome.record)
      this.#onAttemptEnd()
      if (outcome.record.ok) {
        record.result = outcome.result
        return record
      }
      if (attempt < this.#maxAttempts) {
        await outcome.settled
        const jitter = this.#random.next() * Math.min(outcome.timeoutMs / 2, MAX_RETRY_JITTER_MS)
        const wait = outcome.deadline + this.#retryGapMs + jitter - Date.now()
        if (wait > 0) await sleep(wait)
      }
    }
    const last = record.attempts.at(-1)
    const deadLetter: DeadLetter = {
      functionId,
      event,
      attempts: record.attempts.length,
      lastError: last?.error ?? 'unknown error',
    }
    record.deadLetter = deadLetter
    this.deadLetters.push(deadLetter)
    return record
  }

  async #attempt(pool: EnvironmentPool, event: unknown, attempt: number): Promise<AttemptOutcome> {
    const environment = await pool.acquire()
    const startedAt = Date.now()
    const { timeoutMs } = environment
    const deadline = startedAt + timeoutMs
    const context = makeContext(pool.functionId, timeoutMs)
    const run = environment.invoke(pool.functionId, event, context).then(
      (result) => ({ ok: true as const, result }),
      (error: unknown) => ({ ok: false as const, error }),
    )
    // An environment whose handler ran past its timeout is busy until the handler settles.
    const settled = run.then(() => pool.release(environment))
    let timer: NodeJS.Timeout | undefined
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), Math.max(0, deadline - Date.now()))
    })
    const first = await Promise.race([run, timeout])
    clearTimeout(timer)
    const ended = { attempt, startedAt, durationMs: Date.now() - startedAt }
    const common = { deadline, timeoutMs, settled }
    if (first === 'timeout') {
      const error = `Task timed out after ${(timeoutMs / 1000).toFixed(2)} seconds`
      return { ...common, record: { ...ended, ok: false, error, timedOut: true } }
    }
    if (first.ok) return { ...common, record: { ...ended, ok: true, timedOut: false }, result: first.result }
    return { ...common, record: { ...ended, ok: false, error: describeError(first.error), timedOut: false } }
  }
}

/** How one attempt ended, and what the retry has to wait for. */
interface AttemptOutcome {
  readonly record: AttemptRecord
  readonly result?: unknown
  /** When the attempt's time was up: its idempotency record expires then. */
  readonly deadline: number
  readonly timeoutMs: number
  /** Settles when the handler has returned or thrown, even after a timeout. */
  readonly settled: Promise<void>
}

/**
 * `Name: message` of what the handler threw (the bundle loader wraps it in BundleInvocationError),
 * and of its innermost cause when it has one: `IdempotencyPersistenceLayerError: … (cause:
 * TimeoutError: …)`.
 */
export function describeError(error: unknown): string {
  const thrown = error instanceof BundleInvocationError ? error.cause : error
  if (!(thrown instanceof Error)) return String(thrown)
  let root: Error = thrown
  while (root.cause instanceof Error) root = root.cause
  const own = `${thrown.name}: ${thrown.message}`
  return root === thrown ? own : `${own} (cause: ${root.name}: ${root.message})`
}
