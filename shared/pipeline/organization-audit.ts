import * as z from 'zod'
import type { GuardConfig } from '#shared/config/guard-config.ts'
import { InputError } from '#shared/errors/input-error.ts'
import type { AccountEvaluation } from '#shared/evaluator/evaluate-account.ts'
import type { ExternalRole } from '#shared/evaluator/reachability.ts'
import { externalRolesFor, findCrossAccountSupportRoles } from '#shared/posture/cross-account.ts'
import {
  type AccountAuditOutcome,
  type AuditRunPlan,
  type AuditRunStore,
  countBySeverity,
  finishAccount,
  type MemberAccount,
} from './audit-run.ts'
import { AUDIT_SUMMARY_DETAIL_TYPE } from './bus-events.ts'
import type { CoreLogger, FindingsPublisher } from './ports.ts'
import type { AuditSummary } from './run-audit.ts'

/** One account of one run: the message the planner queues and an audit worker takes. */
export const auditAssignmentSchema = z.strictObject({
  runId: z.string().min(1).max(100).describe('The audit run the account belongs to.'),
  accountId: z
    .string()
    .regex(/^\d{12}$/)
    .describe('The member account to audit.'),
  accountName: z.string().max(100).optional().describe('Its name in AWS Organizations.'),
})
export type AuditAssignment = z.infer<typeof auditAssignmentSchema>

/** A queued message is not an audit assignment: kept by the queue's dead-letter queue. */
export class AuditAssignmentError extends InputError {
  override readonly name = 'AuditAssignmentError'
}

/** Reads an assignment from a queue message's body. @throws AuditAssignmentError */
export function parseAuditAssignment(body: string): AuditAssignment {
  let value: unknown
  try {
    value = JSON.parse(body)
  } catch (cause) {
    throw new AuditAssignmentError('audit assignment is not JSON', { cause })
  }
  const parsed = auditAssignmentSchema.safeParse(value)
  if (parsed.success) return parsed.data
  throw new AuditAssignmentError(
    `not an audit assignment: ${parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'} ${issue.message}`).join('; ')}`,
    { cause: parsed.error },
  )
}

/**
 * How often the audit queue delivers a message before its redrive policy moves it to the
 * dead-letter queue (template.yaml, AuditQueue; a test keeps the two equal). The last delivery
 * records a failure instead of throwing it back.
 */
export const AUDIT_QUEUE_MAX_RECEIVES = 3

const sqsEventSchema = z.object({
  Records: z
    .array(
      z.object({
        eventSource: z.literal('aws:sqs'),
        body: z.string(),
        attributes: z.object({ ApproximateReceiveCount: z.string().optional() }).optional(),
      }),
    )
    .min(1),
})

/** One message of the audit queue: its assignment, and whether the queue will not deliver it again. */
export interface AuditDelivery {
  readonly assignment: AuditAssignment
  readonly finalAttempt: boolean
}

/**
 * The assignments of an SQS event from the audit queue; undefined for any other event (the
 * schedule's). A count the event does not carry counts as the last delivery: a failure is then
 * recorded rather than retried without end.
 * @throws AuditAssignmentError when a message is not an assignment.
 */
export function readAuditDeliveries(event: unknown): AuditDelivery[] | undefined {
  const parsed = sqsEventSchema.safeParse(event)
  if (!parsed.success) return undefined
  return parsed.data.Records.map((record) => ({
    assignment: parseAuditAssignment(record.body),
    finalAttempt:
      Number(record.attributes?.ApproximateReceiveCount ?? AUDIT_QUEUE_MAX_RECEIVES) >=
      AUDIT_QUEUE_MAX_RECEIVES,
  }))
}

/**
 * What each account of the organisation exposes to the others: its support roles that let other
 * accounts in, by the account they let in (findCrossAccountSupportRoles), as of its latest audit.
 */
export interface ExposureStore {
  put(accountId: string, exposed: ReadonlyMap<string, readonly ExternalRole[]>): Promise<void>
  /** Every account's latest exposure, merged by the account let in. */
  all(): Promise<ReadonlyMap<string, readonly ExternalRole[]>>
}

/** Several accounts' exposures as one map: the roles that let each account in, from every account. */
export function mergeExposures(
  exposures: Iterable<ReadonlyMap<string, readonly ExternalRole[]>>,
): Map<string, ExternalRole[]> {
  const merged = new Map<string, ExternalRole[]>()
  for (const exposed of exposures)
    for (const [account, roles] of exposed) merged.set(account, [...(merged.get(account) ?? []), ...roles])
  return merged
}

/**
 * Cross-account reach for the central audit: records what the evaluated account exposes, then
 * gives the roles of the other accounts that let it in. Accounts are audited side by side, so an
 * account sees the others as of their latest audit: a trust opened since the last run is seen by
 * the next one at the latest.
 */
export function crossAccountReach(
  store: ExposureStore,
  config: GuardConfig,
): (evaluation: AccountEvaluation) => Promise<readonly ExternalRole[]> {
  return async (evaluation) => {
    const accountId = evaluation.account.accountId
    await store.put(accountId, findCrossAccountSupportRoles(evaluation, config))
    return externalRolesFor(await store.all(), accountId)
  }
}

/** Where assignments wait for the audit workers (an SQS queue whose consumers are bounded). */
export interface AssignmentQueue {
  send(assignments: readonly AuditAssignment[]): Promise<void>
}

export interface PlanDeps {
  /** The organisation's active accounts. */
  readonly listAccounts: () => Promise<readonly MemberAccount[]>
  readonly runs: AuditRunStore
  readonly queue: AssignmentQueue
  readonly newRunId: () => string
  readonly now: () => Date
  readonly logger: CoreLogger
}

/**
 * The scheduled start of an organisation's audit: one run, one assignment per account. The run is
 * recorded before anything is queued, so a worker never records an account of an unknown run.
 */
export async function planOrganizationAudit(deps: PlanDeps): Promise<AuditRunPlan> {
  const accounts = await deps.listAccounts()
  const plan: AuditRunPlan = { runId: deps.newRunId(), startedAt: deps.now().toISOString(), accounts }
  await deps.runs.start(plan)
  await deps.queue.send(
    accounts.map((account) => ({
      runId: plan.runId,
      accountId: account.id,
      ...(account.name ? { accountName: account.name } : {}),
    })),
  )
  deps.logger.info('organisation audit planned', { runId: plan.runId, accounts: accounts.length })
  return plan
}

export interface AssignmentDeps {
  /** Audits one account (publishing its findings as today) and says what it found. */
  readonly audit: (accountId: string) => Promise<AuditSummary>
  readonly runs: AuditRunStore
  readonly publisher: FindingsPublisher
  /** This is the queue's last delivery of the message: a failure is recorded, not retried. */
  readonly finalAttempt: boolean
  readonly now: () => Date
  readonly logger: CoreLogger
}

/**
 * One account of a run: audit it, record the outcome, and publish the run's summary when this
 * account completes it. A failure is thrown for the queue to deliver again (throttling, a member
 * role not deployed yet); on the last delivery it is recorded as the account's outcome instead,
 * so a run always ends with one summary that names the accounts that failed and why.
 */
export async function auditAssignment(
  assignment: AuditAssignment,
  deps: AssignmentDeps,
): Promise<AccountAuditOutcome> {
  const named = assignment.accountName ? { accountName: assignment.accountName } : {}
  let outcome: AccountAuditOutcome
  try {
    const summary = await deps.audit(assignment.accountId)
    if (summary.accountId !== assignment.accountId)
      throw new Error(`IAM answered for account ${summary.accountId}, not ${assignment.accountId}`)
    outcome = {
      accountId: assignment.accountId,
      ...named,
      status: 'audited',
      principals: summary.principals,
      findingsBySeverity: countBySeverity(summary.findings),
    }
  } catch (error) {
    const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error)
    if (!deps.finalAttempt) {
      deps.logger.warn('account audit failed; the queue delivers it again', { ...assignment, reason })
      throw error
    }
    deps.logger.warn('account audit failed on its last delivery; recorded as failed', {
      ...assignment,
      reason,
    })
    outcome = { accountId: assignment.accountId, ...named, status: 'failed', reason }
  }
  const summary = await finishAccount(deps.runs, assignment.runId, outcome, deps.now)
  if (summary) {
    try {
      await deps.publisher.publish([{ detailType: AUDIT_SUMMARY_DETAIL_TYPE, detail: summary }])
    } catch (error) {
      // Given back, the claim goes to this account's redelivery: it records nothing new, finds
      // the run complete and publishes the summary.
      await deps.runs.releaseSummary(assignment.runId)
      throw error
    }
    deps.logger.info('organisation audit finished', {
      runId: summary.runId,
      audited: summary.audited,
      failed: summary.failed.length + summary.failedOmitted,
    })
  }
  return outcome
}
