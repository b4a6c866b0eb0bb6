import { analyzeTrust, isExternalGrant } from '#shared/evaluator/trust.ts'
import type { FindingDraft } from '#shared/findings/finding.ts'
import type { PostureContext } from '../context.ts'
import { grantedActions, nameOf, peoplePrincipals } from './support-access.ts'

/** SUPPORT_ACCESS_EXTERNAL_TRUST: a role with support access can be assumed from outside the account. */
export function checkExternalTrust(context: PostureContext): FindingDraft[] {
  const drafts: FindingDraft[] = []
  for (const access of peoplePrincipals(context)) {
    const trust = access.principal.trust
    if (!trust || !context.hasSupportAccess(access)) continue
    const external = analyzeTrust(trust, context.accountId).filter(isExternalGrant)
    if (external.length === 0) continue
    drafts.push({
      rule: 'SUPPORT_ACCESS_EXTERNAL_TRUST',
      principalArn: access.principalArn,
      title: `${nameOf(access.principalArn)} has AWS Support access and is assumable from outside the account`,
      detail: `${access.principalArn} trusts ${external.map((grant) => `${grant.principal} (${grant.kind}${grant.conditional ? `, if ${grant.conditionKeys.join(', ')}` : ''})`).join('; ')}.`,
      evidence: { externalPrincipals: external, grantedActions: grantedActions(context, access) },
      remediation: {
        automatic: false,
        steps: [
          'Restrict the trust policy to principals of this account (or your identity provider with audience conditions).',
          'If a partner needs the access, require sts:ExternalId and list the account in supportPrincipals.approved.',
        ],
      },
    })
  }
  return drafts
}
