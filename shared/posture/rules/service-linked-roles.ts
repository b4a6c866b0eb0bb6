import { buildNamedRoleArn } from '#shared/catalog/service-linked-roles.ts'
import { SUPPORT_APP_SLR_SERVICE } from '#shared/catalog/support-actions.ts'
import type { ServiceQuotasRoleSighting } from '#shared/findings/evidence.ts'
import type { FindingDraft } from '#shared/findings/finding.ts'
import type { PostureContext } from '../context.ts'

/**
 * SLR_MISSING: AWSServiceRoleForSupport exists in every account and cannot be deleted, so
 * its absence means the export is partial or something is wrong. AWSServiceRoleForServiceQuotas
 * is needed by the Support App to request quota increases (medium).
 */
export function checkServiceLinkedRoles(context: PostureContext): FindingDraft[] {
  if (context.partial) return []
  // IAM role names are unique regardless of case.
  const roles = context.evaluation.account.snapshot.roles
  const hasSupportRole = hasRoleNamed(roles, 'awsserviceroleforsupport')
  const drafts: FindingDraft[] = []
  if (!hasSupportRole) {
    // Every account has service-linked roles (AWSServiceRoleForSupport and
    // AWSServiceRoleForTrustedAdvisor at least): an export without any was filtered, and the
    // absence of one more says nothing about the account.
    const filtered = !context.evaluation.account.principals.some((principal) => principal.serviceLinked)
    drafts.push({
      rule: 'SLR_MISSING',
      principalArn: buildNamedRoleArn(context.accountId, 'AWSServiceRoleForSupport'),
      ...(filtered ? { severity: 'info' as const } : {}),
      title: filtered
        ? 'The export lists no service-linked role: AWSServiceRoleForSupport could not be checked'
        : 'Service-linked role AWSServiceRoleForSupport is missing',
      detail: filtered
        ? 'AWS creates AWSServiceRoleForSupport in every account and it cannot be deleted, but this export carries no service-linked role at all: it was filtered (for example by the tool that wrote it), so the role is missing from the export, not necessarily from the account.'
        : 'AWS creates AWSServiceRoleForSupport in every account and it cannot be deleted; it is absent from this account view. AWS Support cannot gather the resource metadata it needs, or the export is incomplete.',
      evidence: { roleName: 'AWSServiceRoleForSupport', exportHasServiceLinkedRoles: !filtered },
      remediation: {
        automatic: false,
        steps: [
          'Check that the export includes all roles (no --filter).',
          'If the role is really gone, open a case with AWS Support.',
        ],
      },
    })
  }
  if (context.supportAppRoles.length > 0 && !hasRoleNamed(roles, 'awsserviceroleforservicequotas')) {
    drafts.push(
      draftServiceQuotasRoleMissing(context.accountId, {
        supportAppRoles: context.supportAppRoles.map((role) => role.arn),
      }),
    )
  }
  return drafts
}

/**
 * A role named `lowerName` (ASCII, lower case) in any case. Lower-casing keeps a name's length,
 * or lengthens it with non-ASCII text (İ), so only names of that length need a lower-cased copy.
 */
function hasRoleNamed(roles: readonly { readonly name: string }[], lowerName: string): boolean {
  for (const { name } of roles) {
    if (name.length === lowerName.length && name.toLowerCase() === lowerName) return true
  }
  return false
}

/**
 * SLR_MISSING (medium) for AWSServiceRoleForServiceQuotas while the Support App needs it, the
 * one finding the scheduled audit and a DeleteServiceLinkedRole event both raise: the same
 * subject, title and re-create step whichever path finds it; `evidence` adds what that path knows.
 */
export function draftServiceQuotasRoleMissing(
  accountId: string,
  evidence?: ServiceQuotasRoleSighting,
): FindingDraft {
  return {
    rule: 'SLR_MISSING',
    severity: 'medium',
    principalArn: buildNamedRoleArn(accountId, 'AWSServiceRoleForServiceQuotas'),
    title: 'AWSServiceRoleForServiceQuotas is missing while a Support App role exists',
    detail: 'The AWS Support App needs AWSServiceRoleForServiceQuotas to request quota increases from Slack.',
    evidence: { roleName: 'AWSServiceRoleForServiceQuotas', ...evidence },
    remediation: {
      automatic: true,
      steps: [`aws iam create-service-linked-role --aws-service-name ${SUPPORT_APP_SLR_SERVICE}`],
    },
  }
}
