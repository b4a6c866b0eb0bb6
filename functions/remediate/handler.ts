import { Logger } from '@aws-lambda-powertools/logger'
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics'
import { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { EventBridgeClient } from '@aws-sdk/client-eventbridge'
import { IAMClient } from '@aws-sdk/client-iam'
import { STSClient } from '@aws-sdk/client-sts'
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
import type { Context } from 'aws-lambda'
import { IamAccountReader } from '#shared/aws/account-reader.ts'
import { DynamoBaselineStore } from '#shared/aws/baseline-store.ts'
import { MAX_ATTEMPTS } from '#shared/aws/client-config.ts'
import { EventBridgeFindingsPublisher } from '#shared/aws/findings-bus.ts'
import { FunctionRuntime } from '#shared/aws/function-runtime.ts'
import { IamWriter } from '#shared/aws/iam-writer.ts'
import { idempotentWork } from '#shared/aws/idempotency.ts'
import {
  AccountClients,
  type FunctionAccount,
  functionAccountOf,
  MEMBER_SESSION_NAMES,
  MemberSessions,
} from '#shared/aws/member-sessions.ts'
import { DynamoRevertJournal } from '#shared/aws/revert-journal.ts'
import { loadRuntimeGuardConfig, readEnv, requireEnv } from '#shared/aws/runtime-config.ts'
import { IamStepWriter } from '#shared/aws/step-writer.ts'
import { type FindingEventDetail, parseFindingDelivery } from '#shared/pipeline/bus-events.ts'
import { remediateFinding } from '#shared/pipeline/remediate-finding.ts'

const logger = new Logger()
// Its warnings (no metric this invocation, say) go through the logger, at its level, not to stdout.
const metrics = new Metrics({ logger })
const runtime = new FunctionRuntime(logger, metrics)
const { config, mode } = loadRuntimeGuardConfig()
const dynamo = runtime.client(DynamoDBClient, MAX_ATTEMPTS.other)
const store = new DynamoBaselineStore(DynamoDBDocumentClient.from(dynamo), requireEnv('BASELINE_TABLE_NAME'))
/** What reads and writes IAM in one account: the re-check before and after a revert, and the revert. */
function iamKit(iam: IAMClient) {
  return { reader: new IamAccountReader(iam), writer: new IamStepWriter(new IamWriter(iam)) }
}
// The central guard of an organisation reverts in a member account through the member role's
// remediate session (the role's permissions, its Deny statements included); without an
// organisation the function writes only in its own account.
const kits = new AccountClients(
  iamKit(runtime.client(IAMClient, MAX_ATTEMPTS.iam)),
  readEnv('ORGANIZATION_ID')
    ? new MemberSessions({
        sts: runtime.client(STSClient, MAX_ATTEMPTS.other),
        sessionName: MEMBER_SESSION_NAMES.remediate,
        access: 'write',
      })
    : undefined,
  (credentials) => iamKit(runtime.client(IAMClient, MAX_ATTEMPTS.iam, credentials)),
)
const deps = {
  baselines: store,
  changes: store,
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
  async ({ key, detail, own }: { key: string; detail: FindingEventDetail; own?: FunctionAccount }) => {
    const result = await remediateFinding(detail, { ...deps, ...scopeOf(detail.accountId, own) }, key)
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
 * The account a revert may act in, and the clients for it: the finding's account when this guard
 * reaches it (its own, or a member of its organisation), else its own account, whose ID then
 * differs from the finding's and makes remediateFinding refuse before it reads or writes.
 */
function scopeOf(target: string, own: FunctionAccount | undefined) {
  if (!own) return kits.own
  const kit = kits.for(target, own)
  return kit ? { ...kit, accountId: target } : { ...kits.own, accountId: own.accountId }
}

/**
 * Finding marked for revert (enforce mode) → re-plan from trusted state, revert, verify, report
 * on the bus; once per finding and change (or audit delivery), however often the bus delivers it.
 */
export const handler = runtime.handler(async (event: unknown, context: Context) => {
  const { key, detail } = parseFindingDelivery(event)
  const own = functionAccountOf(context.invokedFunctionArn)
  return remediate({ key, input: { key, detail, ...(own ? { own } : {}) } }, context)
})
