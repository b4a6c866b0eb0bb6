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
import { idempotentWork } from '#shared/aws/idempotency.ts'
import { loadRuntimeGuardConfig, readEnv, requireEnv } from '#shared/aws/runtime-config.ts'
import { parseChangeEvent } from '#shared/events/parse-change-event.ts'
import type { ParseOutcome } from '#shared/events/types.ts'
import { type DetectResult, detectChange } from '#shared/pipeline/detect-change.ts'
import { accountIdOfArn } from '#shared/policy/arn.ts'

const logger = new Logger()
// Its warnings (no metric this invocation, say) go through the logger, at its level, not to stdout.
const metrics = new Metrics({ logger })
const runtime = new FunctionRuntime(logger, metrics)
const { config, mode } = loadRuntimeGuardConfig()
const dynamo = runtime.client(DynamoDBClient, MAX_ATTEMPTS.other)
const remediationRole = readEnv('GUARD_REMEDIATION_ROLE_ARN')
const store = new DynamoBaselineStore(DynamoDBDocumentClient.from(dynamo), requireEnv('BASELINE_TABLE_NAME'))
const deps = {
  reader: new IamAccountReader(runtime.client(IAMClient, MAX_ATTEMPTS.iam)),
  baselines: store,
  changes: store,
  publisher: new EventBridgeFindingsPublisher(
    runtime.client(EventBridgeClient, MAX_ATTEMPTS.other),
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
export const handler = runtime.handler(async (event: unknown, context: Context) => {
  const outcome = parseChangeEvent(event)
  // The account this function runs in is the one it guards: an event of another is refused.
  const own = accountIdOfArn(context.invokedFunctionArn)
  const scoped = own === undefined ? deps : { ...deps, accountId: own }
  if (outcome.status !== 'change' || (own !== undefined && outcome.change.accountId !== own))
    return summarize(await detectChange(outcome, scoped))
  const { accountId, eventId } = outcome.change
  return judge({ key: `${accountId}#${eventId}`, input: outcome }, context)
})
