import type {
  FinalizeHandler,
  FinalizeHandlerArguments,
  MetadataBearer,
  MiddlewareStack,
} from '@smithy/types'
import type { Context } from 'aws-lambda'

/** Left for the function to finish its work (publish, record) after the last AWS call gives up. */
const DEADLINE_MARGIN_MS = 1_500
/** One attempt may not hang the invocation: a stalled connection is retried like a failed one. */
const REQUEST_TIMEOUT_MS = 5_000
const CONNECTION_TIMEOUT_MS = 2_000

/** An AWS call was not (re)tried because the invocation would end before its answer. */
export class DeadlineExceededError extends Error {
  override readonly name = 'DeadlineExceededError'
}

/**
 * The end of the current invocation, set from the Lambda context when it starts. Outside Lambda
 * (the CLI, scripts) it is unset and nothing is cut short.
 */
export class InvocationDeadline {
  #at = Number.POSITIVE_INFINITY

  start(context: Pick<Context, 'getRemainingTimeInMillis'>, now: number = Date.now()): void {
    this.#at = now + context.getRemainingTimeInMillis()
  }

  /** Milliseconds left before the margin the function keeps for itself. */
  remaining(now: number = Date.now()): number {
    return this.#at - DEADLINE_MARGIN_MS - now
  }
}

/** The part of a v3 client this needs: its middleware stack. */
export interface ClientWithMiddleware {
  // biome-ignore lint/suspicious/noExplicitAny: every client's stack is typed by its own input and output unions
  readonly middlewareStack: Pick<MiddlewareStack<any, any>, 'add'>
}

/**
 * Client settings of the guard's functions: `adaptive` retries (exponential back-off with jitter,
 * and a client-side rate limiter that slows down after throttling answers) with up to
 * `maxAttempts` attempts, and a timeout per attempt.
 */
export function retryingClientConfig(maxAttempts: number) {
  return {
    retryMode: 'adaptive',
    maxAttempts,
    requestHandler: { requestTimeout: REQUEST_TIMEOUT_MS, connectionTimeout: CONNECTION_TIMEOUT_MS },
  } as const
}

/**
 * Bounds a client's retries by the invocation's remaining time: each attempt (the check runs
 * inside the retry loop) first checks the deadline and fails with `DeadlineExceededError`, which
 * is not retried, when too little time is left. The function then fails as a whole, and Lambda
 * retries the event later instead of timing out with half its work done.
 */
export function boundByDeadline<T extends ClientWithMiddleware>(client: T, deadline: InvocationDeadline): T {
  client.middlewareStack.add(
    (next: FinalizeHandler<object, MetadataBearer>) => async (args: FinalizeHandlerArguments<object>) => {
      const left = deadline.remaining()
      if (left <= 0)
        throw new DeadlineExceededError(
          `no time left in this invocation for another AWS call (${DEADLINE_MARGIN_MS} ms kept in reserve)`,
        )
      return next(args)
    },
    { step: 'finalizeRequest', priority: 'low', name: 'guardInvocationDeadline', tags: ['GUARD_DEADLINE'] },
  )
  return client
}

/** A middy middleware that starts the deadline from each invocation's context. */
export function startDeadline(deadline: InvocationDeadline) {
  return {
    before: (request: { context: Pick<Context, 'getRemainingTimeInMillis'> }) => {
      deadline.start(request.context)
    },
  }
}

/** The attempts each client may make: IAM throttles most, so it gets the most room to back off. */
export const MAX_ATTEMPTS = { iam: 8, other: 5 } as const
