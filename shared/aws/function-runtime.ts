import type { Logger } from '@aws-lambda-powertools/logger'
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware'
import type { Metrics } from '@aws-lambda-powertools/metrics'
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware'
import middy from '@middy/core'
import type { AwsCredentialIdentityProvider } from '@smithy/types'
import type { Context } from 'aws-lambda'
import {
  boundByDeadline,
  type ClientWithMiddleware,
  InvocationDeadline,
  retryingClientConfig,
  startDeadline,
} from './client-config.ts'

type ClientConfig = ReturnType<typeof retryingClientConfig>

/**
 * What every function of the guard shares: its logger and metrics, the deadline of the current
 * invocation, SDK clients bounded by that deadline, and the middy wiring around its handler.
 */
export class FunctionRuntime {
  readonly deadline = new InvocationDeadline()
  readonly #logger: Logger
  readonly #metrics: Metrics

  constructor(logger: Logger, metrics: Metrics) {
    this.#logger = logger
    this.#metrics = metrics
  }

  /**
   * An SDK client with adaptive retries (`maxAttempts`), none started past the deadline; with
   * `credentials`, it signs with them (a member account's session) instead of the function's role.
   */
  client<C extends ClientWithMiddleware>(
    Client: new (config: ClientConfig & { credentials?: AwsCredentialIdentityProvider }) => C,
    maxAttempts: number,
    credentials?: AwsCredentialIdentityProvider,
  ): C {
    const config = retryingClientConfig(maxAttempts)
    return boundByDeadline(new Client(credentials ? { ...config, credentials } : config), this.deadline)
  }

  /** The Lambda handler: logger context, the invocation's deadline and metrics around `work`. */
  handler<R>(work: (event: unknown, context: Context) => Promise<R>) {
    return middy()
      .use(injectLambdaContext(this.#logger))
      .use(startDeadline(this.deadline))
      .use(logMetrics(this.#metrics))
      .handler(work)
  }
}
