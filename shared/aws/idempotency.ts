import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency'
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb'
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import type { Context } from 'aws-lambda'

/** How long a finished delivery's result is kept: EventBridge and Lambda retry well within it. */
const RESULT_TTL_SECONDS = 7 * 24 * 3600

/** One unit of work and the key that names it across deliveries. */
export interface KeyedWork<T> {
  /** Stable across deliveries of the same work, e.g. `<account>#<CloudTrail eventID>`. */
  readonly key: string
  readonly input: T
}

/**
 * Runs each keyed unit of work once (Powertools idempotency on DynamoDB, through its function
 * wrapper). EventBridge and Lambda deliver at least once, so a repeated delivery returns the
 * stored result instead of judging, reverting or notifying twice.
 *
 * - The first delivery writes an in-progress record that expires with the invocation's remaining
 *   time (the wrapper reads it from the Lambda context): a delivery that crashed does not block
 *   its retry for longer than the function could have run.
 * - A duplicate arriving while the first is in progress fails with
 *   `IdempotencyAlreadyInProgressError` without running and without touching the first's record;
 *   Lambda retries it later, when it gets the stored result.
 * - If the work throws, its record is deleted, so the retry runs it again.
 *
 * The wrapper is used rather than the middy middleware: the middleware's error path deletes the
 * record of the invocation still in progress when a duplicate is rejected.
 */
export function idempotentWork<T, R>(
  work: (input: T) => Promise<R>,
  client: DynamoDBClient,
  tableName: string,
): (unit: KeyedWork<T>, context: Context) => Promise<R> {
  return makeIdempotent(async (unit: KeyedWork<T>, _context: Context) => work(unit.input), {
    persistenceStore: new DynamoDBPersistenceLayer({ tableName, awsSdkV3Client: client }),
    config: new IdempotencyConfig({
      eventKeyJmesPath: 'key',
      throwOnNoIdempotencyKey: true,
      expiresAfterSeconds: RESULT_TTL_SECONDS,
    }),
  })
}
