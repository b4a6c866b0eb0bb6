import { Logger } from '@aws-lambda-powertools/logger'
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics'
import { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { EventBridgeClient } from '@aws-sdk/client-eventbridge'
import { IAMClient } from '@aws-sdk/client-iam'
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
import type { Context } from 'aws-lambda'
import { IamAccountReader } from '#shared/aws/account-reader.ts'
import { DynamoBaselineStore } from '#shared/aws/baseline-store.ts'
import { MAX_ATTEMPTS } from '#shared/aws/client-config.ts'
import { EventBridgeFindingsPublisher } from '#shared/aws/findings-bus.ts'
import { FunctionRuntime } from '#shared/aws/function-runtime.ts'
import { IamWriter } from '#shared/aws/iam-writer.ts'
import { idempotentWork } from '#shared/aws/idempotency.ts'
import { DynamoRevertJournal } from '#shared/aws/revert-journal.ts'
import { loadRuntimeGuardConfig, requireEnv } from '#shared/aws/runtime-config.ts'
import { IamStepWriter } from '#shared/aws/step-writer.ts'
import { type FindingEventDetail, parseFindingDelivery } from '#shared/pipeline/bus-events.ts'
import { remediateFinding } from '#shared/pipeline/remediate-finding.ts'
import { accountIdOfArn } from '#shared/policy/arn.ts'

const logger = new Logger()
// Its warnings (no metric this invocation, say) go through the logger, at its level, not to stdout.
const metrics = new Metrics({ logger })
const runtime = new FunctionRuntime(logger, metrics)
const { config, mode } = loadRuntimeGuardConfig()
const iam = runtime.client(IAMClient, MAX_ATTEMPTS.iam)
const dynamo = runtime.client(DynamoDBClient, MAX_ATTEMPTS.other)
const store = new DynamoBaselineStore(DynamoDBDocumentClient.from(dynamo), requireEnv('BASELINE_TABLE_NAME'))
const deps = {
  reader: new IamAccountReader(iam),
  baselines: store,
  changes: store,
  writer: new IamStepWriter(new IamWriter(iam)),
  journal: new DynamoRevertJournal(DynamoDBDocumentClient.from(dynamo), requireEnv('IDEMPOTENCY_TABLE_NAME')),
  publisher: new EventBridgeFindingsPublisher(
    runtime.client(EventBridgeClient, MAX_ATTEMPTS.other),
    requireEnv('FINDINGS_BUS_NAME'),
  ),
  config,
  mode,
  logger,
}

const remediate = idempotentWork(
  async ({ key, detail, accountId }: { key: string; detail: FindingEventDetail; accountId?: string }) => {
    const result = await remediateFinding(
      detail,
      accountId === undefined ? deps : { ...deps, accountId },
      key,
    )
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
export const handler = runtime.handler(async (event: unknown, context: Context) => {
  const { key, detail } = parseFindingDelivery(event)
  // The account this function runs in is the one it may act in.
  const accountId = accountIdOfArn(context.invokedFunctionArn)
  return remediate(
    { key, input: { key, detail, ...(accountId === undefined ? {} : { accountId }) } },
    context,
  )
})
