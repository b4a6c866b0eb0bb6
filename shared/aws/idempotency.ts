import { IdempotencyConfig } from '@aws-lambda-powertools/idempotency'
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb'
import { makeHandlerIdempotent } from '@aws-lambda-powertools/idempotency/middleware'
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb'

/**
 * Processes each delivery key once (Powertools idempotency on DynamoDB): EventBridge
 * delivers at least once, so a repeated event returns the stored result instead of
 * judging, reverting or notifying twice.
 */
export function makeIdempotent(client: DynamoDBClient, tableName: string, eventKeyJmesPath: string) {
  return makeHandlerIdempotent({
    persistenceStore: new DynamoDBPersistenceLayer({ tableName, awsSdkV3Client: client }),
    config: new IdempotencyConfig({
      eventKeyJmesPath,
      throwOnNoIdempotencyKey: true,
      expiresAfterSeconds: 7 * 24 * 3600,
    }),
  })
}
