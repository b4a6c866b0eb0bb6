import type { GuardConfig } from '#shared/config/guard-config.ts'
import { type AccountEvaluation, evaluateAccount } from '#shared/evaluator/evaluate-account.ts'
import { EVENT_ONLY_KINDS } from '#shared/events/change-kinds.ts'
import type { ChangeEvent } from '#shared/events/types.ts'
import type { Finding } from '#shared/findings/finding.ts'
import { sameIamName } from '#shared/policy/arn.ts'
import { runPostureRules } from '#shared/posture/run-posture-rules.ts'
import type { AccountSnapshot } from '#shared/snapshot/types.ts'
import type { Baseline } from './baseline.ts'
import type { FindingEventDetail, GuardMode } from './bus-events.ts'
import { mutationOfChange, ownerOfChange } from './change-mutation.ts'
import {
  findDeletedPrincipalFindings,
  findGuardRoleFindings,
  findServiceLinkedRoleFindings,
} from './change-rules.ts'
import { summarizeChange } from './change-summary.ts'
import { promoteConsoleLoss } from './console-loss.ts'
import { findWithheldReason } from './enforcement.ts'
import { applyMutation, type Mutation } from './mutate-snapshot.ts'
import { planChangeRevert } from './plan-remediation.ts'
import { captureProtectedBaselines, principalsWithFindings } from './protected-baselines.ts'
import type { RemediationPlan } from './remediation-steps.ts'
import { findSupportServiceFindings } from './support-service-rules.ts'

export interface AssessmentInput {
  readonly change: ChangeEvent
  /** The touched principals, their groups and policies, as they are now (after the change). */
  readonly state: AccountSnapshot
  /** Baselines of the touched principals. */
  readonly baselines: readonly Baseline[]
  readonly config: GuardConfig
  readonly mode: GuardMode
  /** A Support App role is known to exist (it needs AWSServiceRoleForServiceQuotas). */
  readonly supportAppInUse: boolean
  readonly now: string
}

export interface Assessment {
  readonly findings: readonly FindingEventDetail[]
  /** Protected principals found compliant: their new baselines. */
  readonly compliant: readonly Baseline[]
  /** What the change did, as a mutation (what a change record keeps for remediate). */
  readonly mutation?: Mutation
}

/**
 * Judges one change: the findings on the principals it touched, the revert that would clear
 * them (checked in memory before it is offered, and only while what the change wrote is still
 * there), whether enforce mode may apply it (`withheld` says why not), and the baselines to refresh.
 */
export function assessChange(input: AssessmentInput): Assessment {
  const { change, state, config } = input
  const direct = [
    ...findServiceLinkedRoleFindings(change, input.supportAppInUse, config),
    ...findGuardRoleFindings(change, config),
    ...findDeletedPrincipalFindings(change, input.baselines, config),
    ...findSupportServiceFindings(change, config),
  ]
  // Compiled once: the findings and the baselines of the compliant principals both read it.
  const evaluation = evaluateAccount(state)
  const found = evaluateState(evaluation, config, change)
  const mutation = mutationOfChange(change)
  const revert = mutation ? planChangeRevert(change, mutation, state, input.baselines) : undefined
  const plan = revert?.plan
  const clearedBefore = plan
    ? clearedFindingIds(found, applyPlan(state, plan), config, change)
    : new Set<string>()
  const evaluated = found.map((finding) => promoteConsoleLoss(finding, clearedBefore.has(finding.id), config))
  const cleared = new Set(
    found.flatMap((finding, index) =>
      clearedBefore.has(finding.id) ? [evaluated[index]?.id ?? finding.id] : [],
    ),
  )

  const withheld = (finding: Finding, steps: RemediationPlan['steps']) =>
    findWithheldReason(
      {
        finding,
        steps,
        state,
        baselined: input.baselines.some((baseline) => baseline.principalArn === finding.principalArn),
      },
      config,
    )
  // One revert, one owner: the most severe cleared finding enforce mode may revert carries the
  // plan (rules sort most severe first), else the most severe cleared one, to say why not; the
  // others it clears say so instead of asking for the same writes.
  const clearedFindings = evaluated.filter((finding) => cleared.has(finding.id))
  const owner =
    clearedFindings.find((finding) => plan && withheld(finding, plan.steps) === undefined) ??
    clearedFindings[0]
  const ownerWithheld = owner && plan ? withheld(owner, plan.steps) : undefined
  const clearedLine = (id: string) =>
    ownerWithheld
      ? `The revert shown for finding ${id} would clear this one too (enforce mode leaves it alone).`
      : `The revert planned for finding ${id} clears this one too.`
  // Calls judged from the event alone read no principal: the summary claims none checked.
  const summary = summarizeChange(
    change,
    EVENT_ONLY_KINDS.has(change.kind) ? undefined : state.roles.length + state.users.length,
  )
  const entries = [
    ...direct.map((entry) => ({ finding: entry.finding, plan: entry.plan, clearedBy: undefined })),
    ...evaluated.map((finding) => ({
      finding,
      plan: plan && finding === owner ? plan : undefined,
      clearedBy: owner && finding !== owner && cleared.has(finding.id) ? owner.id : undefined,
    })),
  ]
  return {
    findings: entries.map(({ finding, plan: revertPlan, clearedBy }) => {
      const reason = revertPlan ? withheld(finding, revertPlan.steps) : undefined
      const stale = revertPlan || clearedBy ? undefined : revert?.stale
      return {
        ...finding,
        remediation: {
          automatic: revertPlan !== undefined && reason === undefined,
          steps: [
            ...(clearedBy ? [clearedLine(clearedBy)] : []),
            ...(stale ? [`No automatic revert: ${stale}.`] : []),
            ...finding.remediation.steps,
          ],
        },
        mode: input.mode,
        change: summary,
        ...(revertPlan ? { plan: revertPlan } : {}),
        ...(reason ? { withheld: reason } : {}),
      }
    }),
    compliant: compliantBaselines(input, evaluated, evaluation),
    ...(mutation ? { mutation } : {}),
  }
}

function evaluateState(evaluation: AccountEvaluation, config: GuardConfig, change: ChangeEvent): Finding[] {
  const touchedPolicies = touchedPolicyIds(change, evaluation.account.snapshot)
  return runPostureRules(evaluation, config, { partial: true }).filter((finding) => {
    if (finding.rule !== 'SUPPORT_RESOURCE_SCOPE_INEFFECTIVE') return true
    if (finding.principalArn === null) return false
    // Managed policies are named by their ARN; inline ones by their owner's ARN and their name.
    const key =
      finding.evidence.policyType === 'inline'
        ? `${finding.principalArn}\n${finding.evidence.policyName}`
        : finding.principalArn
    return touchedPolicies.has(key)
  })
}

/**
 * Policies the change wrote: only their resource-scope findings are news. A managed policy is
 * keyed by its ARN, an inline policy by `<owner ARN>\n<policy name>`.
 */
function touchedPolicyIds(change: ChangeEvent, state: AccountSnapshot): Set<string> {
  const ids = new Set<string>()
  if (change.parameters.policyArn) ids.add(change.parameters.policyArn)
  const owner = ownerOfChange(change)
  const policyName = change.parameters.policyName
  if (owner && policyName) {
    const owners = owner.type === 'role' ? state.roles : owner.type === 'user' ? state.users : state.groups
    for (const entity of owners) {
      // IAM names are unique regardless of case; the request may spell one differently.
      if (sameIamName(entity.name, owner.name)) ids.add(`${entity.arn}\n${policyName}`)
    }
  }
  return ids
}

function applyPlan(state: AccountSnapshot, plan: RemediationPlan): AccountSnapshot {
  return plan.steps.reduce(applyMutation, state)
}

/** Findings that disappear once the plan is applied in memory: only those get the plan. */
function clearedFindingIds(
  before: readonly Finding[],
  after: AccountSnapshot,
  config: GuardConfig,
  change: ChangeEvent,
): Set<string> {
  const remaining = new Set(
    evaluateState(evaluateAccount(after), config, change).map((finding) => finding.id),
  )
  return new Set(before.filter((finding) => !remaining.has(finding.id)).map((finding) => finding.id))
}

function compliantBaselines(
  input: AssessmentInput,
  findings: readonly Finding[],
  evaluation: AccountEvaluation,
): Baseline[] {
  return captureProtectedBaselines(input.state, input.config, {
    recordedAt: input.now,
    source: input.change.eventId,
    exclude: principalsWithFindings(findings),
    compiled: evaluation.account,
  })
}
