import type { GuardConfig } from '#shared/config/guard-config.ts'
import { evaluateAccount } from '#shared/evaluator/evaluate-account.ts'
import { type Finding, finalizeFinding } from '#shared/findings/finding.ts'
import { parseIamEntityArn } from '#shared/policy/arn.ts'
import { draftServiceQuotasRoleMissing } from '#shared/posture/rules/service-linked-roles.ts'
import { runPostureRules } from '#shared/posture/run-posture-rules.ts'
import type { AccountReader } from '#shared/snapshot/account-reader.ts'
import type { AccountSnapshot } from '#shared/snapshot/types.ts'
import type { Baseline } from './baseline.ts'
import {
  type FindingEventDetail,
  type GuardMode,
  REMEDIATION_DETAIL_TYPE,
  type RemediationEventDetail,
  type RemediationOutcome,
} from './bus-events.ts'
import type { ChangeRecordStore } from './change-record.ts'
import { promoteConsoleLoss } from './console-loss.ts'
import { findWithheldReason } from './enforcement.ts'
import { applyMutation, type Mutation } from './mutate-snapshot.ts'
import { planBaselineRestore } from './plan-baseline-restore.ts'
import {
  clearsFinding,
  planChangeRevert,
  planDriftRestore,
  planServiceQuotasRecreate,
  stepsWithin,
} from './plan-remediation.ts'
import type { BaselineStore, CoreLogger, FindingsPublisher, StepWriter } from './ports.ts'
import { readState, type StateTargets, withPolicyVersion } from './read-change-state.ts'
import { describeStep, type RemediationPlan, type RemediationStep } from './remediation-steps.ts'
import type { RevertEntry, RevertJournal } from './revert-journal.ts'

export interface RemediateDeps {
  readonly reader: AccountReader
  readonly baselines: BaselineStore
  readonly changes: ChangeRecordStore
  readonly writer: StepWriter
  /** Remediate's record of its own writes, read by a retry that finds the finding gone. */
  readonly journal: RevertJournal
  readonly publisher: FindingsPublisher
  readonly config: GuardConfig
  readonly mode: GuardMode
  /**
   * The account the guard runs in (its function's own ARN says it). A finding about another
   * account is refused: its principals would be read, and written, in this account's IAM.
   */
  readonly accountId?: string
  readonly logger: CoreLogger
  readonly now?: () => Date
}

/**
 * The remediate use-case. It never writes what a finding event says: from the event it takes
 * only what names the problem (account, finding ID, rule, principal, the triggering change's
 * event ID), then re-reads the state, loads the baseline and the change record detect wrote,
 * and re-plans with the same planner detect uses. It writes its own plan only if the finding
 * still holds, enforce mode may revert it, and the plan clears it in memory; an event asking
 * for any write outside that plan is refused whole. It records its writes in the journal under
 * `workKey` before and after making them, then re-reads and reports `reverted` only if the
 * finding is gone. A retry of the same work (the verification read or the outcome event failed)
 * that finds the finding gone and its own record reports `reverted` too, not `skipped`.
 */
export async function remediateFinding(
  detail: FindingEventDetail,
  deps: RemediateDeps,
  workKey: string = defaultWorkKey(detail),
): Promise<RemediationEventDetail> {
  const result = await decideAndApply(detail, workKey, deps)
  const event: RemediationEventDetail = {
    findingId: detail.id,
    rule: detail.rule,
    severity: detail.severity,
    accountId: detail.accountId,
    principalArn: detail.principalArn,
    title: detail.title,
    ...result,
    ...(detail.change ? { change: detail.change } : {}),
  }
  await deps.publisher.publish([{ detailType: REMEDIATION_DETAIL_TYPE, detail: event }])
  const log = result.refused ? deps.logger.warn : deps.logger.info
  log.call(deps.logger, result.refused ? 'finding event refused' : 'remediation finished', {
    findingId: detail.id,
    rule: detail.rule,
    outcome: event.outcome,
    reason: event.reason,
  })
  return event
}

type Result = Pick<RemediationEventDetail, 'outcome' | 'steps' | 'reason' | 'error' | 'refused'>

/** The guard's own answer to a finding, re-planned from trusted state. */
interface OwnPlan {
  /** Every write a plan for this finding could contain: what the event may ask for. */
  readonly candidates: readonly RemediationStep[]
  readonly plan?: RemediationPlan
  /** The finding as it holds now (its severity from the config, not from the event). */
  readonly current?: Finding
  readonly state: AccountSnapshot
  readonly baselined: boolean
  /**
   * The guard holds something that could justify a write (a change record, a baseline, the
   * Service Quotas finding). Without it, any write an event asks for is a forgery.
   */
  readonly grounded: boolean
  /** Why there is nothing to write. */
  readonly reason: string
}

/** The work a finding event names when its delivery key is not known: its finding and change. */
export function defaultWorkKey(detail: FindingEventDetail): string {
  return `${detail.accountId}#${detail.id}#${detail.change ? `change:${detail.change.eventId}` : 'audit'}`
}

async function decideAndApply(
  detail: FindingEventDetail,
  workKey: string,
  deps: RemediateDeps,
): Promise<Result> {
  if (deps.accountId !== undefined && detail.accountId !== deps.accountId)
    return {
      ...outcome(
        'skipped',
        [],
        `refused: the finding is about account ${detail.accountId}, and this guard acts only in account ${deps.accountId}; nothing was read or written`,
      ),
      refused: true,
    }
  const requested = detail.plan?.steps ?? []
  // The guard never asks a monitor-mode remediate for anything: with steps, re-check them all the same.
  if (deps.mode !== 'enforce' && requested.length === 0)
    return outcome('skipped', [], 'the guard is in monitor mode')
  const own = await replan(detail, deps)
  // Once the finding no longer holds, the candidates of today need not contain yesterday's plan:
  // that is a late event, not a forged one, and it is skipped below without writing.
  const judged = !own.grounded || own.current !== undefined
  if (judged && !stepsWithin(requested, own.candidates)) {
    const foreign = requested.filter((step) => !stepsWithin([step], own.candidates)).map(describeStep)
    return {
      ...outcome(
        'skipped',
        [],
        `refused: the finding event asks for writes the guard's own plan does not contain (${foreign.join('; ')}); nothing was written`,
      ),
      refused: true,
    }
  }
  if (deps.mode !== 'enforce') return outcome('skipped', [], 'the guard is in monitor mode')
  if (!own.current) {
    const earlier = await deps.journal.get(workKey)
    if (earlier) return revertedEarlier(earlier)
  }
  if (!own.plan || !own.current) return outcome('skipped', [], own.reason)
  const { current, plan, state } = own
  const withheld = findWithheldReason(
    { finding: current, steps: plan.steps, state, baselined: own.baselined },
    deps.config,
  )
  if (withheld) return outcome('skipped', plan.steps, `enforce mode does not revert this: ${withheld}`)
  if (!clearsFinding(current.id, state, plan.steps, deps.config))
    return outcome('skipped', plan.steps, 'the planned revert would not clear the finding')
  const now = deps.now ?? (() => new Date())
  await deps.journal.record({ key: workKey, state: 'applying', steps: plan.steps, at: now().toISOString() })
  const applied: RemediationStep[] = []
  for (const step of plan.steps) {
    try {
      await deps.writer.apply(step)
      applied.push(step)
    } catch (error) {
      return outcome(
        'failed',
        [...applied, step],
        `step ${step.action} failed`,
        error instanceof Error ? error.message : String(error),
      )
    }
  }
  await deps.journal.record({ key: workKey, state: 'applied', steps: applied, at: now().toISOString() })
  const after = await replan(detail, deps)
  if (after.current) return outcome('failed', applied, 'the finding still holds after the revert was applied')
  return outcome('reverted', applied, plan.reason)
}

/** The finding is gone and this work's record says the guard wrote its revert: it was this revert. */
function revertedEarlier(entry: RevertEntry): Result {
  const when =
    entry.state === 'applied'
      ? `its writes were recorded at ${entry.at}`
      : `it was writing at ${entry.at} when it stopped`
  return outcome(
    'reverted',
    entry.steps,
    `reverted by an earlier attempt of this remediation (${when}); the finding no longer holds`,
  )
}

/** Re-plans a finding from what the guard itself read: state, baselines and its change record. */
async function replan(detail: FindingEventDetail, deps: RemediateDeps): Promise<OwnPlan> {
  if (detail.rule === 'SLR_MISSING') return replanServiceQuotasRole(detail, deps)
  const { principalArn } = detail
  if (principalArn === null)
    return nothing(
      emptyState(detail.accountId),
      'the finding names no user or role (a config pattern matches nobody): there is nothing to revert',
    )
  if (detail.change) return replanChange(detail, principalArn, detail.change.eventId, deps)
  return replanDrift(detail, principalArn, deps)
}

async function replanServiceQuotasRole(detail: FindingEventDetail, deps: RemediateDeps): Promise<OwnPlan> {
  const state = emptyState(detail.accountId)
  const expected = finalizeFinding(
    draftServiceQuotasRoleMissing(detail.accountId),
    detail.accountId,
    deps.config.severityOverrides,
  )
  if (expected.id !== detail.id)
    return nothing(state, 'the guard re-creates no service-linked role but Service Quotas')
  const plan = planServiceQuotasRecreate()
  const base = { candidates: plan.steps, state, baselined: false, grounded: true }
  if (await deps.reader.readRole('AWSServiceRoleForServiceQuotas'))
    return { ...base, reason: 'the finding no longer holds: AWSServiceRoleForServiceQuotas exists' }
  const inUse =
    deps.config.supportApp.roles.length > 0 ||
    (await deps.baselines.list(detail.accountId)).some((baseline) => baseline.supportApp)
  if (!inUse) return { ...base, reason: 'the finding no longer holds: no Support App role is known' }
  return { ...base, plan, current: expected, reason: plan.reason }
}

async function replanChange(
  detail: FindingEventDetail,
  principalArn: string,
  eventId: string,
  deps: RemediateDeps,
): Promise<OwnPlan> {
  const record = await deps.changes.getChange(detail.accountId, eventId)
  if (!record?.findingIds.includes(detail.id)) {
    return nothing(
      emptyState(detail.accountId),
      `the guard recorded no revert of change ${eventId} for this finding`,
    )
  }
  const state = await readState(detail.accountId, targetsOf(principalArn, record.mutation), deps.reader)
  const baselines = await readBaselines(state, deps.baselines)
  const revert = planChangeRevert(record, record.mutation, state, baselines)
  const current = findCurrent(state, detail.id, deps.config, revert.plan)
  const base = {
    candidates: [...record.plannedSteps, ...revert.candidates],
    grounded: true,
    state,
    baselined: baselines.some((baseline) => baseline.principalArn === principalArn),
  }
  if (!current) return { ...base, reason: 'the finding no longer holds: the state changed after the event' }
  if (!revert.plan) return { ...base, current, reason: revert.stale ?? 'the change has no automatic revert' }
  // A return to an earlier policy version is checked in memory with that version's document.
  const withVersions = await addRestoredVersions(state, revert.plan.steps, deps.reader)
  return { ...base, state: withVersions, current, plan: revert.plan, reason: revert.plan.reason }
}

async function replanDrift(
  detail: FindingEventDetail,
  principalArn: string,
  deps: RemediateDeps,
): Promise<OwnPlan> {
  const empty = emptyState(detail.accountId)
  const entity = parseIamEntityArn(principalArn)
  if (!entity || entity.type === 'group' || entity.accountId !== detail.accountId)
    return nothing(empty, 'the finding names no user or role of the account')
  const baseline = await deps.baselines.get(detail.accountId, principalArn)
  if (!baseline) return nothing(empty, 'the principal has no baseline to restore')
  const targets: StateTargets = {
    roles: new Set(entity.type === 'role' ? [entity.name] : []),
    users: new Set(entity.type === 'user' ? [entity.name] : []),
    groups: new Set(baseline.groups ?? []),
    policies: new Set([...baseline.attached, ...(baseline.boundaryArn ? [baseline.boundaryArn] : [])]),
  }
  const state = await readState(detail.accountId, targets, deps.reader)
  const principal = [...state.roles, ...state.users].find((record) => record.arn === principalArn)
  if (!principal)
    return {
      ...nothing(state, 'the finding no longer holds: the principal no longer exists'),
      grounded: true,
    }
  const base = {
    candidates: planBaselineRestore(principal, baseline),
    state,
    baselined: true,
    grounded: true,
  }
  const current = findCurrent(state, detail.id, deps.config)
  if (!current) return { ...base, reason: 'the finding no longer holds' }
  const plan = planDriftRestore(detail.id, principal, baseline, state, deps.config)
  if (!plan) return { ...base, current, reason: 'restoring the baseline would not clear the finding' }
  return { ...base, current, plan, reason: plan.reason }
}

async function addRestoredVersions(
  state: AccountSnapshot,
  steps: readonly RemediationStep[],
  reader: AccountReader,
): Promise<AccountSnapshot> {
  let result = state
  for (const step of steps) {
    if (step.action !== 'set-default-policy-version') continue
    const document = await reader.readPolicyVersion(step.policyArn, step.versionId)
    if (document !== undefined) result = withPolicyVersion(result, step.policyArn, step.versionId, document)
  }
  return result
}

/**
 * The finding as the state shows it now. With the change's revert, a console gap that the
 * revert closes is found as the lost access detect reported (see console-loss.ts).
 */
function findCurrent(
  state: AccountSnapshot,
  findingId: string,
  config: GuardConfig,
  revert?: RemediationPlan,
): Finding | undefined {
  const findings = runPostureRules(evaluateAccount(state), config, { partial: true })
  const direct = findings.find((finding) => finding.id === findingId)
  if (direct || !revert) return direct
  const promoted = findings
    .map((finding) => ({ finding, promoted: promoteConsoleLoss(finding, true, config) }))
    .find((entry) => entry.promoted !== entry.finding && entry.promoted.id === findingId)
  if (!promoted) return undefined
  const reverted = revert.steps.reduce(applyMutation, state)
  const remains = runPostureRules(evaluateAccount(reverted), config, { partial: true }).some(
    (finding) => finding.id === promoted.finding.id,
  )
  return remains ? undefined : promoted.promoted
}

async function readBaselines(state: AccountSnapshot, store: BaselineStore): Promise<Baseline[]> {
  const found = await Promise.all(
    [...state.roles, ...state.users].map((principal) => store.get(state.accountId, principal.arn)),
  )
  return found.filter((baseline): baseline is Baseline => baseline !== undefined)
}

/** What to read: the finding's principal and everything the recorded change wrote. */
function targetsOf(principalArn: string, mutation: Mutation): StateTargets {
  const targets: StateTargets = { roles: new Set(), users: new Set(), groups: new Set(), policies: new Set() }
  const entity = parseIamEntityArn(principalArn)
  if (entity?.type === 'role') targets.roles.add(entity.name)
  if (entity?.type === 'user') targets.users.add(entity.name)
  if ('principalType' in mutation) {
    const set =
      mutation.principalType === 'role'
        ? targets.roles
        : mutation.principalType === 'user'
          ? targets.users
          : targets.groups
    set.add(mutation.principalName)
  }
  if ('roleName' in mutation) targets.roles.add(mutation.roleName)
  if ('userName' in mutation) targets.users.add(mutation.userName)
  if ('groupName' in mutation) targets.groups.add(mutation.groupName)
  if ('policyArn' in mutation) targets.policies.add(mutation.policyArn)
  return targets
}

function nothing(state: AccountSnapshot, reason: string): OwnPlan {
  return { candidates: [], state, baselined: false, grounded: false, reason }
}

function emptyState(accountId: string): AccountSnapshot {
  return { accountId, users: [], groups: [], roles: [], policies: [], slackChannelConfigurations: [] }
}

function outcome(
  kind: RemediationOutcome,
  steps: readonly RemediationStep[],
  reason: string,
  error?: string,
): Result {
  return { outcome: kind, steps, reason, ...(error ? { error } : {}) }
}
