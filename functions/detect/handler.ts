import { Logger } from '@aws-lambda-powertools/logger'
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware'
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics'
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware'
import { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { EventBridgeClient } from '@aws-sdk/client-eventbridge'
import { IAMClient } from '@aws-sdk/client-iam'
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
import middy from '@middy/core'
import { IamAccountReader } from '#shared/aws/account-reader.ts'
import { DynamoBaselineStore } from '#shared/aws/baseline-store.ts'
import { EventBridgeFindingsPublisher } from '#shared/aws/findings-bus.ts'
import { makeIdempotent } from '#shared/aws/idempotency.ts'
import { loadRuntimeGuardConfig, requireEnv } from '#shared/aws/runtime-config.ts'
import { parseChangeEvent } from '#shared/events/parse-change-event.ts'
import { detectChange } from '#shared/pipeline/detect-change.ts'

const logger = new Logger()
const metrics = new Metrics()
const { config, mode } = loadRuntimeGuardConfig()
const dynamo = new DynamoDBClient({})
const remediationRole = process.env.GUARD_REMEDIATION_ROLE_ARN
const store = new DynamoBaselineStore(DynamoDBDocumentClient.from(dynamo), requireEnv('BASELINE_TABLE_NAME'))
const deps = {
  reader: new IamAccountReader(new IAMClient({})),
  baselines: store,
  changes: store,
  publisher: new EventBridgeFindingsPublisher(new EventBridgeClient({}), requireEnv('FINDINGS_BUS_NAME')),
  config,
  mode,
  ...(remediationRole ? { guardRoleArn: remediationRole } : {}),
  logger,
  now: () => new Date(),
}

/** IAM / Support App CloudTrail event → findings on the bus; one verdict per CloudTrail eventID. */
export const handler = middy()
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics))
  .use(makeIdempotent(dynamo, requireEnv('IDEMPOTENCY_TABLE_NAME'), 'detail.eventID'))
  .handler(async (event: unknown) => {
    const result = await detectChange(parseChangeEvent(event), deps)
    metrics.addMetric('Findings', MetricUnit.Count, result.findings.length)
    return {
      verdict: result.verdict,
      eventId: result.eventId,
      findings: result.findings.map((finding) => finding.id),
    }
  })
