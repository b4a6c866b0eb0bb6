import { randomUUID } from 'node:crypto'
import { Logger } from '@aws-lambda-powertools/logger'
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics'
import { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { OrganizationsClient } from '@aws-sdk/client-organizations'
import { SNSClient } from '@aws-sdk/client-sns'
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
import type { Context } from 'aws-lambda'
import { OrganizationsAccountNames } from '#shared/aws/account-names.ts'
import { MAX_ATTEMPTS } from '#shared/aws/client-config.ts'
import { FunctionRuntime } from '#shared/aws/function-runtime.ts'
import { idempotentWork } from '#shared/aws/idempotency.ts'
import { SnsNotifier } from '#shared/aws/notifier.ts'
import { NotifyStateStore } from '#shared/aws/notify-state.ts'
import { readEnv, readNotifyConfig, requireEnv } from '#shared/aws/runtime-config.ts'
import { type NotifyDeps, notifyEvent, type SendAttempt } from '#shared/notify/notify-event.ts'

const logger = new Logger({ serviceName: 'support-guard-notify' })
// Its warnings (no metric this invocation, say) go through the logger, at its level, not to stdout.
const metrics = new Metrics({ logger })
const runtime = new FunctionRuntime(logger, metrics)
const config = readNotifyConfig()
const dynamo = runtime.client(DynamoDBClient, MAX_ATTEMPTS.other)
// The central guard of an organisation names each finding's account; a guard of one account has
// only its own to name, and no Organizations permission to read it with. Two attempts: a name is
// a courtesy, and notifyEvent stops waiting for it after a short while anyway.
const accountNames = readEnv('ORGANIZATION_ID')
  ? new OrganizationsAccountNames(runtime.client(OrganizationsClient, 2), logger)
  : undefined
const deps: NotifyDeps = {
  notifier: new SnsNotifier(
    // One attempt per publish: notifyEvent retries, marking a copy that may repeat a delivered one.
    runtime.client(SNSClient, 1),
    config.topicArn,
    config.format,
  ),
  slots: new NotifyStateStore(DynamoDBDocumentClient.from(dynamo), config.stateTableName),
  ...(accountNames === undefined ? {} : { accountNames }),
  now: () => new Date(),
  logger,
}

const send = idempotentWork(
  async ({ event, attempt }: { event: unknown; attempt: SendAttempt }) => {
    const result = await notifyEvent(event, attempt, deps)
    metrics.addMetric(
      result === 'sent' ? 'NotificationsSent' : 'NotificationsSuppressed',
      MetricUnit.Count,
      1,
    )
    return result
  },
  dynamo,
  requireEnv('IDEMPOTENCY_TABLE_NAME'),
)

/**
 * Findings-bus events (findings, remediation outcomes and audit run summaries) to SNS: at least
 * once, and once unless a reply is lost (see `notifyEvent`); each bus event ID is handled once.
 * Errors are rethrown for retry and the DLQ.
 */
export const handler = runtime.handler(async (event: unknown, context: Context) => {
  const attempt = {
    owner: randomUUID(),
    leaseUntil: new Date(Date.now() + context.getRemainingTimeInMillis()),
  }
  return send({ key: deliveryKey(event), input: { event, attempt } }, context)
})

/**
 * EventBridge's ID of the delivery. An event without one (`id` is optional in the bus schema, so
 * `notifyEvent` accepts it) gets a fresh key: the idempotency store cannot tell its repeats apart,
 * and its notification slot keeps them from being sent twice.
 */
function deliveryKey(event: unknown): string {
  const id = typeof event === 'object' && event !== null ? Reflect.get(event, 'id') : undefined
  return typeof id === 'string' && id !== '' ? id : randomUUID()
}
