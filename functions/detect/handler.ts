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
import { idempotentWork } from '#shared/aws/idempotency.ts'
import {
  AccountClients,
  type FunctionAccount,
  functionAccountOf,
  MEMBER_SESSION_NAMES,
  MemberSessions,
  memberSessionArn,
} from '#shared/aws/member-sessions.ts'
import { loadRuntimeGuardConfig, readEnv, requireEnv } from '#shared/aws/runtime-config.ts'
import { parseChangeEvent } from '#shared/events/parse-change-event.ts'
import type { ParseOutcome } from '#shared/events/types.ts'
import {
  type DetectDeps,
  type DetectResult,
  detectChange,
  speaksForAnother,
} from '#shared/pipeline/detect-change.ts'

const logger = new Logger()
// Its warnings (no metric this invocation, say) go through the logger, at its level, not to stdout.
const metrics = new Metrics({ logger })
const runtime = new FunctionRuntime(logger, metrics)
const { config, mode } = loadRuntimeGuardConfig()
const dynamo = runtime.client(DynamoDBClient, MAX_ATTEMPTS.other)
const remediationRole = readEnv('GUARD_REMEDIATION_ROLE_ARN')
const store = new DynamoBaselineStore(DynamoDBDocumentClient.from(dynamo), requireEnv('BASELINE_TABLE_NAME'))
// The central guard of an organisation reads a member account through the member role's
// read-only session; without an organisation the function reads only its own account.
const sessions = readEnv('ORGANIZATION_ID')
  ? new MemberSessions({
      sts: runtime.client(STSClient, MAX_ATTEMPTS.other),
      sessionName: MEMBER_SESSION_NAMES.detect,
      access: 'read',
    })
  : undefined
const ownReader = new IamAccountReader(runtime.client(IAMClient, MAX_ATTEMPTS.iam))
const readers = new AccountClients(
  ownReader,
  sessions,
  (credentials) => new IamAccountReader(runtime.client(IAMClient, MAX_ATTEMPTS.iam, credentials)),
)
const deps = {
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
  async ({ outcome, own }: { outcome: ParseOutcome; own: FunctionAccount }) =>
    summarize(await detectChange(outcome, { ...deps, ...scopeOf(outcome, own) })),
  dynamo,
  requireEnv('IDEMPOTENCY_TABLE_NAME'),
)

/**
 * Where a change is judged. Without an organisation, the account this function runs in is the
 * only one it guards: a change of another is refused (its `accountId` is this one's), nothing read.
 * The central guard reads a member account through the member role, and its own reverts there
 * are the member role's remediate session.
 */
function scopeOf(
  outcome: ParseOutcome,
  own: FunctionAccount,
): Pick<DetectDeps, 'reader' | 'accountId' | 'guardSessionArn'> {
  const target = outcome.status === 'change' ? outcome.change.accountId : own.accountId
  const reader = readers.for(target, own)
  if (!reader) return { reader: ownReader, accountId: own.accountId }
  return {
    reader,
    accountId: target,
    ...(sessions
      ? { guardSessionArn: memberSessionArn(target, MEMBER_SESSION_NAMES.remediate, own.partition) }
      : {}),
  }
}

/**
 * IAM / Support App CloudTrail event → findings on the bus; one verdict per account and
 * CloudTrail eventID. The event is parsed first, so a malformed one fails with its
 * EventParseError (retried, then kept by the dead-letter queue); an ignored one needs no key.
 */
export const handler = runtime.handler(async (event: unknown, context: Context) => {
  const outcome = parseChangeEvent(event)
  const own = functionAccountOf(context.invokedFunctionArn)
  if (!own) return summarize(await detectChange(outcome, { ...deps, reader: ownReader }))
  const scope = scopeOf(outcome, own)
  // Refusals and events without a verdict are not keyed: nothing was judged, and a refused copy
  // must not answer for the real event that shares its key.
  if (
    outcome.status !== 'change' ||
    scope.accountId !== outcome.change.accountId ||
    speaksForAnother(outcome.change)
  )
    return summarize(await detectChange(outcome, { ...deps, ...scope }))
  return judge(
    { key: `${outcome.change.accountId}#${outcome.change.eventId}`, input: { outcome, own } },
    context,
  )
})
