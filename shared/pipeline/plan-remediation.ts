import { SUPPORT_APP_SLR_SERVICE } from '#shared/catalog/support-actions.ts'
import type { GuardConfig } from '#shared/config/guard-config.ts'
import { evaluateAccount } from '#shared/evaluator/evaluate-account.ts'
import { sameIamName } from '#shared/policy/arn.ts'
import { canonicalDocument } from '#shared/policy/canonical-document.ts'
import { runPostureRules } from '#shared/posture/run-posture-rules.ts'
import type { AccountSnapshot, PrincipalRecord } from '#shared/snapshot/types.ts'
import { type Baseline, findPriorDefaultVersion } from './baseline.ts'
import { applyMutation, type Mutation } from './mutate-snapshot.ts'
import { planBaselineRestore } from './plan-baseline-restore.ts'
import { planRevertSteps } from './plan-revert.ts'
import type { RemediationPlan, RemediationStep } from './remediation-steps.ts'
import { elementStillAsChanged } from './revert-preconditions.ts'

/** Steps whose content comes from the baseline: the event does not carry the prior value. */
const FROM_BASELINE: ReadonlySet<RemediationStep['action']> = new Set([
  'put-inline-policy',
  'update-trust-policy',
  'put-permissions-boundary',
  'set-default-policy-version',
])

export interface ChangeRevert {
  /** Every step that would undo the change, whatever the current state (what a plan may contain). */
  readonly candidates: readonly RemediationStep[]
  /** The revert, when the changed element still holds what the change wrote. */
  readonly plan?: RemediationPlan
  /** Why there is no plan although candidates exist. */
  readonly stale?: string
}

export interface ChangeIdentity {
  readonly eventName: string
  readonly eventId: string
}

/**
 * The revert of one change: the exact inverse where the event says what was there before
 * (attachments, memberships, an inline policy or boundary the change created), otherwise the
 * element's copy in the owner's baseline, said so in the reason. Planned only while the
 * element still holds what the change wrote, so a later legitimate write is never undone.
 */
export function planChangeRevert(
  change: ChangeIdentity,
  mutation: Mutation,
  state: AccountSnapshot,
  baselines: readonly Baseline[],
): ChangeRevert {
  const owner = ownerOfMutation(mutation)
  const baseline = owner
    ? baselines.find((entry) => entry.principalType === owner.type && sameIamName(entry.name, owner.name))
    : undefined
  const prior = 'policyArn' in mutation ? findPriorDefaultVersion(baselines, mutation.policyArn) : undefined
  const candidates =
    planRevertSteps(mutation, {
      ...(baseline ? { baseline } : {}),
      ...(prior ? { priorDefaultVersion: prior.versionId } : {}),
    }) ?? []
  if (candidates.length === 0) return { candidates }
  if (!elementStillAsChanged(mutation, state)) {
    return {
      candidates,
      stale: `what ${change.eventName} wrote has been changed again since; the later state is kept`,
    }
  }
  const fromBaseline = candidates.some((step) => FROM_BASELINE.has(step.action))
  const recordedBaseline = baseline ?? prior?.baseline
  return {
    candidates,
    plan: {
      steps: candidates,
      reason:
        fromBaseline && recordedBaseline
          ? `undo ${change.eventName} ${change.eventId}; the event does not carry the previous value, so it is restored from the baseline recorded ${recordedBaseline.recordedAt} (after ${recordedBaseline.source})`
          : `undo ${change.eventName} ${change.eventId}`,
      source: fromBaseline ? 'baseline' : 'change',
    },
  }
}

/**
 * A restore for drift no event reported: the fewest baseline elements that clear the finding
 * (checked in memory on `state`), so edits to other elements made since the baseline stay.
 */
export function planDriftRestore(
  findingId: string,
  current: PrincipalRecord,
  baseline: Baseline,
  state: AccountSnapshot,
  config: GuardConfig,
): RemediationPlan | undefined {
  const all = planBaselineRestore(current, baseline)
  if (all.length === 0 || !clearsFinding(findingId, state, all, config)) return undefined
  let steps = all
  for (const step of all) {
    const without = steps.filter((entry) => entry !== step)
    if (without.length > 0 && clearsFinding(findingId, state, without, config)) steps = without
  }
  return {
    steps,
    reason: `restore from the baseline recorded ${baseline.recordedAt} (after ${baseline.source}) what no reported change explains`,
    source: 'baseline',
  }
}

/** The re-creation of the Service Quotas service-linked role the Support App needs. */
export function planServiceQuotasRecreate(): RemediationPlan {
  return {
    steps: [{ action: 'create-service-linked-role', awsServiceName: SUPPORT_APP_SLR_SERVICE }],
    reason: 'the Support App needs AWSServiceRoleForServiceQuotas',
    source: 'recreate',
  }
}

/** True when applying `steps` to `state` in memory makes the finding with `findingId` disappear. */
export function clearsFinding(
  findingId: string,
  state: AccountSnapshot,
  steps: readonly RemediationStep[],
  config: GuardConfig,
): boolean {
  const after = steps.reduce<AccountSnapshot>(applyMutation, state)
  return !runPostureRules(evaluateAccount(after), config, { partial: true }).some(
    (finding) => finding.id === findingId,
  )
}

/** True when every step of `requested` is one of `allowed` (same action and fields). */
export function stepsWithin(
  requested: readonly RemediationStep[],
  allowed: readonly RemediationStep[],
): boolean {
  const keys = new Set(allowed.map(stepKey))
  return requested.every((step) => keys.has(stepKey(step)))
}

/** Fields compared as text, a document by its content whatever its encoding or key order. */
function stepKey(step: RemediationStep): string {
  return Object.entries(step)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, value]) => `${key}=${key === 'document' ? canonicalDocument(value) : String(value)}`)
    .join('\n')
}

function ownerOfMutation(mutation: Mutation): { type: 'role' | 'user' | 'group'; name: string } | undefined {
  if ('principalType' in mutation) return { type: mutation.principalType, name: mutation.principalName }
  if ('roleName' in mutation) return { type: 'role', name: mutation.roleName }
  if ('userName' in mutation) return { type: 'user', name: mutation.userName }
  return undefined
}
