import type { GuardConfig } from '#shared/config/guard-config.ts'
import { evaluateAccount } from '#shared/evaluator/evaluate-account.ts'
import { findServiceLinkedRoleByService } from '#shared/events/service-linked-roles.ts'
import { runPostureRules } from '#shared/posture/run-posture-rules.ts'
import type { AccountSnapshot } from '#shared/snapshot/types.ts'
import {
  type FindingEventDetail,
  type GuardMode,
  REMEDIATION_DETAIL_TYPE,
  type RemediationEventDetail,
  type RemediationOutcome,
} from './bus-events.ts'
import type { AccountReader, CoreLogger, FindingsPublisher, StepWriter } from './ports.ts'
import { readState, type StateTargets } from './read-change-state.ts'
import type { RemediationStep } from './remediation-steps.ts'

export interface RemediateDeps {
  readonly reader: AccountReader
  readonly writer: StepWriter
  readonly publisher: FindingsPublisher
  readonly config: GuardConfig
  readonly mode: GuardMode
  readonly logger: CoreLogger
}

/**
 * The remediate use-case. Events arrive late and out of order, so before writing it
 * re-reads the current state and acts only if the finding still holds; after writing it
 * re-reads again and reports `reverted` only if the finding is gone.
 */
export async function remediateFinding(
  detail: FindingEventDetail,
  deps: RemediateDeps,
): Promise<RemediationEventDetail> {
  const result = await decideAndApply(detail, deps)
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
  deps.logger.info('remediation finished', {
    findingId: detail.id,
    rule: detail.rule,
    outcome: event.outcome,
    reason: event.reason,
  })
  return event
}

type Result = Pick<RemediationEventDetail, 'outcome' | 'steps' | 'reason' | 'error'>

async function decideAndApply(detail: FindingEventDetail, deps: RemediateDeps): Promise<Result> {
  const steps = detail.plan?.steps ?? []
  if (deps.mode !== 'enforce') return skipped(steps, 'the guard is in monitor mode')
  if (steps.length === 0) return skipped(steps, 'the finding has no automatic revert')
  if (!(await stillHolds(detail, steps, deps))) {
    return skipped(steps, 'the finding no longer holds: the state changed after the event')
  }
  const applied: RemediationStep[] = []
  for (const step of steps) {
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
  if (await stillHolds(detail, steps, deps)) {
    return outcome('failed', applied, 'the finding still holds after the revert was applied')
  }
  return outcome('reverted', applied, detail.plan?.reason ?? 'reverted')
}

/** Re-reads what the plan touches and re-runs the rules: is the same finding (same ID) still there? */
async function stillHolds(
  detail: FindingEventDetail,
  steps: readonly RemediationStep[],
  deps: RemediateDeps,
): Promise<boolean> {
  const creates = steps.flatMap((step) =>
    step.action === 'create-service-linked-role' ? [step.awsServiceName] : [],
  )
  if (creates.length > 0) {
    const roles = await Promise.all(
      creates.map((service) =>
        deps.reader.readRole(findServiceLinkedRoleByService(service)?.roleName ?? service),
      ),
    )
    return roles.some((role) => role === undefined)
  }
  const state = await readState(detail.accountId, targetsOf(detail, steps), deps.reader)
  return findingIds(state, deps.config).has(detail.id)
}

function findingIds(state: AccountSnapshot, config: GuardConfig): Set<string> {
  return new Set(
    runPostureRules(evaluateAccount(state), config, { partial: true }).map((finding) => finding.id),
  )
}

function targetsOf(detail: FindingEventDetail, steps: readonly RemediationStep[]): StateTargets {
  const targets: StateTargets = { roles: new Set(), users: new Set(), groups: new Set(), policies: new Set() }
  const [kind, ...rest] = (detail.principalArn.split(':')[5] ?? '').split('/')
  const name = rest.pop()
  if (name && kind === 'role') targets.roles.add(name)
  if (name && kind === 'user') targets.users.add(name)
  for (const step of steps) {
    if ('principalType' in step) {
      const set =
        step.principalType === 'role'
          ? targets.roles
          : step.principalType === 'user'
            ? targets.users
            : targets.groups
      set.add(step.principalName)
    }
    if ('roleName' in step) targets.roles.add(step.roleName)
    if ('userName' in step) targets.users.add(step.userName)
    if ('policyArn' in step) targets.policies.add(step.policyArn)
  }
  return targets
}

function skipped(steps: readonly RemediationStep[], reason: string): Result {
  return outcome('skipped', steps, reason)
}

function outcome(
  kind: RemediationOutcome,
  steps: readonly RemediationStep[],
  reason: string,
  error?: string,
): Result {
  return { outcome: kind, steps, reason, ...(error ? { error } : {}) }
}
