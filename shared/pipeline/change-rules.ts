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

/** Calls that would delete or change a service-linked role (IAM refuses most with UnmodifiableEntity). */
const SLR_WRITES = new Set([
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
  if (!owner || !role || !SLR_WRITES.has(change.eventName)) return []
  // The subject's ARN is the role's fixed service-linked path, whatever case the request used.
  const arn = owner.arn
  const outcome = change.failed ? `failed with ${change.errorCode ?? 'an error'}` : 'succeeded'
  const results: DirectFinding[] = [
    {
      finding: finalizeFinding(
        {
          rule: 'SLR_DELETION_ATTEMPT',
          principalArn: arn,
          discriminator: change.eventId,
          title: `${change.eventName} on ${role.roleName} by ${nameOfArn(change.actorArn)}`,
          detail: `${change.actorArn} called ${change.eventName} on the service-linked role ${role.roleName} from ${change.sourceIp ?? 'an unknown address'} (${change.userAgent ?? 'unknown client'}); the call ${outcome}. Service-linked roles of AWS Support are protected; an attempt to remove or change them is a signal worth a look.`,
          evidence: {
            eventName: change.eventName,
            actorArn: change.actorArn,
            sourceIp: change.sourceIp,
            userAgent: change.userAgent,
            errorCode: change.errorCode,
            errorMessage: change.errorMessage,
            failed: change.failed,
          },
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
