import { findServiceLinkedRoleByName } from '#shared/catalog/service-linked-roles.ts'
import { matchesAnyArnPattern } from '#shared/config/arn-pattern.ts'
import type { GuardConfig } from '#shared/config/guard-config.ts'
import { EVENT_ONLY_KINDS } from '#shared/events/change-kinds.ts'
import type { ChangeEvent, ParseOutcome } from '#shared/events/types.ts'
import type { AccountReader } from '#shared/snapshot/account-reader.ts'
import type { AccountSnapshot } from '#shared/snapshot/types.ts'
import { type Assessment, assessChange } from './assess-change.ts'
import { type Baseline, findPriorDefaultVersion } from './baseline.ts'
import { FINDING_DETAIL_TYPE, type FindingEventDetail, type GuardMode } from './bus-events.ts'
import { deletedPrincipalOf, ownerOfChange } from './change-mutation.ts'
import type { ChangeRecordStore } from './change-record.ts'
import type { BaselineStore, CoreLogger, FindingsPublisher } from './ports.ts'
import { readChangeState, withPolicyVersion } from './read-change-state.ts'

export interface DetectDeps {
  readonly reader: AccountReader
  readonly baselines: BaselineStore
  /** Where detect records the changes whose findings enforce mode is asked to revert. */
  readonly changes: ChangeRecordStore
  readonly publisher: FindingsPublisher
  readonly config: GuardConfig
  readonly mode: GuardMode
  /** ARN of the remediate function's role: its writes are the guard's own and never judged. */
  readonly guardRoleArn?: string
  /**
   * In a member account of the organisation, the guard writes as the member role's remediate
   * session (`arn:aws:sts::<account>:assumed-role/<member role>/<session>`): its calls are the
   * guard's own. Only that session, not the role: detect and audit read through the same role.
   */
  readonly guardSessionArn?: string
  /**
   * The account the guard watches (its function's own ARN says it). A change of another account
   * is refused, never judged here: its names would be read, and a revert written, in this
   * account's IAM, where they mean other principals or none.
   */
  readonly accountId?: string
  readonly logger: CoreLogger
  readonly now: () => Date
}

export type DetectVerdict =
  | 'findings'
  | 'compliant'
  | 'ignored'
  | 'own-change'
  | 'ignored-actor'
  | 'failed-attempt'
  | 'foreign-account'

export interface DetectResult {
  readonly verdict: DetectVerdict
  readonly eventId?: string
  readonly eventName?: string
  readonly reason?: string
  readonly findings: readonly FindingEventDetail[]
  readonly baselinesWritten: number
}

/**
 * The detect use-case: classify → read what the change touched → evaluate → compare with
 * config and baselines → publish findings and refresh baselines. An invalid event throws
 * its EventParseError so Lambda retries it and the dead-letter queue keeps it.
 */
export async function detectChange(outcome: ParseOutcome, deps: DetectDeps): Promise<DetectResult> {
  if (outcome.status === 'invalid') throw outcome.error
  if (outcome.status === 'ignored') {
    deps.logger.info('event acknowledged without verdict', {
      reason: outcome.reason,
      eventName: outcome.eventName,
    })
    return { verdict: 'ignored', reason: outcome.reason, findings: [], baselinesWritten: 0, ...ids(outcome) }
  }
  const { change } = outcome
  const skip = skipReason(change, deps)
  if (skip) {
    // An event of another account should never reach this guard: misrouted, or forwarded by
    // someone it does not trust. It is said louder than the guard's own writes.
    const fields = {
      verdict: skip,
      eventName: change.eventName,
      actorArn: change.actorArn,
      accountId: change.accountId,
      ...(change.envelopeAccountId === undefined ? {} : { sentBy: change.envelopeAccountId }),
    }
    if (skip === 'foreign-account') deps.logger.warn('change of another account refused', fields)
    else deps.logger.info('change skipped', fields)
    return {
      verdict: skip,
      findings: [],
      baselinesWritten: 0,
      eventId: change.eventId,
      eventName: change.eventName,
    }
  }
  const { findings, compliant, mutation } = await judgeChange(change, deps)
  const reverted = findings.filter((finding) => deps.mode === 'enforce' && finding.remediation.automatic)
  // Recorded before the findings are published: remediate re-plans from this record alone.
  if (reverted.length > 0 && mutation) {
    await deps.changes.putChange({
      accountId: change.accountId,
      eventId: change.eventId,
      eventName: change.eventName,
      eventTime: change.eventTime,
      actorArn: change.actorArn,
      mutation,
      findingIds: reverted.map((finding) => finding.id),
      plannedSteps: reverted.flatMap((finding) => finding.plan?.steps ?? []),
      recordedAt: deps.now().toISOString(),
    })
  }
  if (findings.length > 0) {
    await deps.publisher.publish(findings.map((detail) => ({ detailType: FINDING_DETAIL_TYPE, detail })))
  }
  for (const baseline of compliant) await deps.baselines.put(baseline)
  deps.logger.info('change judged', {
    eventName: change.eventName,
    targets: change.targets,
    findings: findings.map((finding) => finding.rule),
    baselinesWritten: compliant.length,
  })
  return {
    verdict: findings.length > 0 ? 'findings' : change.failed ? 'failed-attempt' : 'compliant',
    findings,
    baselinesWritten: compliant.length,
    eventId: change.eventId,
    eventName: change.eventName,
  }
}

/** Reads the touched state and baselines, then assesses the change (shared with `replay`). */
export async function judgeChange(
  change: ChangeEvent,
  deps: Pick<DetectDeps, 'reader' | 'baselines' | 'config' | 'mode' | 'now'>,
): Promise<Assessment> {
  const owner = ownerOfChange(change)
  const onServiceLinkedRole = owner?.type === 'role' && findServiceLinkedRoleByName(owner.name) !== undefined
  // Failed calls changed nothing, and service-linked roles are judged from the event alone; so
  // are support permits, Support plans and Identity Center calls, which write nothing in IAM.
  const state =
    change.failed || onServiceLinkedRole || EVENT_ONLY_KINDS.has(change.kind)
      ? emptyState(change.accountId)
      : await readChangeState(change, deps.reader)
  const baselines = [
    ...(await readBaselines(change.accountId, state, deps.baselines)),
    ...(await readDeletedPrincipalBaseline(change, deps.baselines)),
  ]
  const withPrior = await addPriorPolicyVersion(change, state, baselines, deps.reader)
  const supportAppInUse =
    deps.config.supportApp.roles.length > 0 ||
    (onServiceLinkedRole
      ? (await deps.baselines.list(change.accountId)).some((baseline) => baseline.supportApp)
      : false)
  const assessment = assessChange({
    change,
    state: withPrior,
    baselines,
    config: deps.config,
    mode: deps.mode,
    supportAppInUse,
    now: deps.now().toISOString(),
  })
  return change.failed ? { findings: assessment.findings, compliant: [] } : assessment
}

/**
 * EventBridge names the account an event arose in; a member forwarding another account's record
 * (CloudTrail delivers some calls to both sides) speaks for an account it is not. Such an event
 * must not take the idempotency key of the real one: the real event would then get its refusal.
 */
export function speaksForAnother(change: ChangeEvent): boolean {
  return change.envelopeAccountId !== undefined && change.envelopeAccountId !== change.accountId
}

function skipReason(change: ChangeEvent, deps: DetectDeps): DetectVerdict | undefined {
  if (deps.accountId !== undefined && change.accountId !== deps.accountId) return 'foreign-account'
  if (speaksForAnother(change)) return 'foreign-account'
  const callers = [change.actorArn, change.actor.arn, change.actor.sessionIssuerArn].filter(
    (arn): arn is string => arn !== undefined,
  )
  if (deps.guardRoleArn && callers.includes(deps.guardRoleArn)) return 'own-change'
  if (deps.guardSessionArn && change.actor.arn === deps.guardSessionArn) return 'own-change'
  if (callers.some((arn) => matchesAnyArnPattern(deps.config.ignoreActors, arn))) return 'ignored-actor'
  return undefined
}

async function readBaselines(
  accountId: string,
  state: AccountSnapshot,
  store: BaselineStore,
): Promise<Baseline[]> {
  const found = await Promise.all(
    [...state.roles, ...state.users].map((principal) => store.get(accountId, principal.arn)),
  )
  return found.filter((baseline): baseline is Baseline => baseline !== undefined)
}

/** A deleted principal is no longer readable: its baseline, found by name, says what it was. */
async function readDeletedPrincipalBaseline(change: ChangeEvent, store: BaselineStore): Promise<Baseline[]> {
  const deleted = deletedPrincipalOf(change)
  if (!deleted) return []
  const all = await store.list(change.accountId)
  return all.filter((baseline) => baseline.principalType === deleted.type && baseline.name === deleted.name)
}

/** A policy-version change is reverted to the default version its holders last had: read that document. */
async function addPriorPolicyVersion(
  change: ChangeEvent,
  state: AccountSnapshot,
  baselines: readonly Baseline[],
  reader: AccountReader,
): Promise<AccountSnapshot> {
  const policyArn = change.parameters.policyArn
  if (
    !policyArn ||
    (change.eventName !== 'CreatePolicyVersion' && change.eventName !== 'SetDefaultPolicyVersion')
  )
    return state
  const prior = findPriorDefaultVersion(baselines, policyArn)
  if (!prior) return state
  const document = await reader.readPolicyVersion(policyArn, prior.versionId)
  return document === undefined ? state : withPolicyVersion(state, policyArn, prior.versionId, document)
}

function emptyState(accountId: string): AccountSnapshot {
  return { accountId, users: [], groups: [], roles: [], policies: [], slackChannelConfigurations: [] }
}

function ids(outcome: { eventName?: string; eventId?: string }): { eventName?: string; eventId?: string } {
  return {
    ...(outcome.eventName ? { eventName: outcome.eventName } : {}),
    ...(outcome.eventId ? { eventId: outcome.eventId } : {}),
  }
}
