import { Logger } from '@aws-lambda-powertools/logger'
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware'
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics'
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware'
import { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { SNSClient } from '@aws-sdk/client-sns'
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
import middy from '@middy/core'
import { makeIdempotent } from '#shared/aws/idempotency.ts'
import { SnsNotifier } from '#shared/aws/notifier.ts'
import { NotifyStateStore } from '#shared/aws/notify-state.ts'
import { requireEnv } from '#shared/aws/runtime-config.ts'
import { readNotifyConfig } from '#shared/notify/notify-config.ts'
import { type NotifyDeps, notifyEvent } from '#shared/notify/notify-event.ts'

const logger = new Logger({ serviceName: 'support-guard-notify' })
const metrics = new Metrics()
const config = readNotifyConfig(process.env)
const dynamo = new DynamoDBClient({})
const deps: NotifyDeps = {
  notifier: new SnsNotifier(new SNSClient({}), config.topicArn, config.format),
  state: new NotifyStateStore(DynamoDBDocumentClient.from(dynamo), config.stateTableName),
  now: () => new Date(),
  logger,
}

/**
 * Findings-bus events (findings and remediation outcomes) to SNS, once per bus event ID;
 * errors are rethrown for retry and the DLQ.
 */
export const handler = middy()
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics))
  .use(makeIdempotent(dynamo, requireEnv('IDEMPOTENCY_TABLE_NAME'), 'id'))
  .handler(async (event: unknown) => {
    const result = await notifyEvent(event, deps)
    metrics.addMetric(
      result === 'sent' ? 'NotificationsSent' : 'NotificationsSuppressed',
      MetricUnit.Count,
      1,
    )
    return result
  })
