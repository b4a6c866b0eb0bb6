import { Logger } from '@aws-lambda-powertools/logger'
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics'
import { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { EventBridgeClient } from '@aws-sdk/client-eventbridge'
import { IAMClient } from '@aws-sdk/client-iam'
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
import type { Context } from 'aws-lambda'
import { readAuthorizationDetails } from '#shared/aws/authorization-details.ts'
import { DynamoBaselineStore } from '#shared/aws/baseline-store.ts'
import { MAX_ATTEMPTS } from '#shared/aws/client-config.ts'
import { EventBridgeFindingsPublisher } from '#shared/aws/findings-bus.ts'
import { FunctionRuntime } from '#shared/aws/function-runtime.ts'
import { loadRuntimeGuardConfig, requireEnv } from '#shared/aws/runtime-config.ts'
import { SupportAppChannelReader } from '#shared/aws/support-app-channels.ts'
import { runScheduledAudit } from '#shared/pipeline/run-audit.ts'
import { accountIdOfArn } from '#shared/policy/arn.ts'
import { parseAccountSnapshot } from '#shared/snapshot/parse-snapshot.ts'

const logger = new Logger()
// Its warnings (no metric this invocation, say) go through the logger, at its level, not to stdout.
const metrics = new Metrics({ logger })
const runtime = new FunctionRuntime(logger, metrics)
const { config, mode } = loadRuntimeGuardConfig()
const iam = runtime.client(IAMClient, MAX_ATTEMPTS.iam)
const baselines = new DynamoBaselineStore(
  DynamoDBDocumentClient.from(runtime.client(DynamoDBClient, MAX_ATTEMPTS.other)),
  requireEnv('BASELINE_TABLE_NAME'),
)
const channels = new SupportAppChannelReader()
const publisher = new EventBridgeFindingsPublisher(
  runtime.client(EventBridgeClient, MAX_ATTEMPTS.other),
  requireEnv('FINDINGS_BUS_NAME'),
)

/** Scheduled full-account evaluation: findings for drift the events missed, fresh baselines. */
export const handler = runtime.handler(async (_event: unknown, context: Context) => {
  // The function runs in the audited account: its own ARN names the account.
  const accountId = accountIdOfArn(context.invokedFunctionArn)
  const summary = await runScheduledAudit({
    readSnapshot: async () =>
      parseAccountSnapshot({
        ...(await readAuthorizationDetails(iam, accountId)),
        SupportAppSlackChannelConfigurations: await readChannels(),
      }),
    publisher,
    baselines,
    config,
    mode,
    logger,
    now: () => new Date(),
  })
  metrics.addMetric('AuditFindings', MetricUnit.Count, summary.findings.length)
  return { accountId: summary.accountId, principals: summary.principals, findings: summary.findings.length }
})

/** Channel configurations complete the picture; without them the audit still runs on trust and config. */
async function readChannels() {
  try {
    return await channels.list((message) => logger.warn(message))
  } catch (error) {
    logger.warn('Support App channel configurations not read', {
      error: error instanceof Error ? error.message : String(error),
    })
    return []
  }
}
