import { GUARD_MEMBER_ROLE_NAMES } from '#shared/catalog/guard-roles.ts'
import { findServiceLinkedRoleByName } from '#shared/catalog/service-linked-roles.ts'
import { SUPPORT_APP_SLR_SERVICE } from '#shared/catalog/support-actions.ts'
import { matchesAnyArnPattern } from '#shared/config/arn-pattern.ts'
import type { GuardConfig } from '#shared/config/guard-config.ts'
import type { ChangeEvent } from '#shared/events/types.ts'
import { type Finding, finalizeFinding } from '#shared/findings/finding.ts'
import { nameOfArn } from '#shared/policy/arn.ts'
import { draftServiceQuotasRoleMissing } from '#shared/posture/rules/service-linked-roles.ts'
import type { Baseline } from './baseline.ts'
import { deletedPrincipalOf, ownerOfChange } from './change-mutation.ts'
import type { RemediationPlan } from './remediation-steps.ts'

export interface DirectFinding {
  readonly finding: Finding
  readonly plan?: RemediationPlan
}

/**
 * Calls that delete or change a role: for a service-linked role, IAM refuses most of them with
 * UnmodifiableEntity; for the guard's member roles, only CloudFormation should make them.
 */
const ROLE_WRITES = new Set([
  'DeleteServiceLinkedRole',
  'DeleteRole',
  'UpdateAssumeRolePolicy',
  'AttachRolePolicy',
  'DetachRolePolicy',
  'PutRolePolicy',
  'DeleteRolePolicy',
  'PutRolePermissionsBoundary',
  'DeleteRolePermissionsBoundary',
  'UpdateRole',
  'UpdateRoleDescription',
])

/**
 * SLR_DELETION_ATTEMPT for any attempt, failed or not, to delete or change the Support,
 * Trusted Advisor or Service Quotas service-linked role; SLR_MISSING with a re-create plan
 * when the Service Quotas role was deleted while the Support App needs it.
 */
export function findServiceLinkedRoleFindings(
  change: ChangeEvent,
  supportAppInUse: boolean,
  config: GuardConfig,
): DirectFinding[] {
  const owner = ownerOfChange(change)
  const role = owner?.type === 'role' ? findServiceLinkedRoleByName(owner.name) : undefined
  if (!owner || !role || !ROLE_WRITES.has(change.eventName)) return []
  // The subject's ARN is the role's fixed service-linked path, whatever case the request used.
  const arn = owner.arn
  const outcome = describeOutcome(change)
  const results: DirectFinding[] = [
    {
      finding: finalizeFinding(
        {
          rule: 'SLR_DELETION_ATTEMPT',
          principalArn: arn,
          discriminator: change.eventId,
          title: `${change.eventName} on ${role.roleName} by ${nameOfArn(change.actorArn)}`,
          detail: `${change.actorArn} called ${change.eventName} on the service-linked role ${role.roleName} from ${change.sourceIp ?? 'an unknown address'} (${change.userAgent ?? 'unknown client'}); the call ${outcome}. Service-linked roles of AWS Support are protected; an attempt to remove or change them is a signal worth a look.`,
          evidence: callEvidence(change),
          remediation: {
            automatic: false,
            steps: [
              'Confirm with the caller why the role was targeted.',
              'Review the permissions that let the caller try (iam:DeleteServiceLinkedRole, iam:DeleteRole).',
            ],
          },
        },
        change.accountId,
        config.severityOverrides,
      ),
    },
  ]
  if (
    !change.failed &&
    role.roleName === 'AWSServiceRoleForServiceQuotas' &&
    change.eventName === 'DeleteServiceLinkedRole' &&
    supportAppInUse
  ) {
    results.push({
      finding: finalizeFinding(
        draftServiceQuotasRoleMissing(change.accountId, {
          deletedBy: change.actorArn,
          eventId: change.eventId,
        }),
        change.accountId,
        config.severityOverrides,
      ),
      plan: {
        steps: [{ action: 'create-service-linked-role', awsServiceName: SUPPORT_APP_SLR_SERVICE }],
        reason: `re-create the role deleted by ${change.eventId}`,
        source: 'recreate',
      },
    })
  }
  return results
}

/**
 * GUARD_ROLE_CHANGED for any attempt, failed or not, to delete or change a role member-template.yaml
 * creates, other than through CloudFormation (the stack set, or a stack deployed by hand). Whoever
 * edits the member role's trust can act as the guard's own remediate session, whose writes detect
 * skips: the edit itself is what must be reported. No automatic revert: the guard never writes its
 * own roles, and the stack set restores them on its next update.
 */
export function findGuardRoleFindings(change: ChangeEvent, config: GuardConfig): DirectFinding[] {
  const owner = ownerOfChange(change)
  if (owner?.type !== 'role' || !GUARD_MEMBER_ROLE_NAMES.includes(owner.name)) return []
  if (!ROLE_WRITES.has(change.eventName) || isCloudFormation(change)) return []
  return [
    {
      finding: finalizeFinding(
        {
          rule: 'GUARD_ROLE_CHANGED',
          principalArn: owner.arn,
          discriminator: change.eventId,
          title: `${change.eventName} on the guard's ${owner.name} by ${nameOfArn(change.actorArn)}`,
          detail: `${change.actorArn} called ${change.eventName} on ${owner.arn} from ${change.sourceIp ?? 'an unknown address'} (${change.userAgent ?? 'unknown client'}); the call ${describeOutcome(change)}. This role belongs to Support Access Guard (member-template.yaml) and only CloudFormation should change it: a widened trust would let someone act as the guard, whose own writes the guard does not judge.`,
          evidence: { ...callEvidence(change), roleName: owner.name },
          remediation: {
            automatic: false,
            steps: [
              'Confirm with the caller why the role was changed.',
              "Update the member stack (or stack set instance) to restore the role, and review the role's trust policy.",
              'Look for changes made through the role since: CloudTrail userIdentity.sessionContext.sessionIssuer names it.',
            ],
          },
        },
        change.accountId,
        config.severityOverrides,
      ),
    },
  ]
}

/**
 * CloudFormation's own calls: a stack operation signs with the caller's credentials and CloudTrail
 * names `cloudformation.amazonaws.com` in `invokedBy`; a stack set acts through its execution role.
 */
function isCloudFormation(change: ChangeEvent): boolean {
  if (change.actor.invokedBy === 'cloudformation.amazonaws.com') return true
  const role = change.actor.sessionIssuerArn ? nameOfArn(change.actor.sessionIssuerArn) : ''
  return role.startsWith('stacksets-exec-') || role === 'AWSCloudFormationStackSetExecutionRole'
}

function describeOutcome(change: ChangeEvent): string {
  return change.failed ? `failed with ${change.errorCode ?? 'an error'}` : 'succeeded'
}

/** The call as CloudTrail recorded it: the evidence of the rules about one call on a protected role. */
function callEvidence(change: ChangeEvent) {
  return {
    eventName: change.eventName,
    actorArn: change.actorArn,
    sourceIp: change.sourceIp,
    userAgent: change.userAgent,
    errorCode: change.errorCode,
    errorMessage: change.errorMessage,
    failed: change.failed,
  }
}

/** SUPPORT_ACCESS_LOST when a required support principal is deleted (no automatic re-creation). */
export function findDeletedPrincipalFindings(
  change: ChangeEvent,
  baselines: readonly Baseline[],
  config: GuardConfig,
): DirectFinding[] {
  const deleted = deletedPrincipalOf(change)
  if (!deleted) return []
  const { name, type } = deleted
  const baseline = baselines.find((entry) => entry.name === name && entry.principalType === type)
  const arn = baseline?.principalArn ?? deleted.arn
  if (!matchesAnyArnPattern(config.supportPrincipals.required, arn)) return []
  return [
    {
      finding: finalizeFinding(
        {
          rule: 'SUPPORT_ACCESS_LOST',
          principalArn: arn,
          title: `Required support principal ${name} was deleted`,
          detail: `${change.actorArn} deleted ${arn}, which the guard config requires to keep AWS Support access.`,
          evidence: { deletedBy: change.actorArn, eventId: change.eventId, lastKnownGood: baseline ?? null },
          remediation: {
            automatic: false,
            steps: [
              'Re-create the principal from its last known-good state (evidence.lastKnownGood) and re-attach AWSSupportAccess.',
            ],
          },
        },
        change.accountId,
        config.severityOverrides,
      ),
    },
  ]
}
