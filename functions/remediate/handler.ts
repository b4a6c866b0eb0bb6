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
import { IamWriter } from '#shared/aws/iam-writer.ts'
import { idempotentWork } from '#shared/aws/idempotency.ts'
import { DynamoRevertJournal } from '#shared/aws/revert-journal.ts'
import { loadRuntimeGuardConfig, requireEnv } from '#shared/aws/runtime-config.ts'
import { IamStepWriter } from '#shared/aws/step-writer.ts'
import { type FindingEventDetail, parseFindingDelivery } from '#shared/pipeline/bus-events.ts'
import { remediateFinding } from '#shared/pipeline/remediate-finding.ts'

const logger = new Logger()
const metrics = new Metrics()
const deadline = new InvocationDeadline()
const { config, mode } = loadRuntimeGuardConfig()
const iam = boundByDeadline(new IAMClient(retryingClientConfig(MAX_ATTEMPTS.iam)), deadline)
const dynamo = boundByDeadline(new DynamoDBClient(retryingClientConfig(MAX_ATTEMPTS.other)), deadline)
const store = new DynamoBaselineStore(DynamoDBDocumentClient.from(dynamo), requireEnv('BASELINE_TABLE_NAME'))
const deps = {
  reader: new IamAccountReader(iam),
  baselines: store,
  changes: store,
  writer: new IamStepWriter(new IamWriter(iam)),
  journal: new DynamoRevertJournal(DynamoDBDocumentClient.from(dynamo), requireEnv('IDEMPOTENCY_TABLE_NAME')),
  publisher: new EventBridgeFindingsPublisher(
    boundByDeadline(new EventBridgeClient(retryingClientConfig(MAX_ATTEMPTS.other)), deadline),
    requireEnv('FINDINGS_BUS_NAME'),
  ),
  config,
  mode,
  logger,
}

const remediate = idempotentWork(
  async ({ key, detail }: { key: string; detail: FindingEventDetail }) => {
    const result = await remediateFinding(detail, deps, key)
    // RemediationReverted / RemediationFailed / RemediationSkipped: a failed revert is worth an alarm.
    metrics.addMetric(
      `Remediation${result.outcome[0]?.toUpperCase()}${result.outcome.slice(1)}`,
      MetricUnit.Count,
      1,
    )
    return { findingId: result.findingId, outcome: result.outcome }
  },
  dynamo,
  requireEnv('IDEMPOTENCY_TABLE_NAME'),
)

/**
 * Finding marked for revert (enforce mode) → re-plan from trusted state, revert, verify, report
 * on the bus; once per finding and change (or audit delivery), however often the bus delivers it.
 */
export const handler = middy()
  .use(injectLambdaContext(logger))
  .use(startDeadline(deadline))
  .use(logMetrics(metrics))
  .handler(async (event: unknown, context: Context) => {
    const { key, detail } = parseFindingDelivery(event)
    return remediate({ key, input: { key, detail } }, context)
  })
