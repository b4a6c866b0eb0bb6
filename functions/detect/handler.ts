import { Logger } from '@aws-lambda-powertools/logger'
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware'
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics'
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware'
import { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { EventBridgeClient } from '@aws-sdk/client-eventbridge'
import { IAMClient } from '@aws-sdk/client-iam'
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
import middy from '@middy/core'
import type { Context } from 'aws-lambda'
import { IamAccountReader } from '#shared/aws/account-reader.ts'
import { DynamoBaselineStore } from '#shared/aws/baseline-store.ts'
import {
  boundByDeadline,
  InvocationDeadline,
  MAX_ATTEMPTS,
  retryingClientConfig,
  startDeadline,
} from '#shared/aws/client-config.ts'
import { EventBridgeFindingsPublisher } from '#shared/aws/findings-bus.ts'
import { idempotentWork } from '#shared/aws/idempotency.ts'
import { loadRuntimeGuardConfig, requireEnv } from '#shared/aws/runtime-config.ts'
import { parseChangeEvent } from '#shared/events/parse-change-event.ts'
import type { ParseOutcome } from '#shared/events/types.ts'
import { type DetectResult, detectChange } from '#shared/pipeline/detect-change.ts'

const logger = new Logger()
const metrics = new Metrics()
const deadline = new InvocationDeadline()
const { config, mode } = loadRuntimeGuardConfig()
const dynamo = boundByDeadline(new DynamoDBClient(retryingClientConfig(MAX_ATTEMPTS.other)), deadline)
const remediationRole = process.env.GUARD_REMEDIATION_ROLE_ARN
const store = new DynamoBaselineStore(DynamoDBDocumentClient.from(dynamo), requireEnv('BASELINE_TABLE_NAME'))
const deps = {
  reader: new IamAccountReader(
    boundByDeadline(new IAMClient(retryingClientConfig(MAX_ATTEMPTS.iam)), deadline),
  ),
  baselines: store,
  changes: store,
  publisher: new EventBridgeFindingsPublisher(
    boundByDeadline(new EventBridgeClient(retryingClientConfig(MAX_ATTEMPTS.other)), deadline),
    requireEnv('FINDINGS_BUS_NAME'),
  ),
  config,
  mode,
  ...(remediationRole ? { guardRoleArn: remediationRole } : {}),
  logger,
  now: () => new Date(),
}

/** What the idempotency store keeps for an event, and what a duplicate delivery gets back. */
function summarize(result: DetectResult) {
  metrics.addMetric('Findings', MetricUnit.Count, result.findings.length)
  return {
    verdict: result.verdict,
    eventId: result.eventId,
    findings: result.findings.map((finding) => finding.id),
  }
}

const judge = idempotentWork(
  async (outcome: ParseOutcome) => summarize(await detectChange(outcome, deps)),
  dynamo,
  requireEnv('IDEMPOTENCY_TABLE_NAME'),
)

/**
 * IAM / Support App CloudTrail event → findings on the bus; one verdict per account and
 * CloudTrail eventID. The event is parsed first, so a malformed one fails with its
 * EventParseError (retried, then kept by the dead-letter queue); an ignored one needs no key.
 */
export const handler = middy()
  .use(injectLambdaContext(logger))
  .use(startDeadline(deadline))
  .use(logMetrics(metrics))
  .handler(async (event: unknown, context: Context) => {
    const outcome = parseChangeEvent(event)
    if (outcome.status !== 'change') return summarize(await detectChange(outcome, deps))
    const { accountId, eventId } = outcome.change
    return judge({ key: `${accountId}#${eventId}`, input: outcome }, context)
  })
