import { randomUUID } from 'node:crypto'
import { Logger } from '@aws-lambda-powertools/logger'
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics'
import { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { EventBridgeClient } from '@aws-sdk/client-eventbridge'
import { IAMClient } from '@aws-sdk/client-iam'
import { OrganizationsClient } from '@aws-sdk/client-organizations'
import { SQSClient } from '@aws-sdk/client-sqs'
import { STSClient } from '@aws-sdk/client-sts'
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
import type { AwsCredentialIdentityProvider } from '@smithy/types'
import type { Context } from 'aws-lambda'
import { readAccountSnapshot } from '#shared/aws/account-snapshot.ts'
import { SqsAssignmentQueue } from '#shared/aws/audit-queue.ts'
import { DynamoAuditRunStore } from '#shared/aws/audit-run-store.ts'
import { DynamoBaselineStore } from '#shared/aws/baseline-store.ts'
import { MAX_ATTEMPTS } from '#shared/aws/client-config.ts'
import { DynamoExposureStore } from '#shared/aws/exposure-store.ts'
import { EventBridgeFindingsPublisher } from '#shared/aws/findings-bus.ts'
import { FunctionRuntime } from '#shared/aws/function-runtime.ts'
import {
  AccountClients,
  type FunctionAccount,
  functionAccountOf,
  MEMBER_SESSION_NAMES,
  MemberSessions,
} from '#shared/aws/member-sessions.ts'
import { CachedOrganization } from '#shared/aws/organization-facts.ts'
import {
  loadRuntimeGuardConfig,
  RuntimeConfigError,
  readEnv,
  requireEnv,
} from '#shared/aws/runtime-config.ts'
import { SupportAppChannelReader } from '#shared/aws/support-app-channels.ts'
import {
  auditAssignment,
  crossAccountReach,
  planOrganizationAudit,
  readAuditDeliveries,
} from '#shared/pipeline/organization-audit.ts'
import { runScheduledAudit } from '#shared/pipeline/run-audit.ts'

const logger = new Logger()
// Its warnings (no metric this invocation, say) go through the logger, at its level, not to stdout.
const metrics = new Metrics({ logger })
const runtime = new FunctionRuntime(logger, metrics)
const { config, mode } = loadRuntimeGuardConfig()
const dynamo = DynamoDBDocumentClient.from(runtime.client(DynamoDBClient, MAX_ATTEMPTS.other))
const baselines = new DynamoBaselineStore(dynamo, requireEnv('BASELINE_TABLE_NAME'))
const publisher = new EventBridgeFindingsPublisher(
  runtime.client(EventBridgeClient, MAX_ATTEMPTS.other),
  requireEnv('FINDINGS_BUS_NAME'),
)

/**
 * The central guard of an organisation: the schedule plans a run (one queued assignment per
 * account) and the queue hands each account to this function, with the concurrency the event
 * source mapping allows. Without an organisation the schedule audits this account alone.
 */
const organization = readEnv('ORGANIZATION_ID')
  ? {
      queue: new SqsAssignmentQueue(
        runtime.client(SQSClient, MAX_ATTEMPTS.other),
        requiredFor('AUDIT_QUEUE_URL'),
      ),
      runs: new DynamoAuditRunStore(dynamo, requiredFor('AUDIT_RUN_TABLE_NAME')),
      exposures: new DynamoExposureStore(dynamo, requiredFor('AUDIT_RUN_TABLE_NAME')),
      organization: new CachedOrganization(runtime.client(OrganizationsClient, MAX_ATTEMPTS.other)),
    }
  : undefined

/** What an audit reads in one account: its IAM, and its Support App channels. */
function readers(credentials?: AwsCredentialIdentityProvider) {
  return {
    iam: runtime.client(IAMClient, MAX_ATTEMPTS.iam, credentials),
    channels: new SupportAppChannelReader(credentials ? { credentials } : {}),
  }
}
const accounts = new AccountClients(
  readers(),
  organization
    ? new MemberSessions({
        sts: runtime.client(STSClient, MAX_ATTEMPTS.other),
        sessionName: MEMBER_SESSION_NAMES.audit,
        access: 'read',
      })
    : undefined,
  readers,
)

/** Scheduled event → audit (this account, or plan the organisation's run); SQS assignment → audit one account. */
export const handler = runtime.handler(async (event: unknown, context: Context) => {
  const own = functionAccountOf(context.invokedFunctionArn)
  if (!own) throw new Error(`no account in the function's ARN ${context.invokedFunctionArn}`)
  const deliveries = readAuditDeliveries(event)
  if (deliveries) {
    if (!organization) throw new Error('an audit assignment reached a guard without an organisation')
    for (const { assignment, finalAttempt } of deliveries) {
      const outcome = await auditAssignment(assignment, {
        audit: (accountId) => auditAccount(accountId, own),
        runs: organization.runs,
        publisher,
        finalAttempt,
        now: () => new Date(),
        logger,
      })
      metrics.addMetric(
        outcome.status === 'audited' ? 'AccountsAudited' : 'AccountsFailed',
        MetricUnit.Count,
        1,
      )
    }
    return { assignments: deliveries.length }
  }
  if (organization) {
    const plan = await planOrganizationAudit({
      listAccounts: async () =>
        (await organization.organization.get()).Accounts.map((account) => ({
          id: account.Id,
          ...(account.Name ? { name: account.Name } : {}),
        })),
      runs: organization.runs,
      queue: organization.queue,
      newRunId: randomUUID,
      now: () => new Date(),
      logger,
    })
    return { runId: plan.runId, accounts: plan.accounts.length }
  }
  const summary = await auditAccount(own.accountId, own)
  metrics.addMetric('AuditFindings', MetricUnit.Count, summary.findings.length)
  return { accountId: summary.accountId, principals: summary.principals, findings: summary.findings.length }
})

/** Full evaluation of one account: findings for drift the events missed, fresh baselines. */
async function auditAccount(accountId: string, own: FunctionAccount) {
  const reader = accounts.for(accountId, own)
  if (!reader) throw new Error(`account ${accountId} is not this guard's to audit`)
  return runScheduledAudit({
    // The central guard evaluates each account with the organisation's SCPs, level by level.
    readSnapshot: () =>
      readAccountSnapshot(reader, accountId, {
        warn: (message) => logger.warn(message),
        ...(organization ? { organization: () => organization.organization.get() } : {}),
      }),
    // and with the support roles of the other accounts its principals may reach.
    ...(organization ? { externalSupportRoles: crossAccountReach(organization.exposures, config) } : {}),
    publisher,
    baselines,
    config,
    mode,
    logger,
    now: () => new Date(),
  })
}

function requiredFor(name: 'AUDIT_QUEUE_URL' | 'AUDIT_RUN_TABLE_NAME'): string {
  const value = readEnv(name)
  if (!value) throw new RuntimeConfigError(name, 'is not set, and ORGANIZATION_ID is')
  return value
}
