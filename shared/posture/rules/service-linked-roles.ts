import {
  buildServiceLinkedRoleArn,
  findServiceLinkedRoleByName,
} from '#shared/events/service-linked-roles.ts'
import type { FindingDraft } from '#shared/findings/finding.ts'
import type { PostureContext } from '../context.ts'

/** ARN of a protected service-linked role (its path is `/aws-service-role/<service>/`). */
function serviceLinkedRoleArn(accountId: string, name: string): string {
  const role = findServiceLinkedRoleByName(name)
  return role ? buildServiceLinkedRoleArn(accountId, role) : `arn:aws:iam::${accountId}:role/${name}`
}

/**
 * SLR_MISSING: AWSServiceRoleForSupport exists in every account and cannot be deleted, so
 * its absence means the export is partial or something is wrong. AWSServiceRoleForServiceQuotas
 * is needed by the Support App to request quota increases (medium).
 */
export function checkServiceLinkedRoles(context: PostureContext): FindingDraft[] {
  if (context.partial) return []
  // IAM role names are unique regardless of case.
  const roleNames = new Set(context.evaluation.account.snapshot.roles.map((role) => role.name.toLowerCase()))
  const drafts: FindingDraft[] = []
  if (!roleNames.has('awsserviceroleforsupport')) {
    drafts.push({
      rule: 'SLR_MISSING',
      principalArn: serviceLinkedRoleArn(context.accountId, 'AWSServiceRoleForSupport'),
      title: 'Service-linked role AWSServiceRoleForSupport is missing',
      detail:
        'AWS creates AWSServiceRoleForSupport in every account and it cannot be deleted; it is absent from this account view. AWS Support cannot gather the resource metadata it needs, or the export is incomplete.',
      evidence: { roleName: 'AWSServiceRoleForSupport' },
      remediation: {
        automatic: false,
        steps: [
          'Check that the export includes all roles (no --filter).',
          'If the role is really gone, open a case with AWS Support.',
        ],
      },
    })
  }
  if (context.supportAppRoles.length > 0 && !roleNames.has('awsserviceroleforservicequotas')) {
    drafts.push({
      rule: 'SLR_MISSING',
      severity: 'medium',
      principalArn: serviceLinkedRoleArn(context.accountId, 'AWSServiceRoleForServiceQuotas'),
      title: 'AWSServiceRoleForServiceQuotas is missing while a Support App role exists',
      detail:
        'The AWS Support App needs AWSServiceRoleForServiceQuotas to request quota increases from Slack.',
      evidence: {
        roleName: 'AWSServiceRoleForServiceQuotas',
        supportAppRoles: context.supportAppRoles.map((role) => role.arn),
      },
      remediation: {
        automatic: true,
        steps: ['aws iam create-service-linked-role --aws-service-name servicequotas.amazonaws.com'],
      },
    })
  }
  return drafts
}
