import { matchesAnyArnPattern } from '#shared/config/arn-pattern.ts'
import type { CompiledPrincipal } from '#shared/evaluator/compile-account.ts'
import { DECISION_DENY, decisionName } from '#shared/evaluator/decision.ts'
import type { PrincipalAccess } from '#shared/evaluator/evaluate-principals.ts'
import { explainDecision, listAllowingPolicies } from '#shared/evaluator/explain.ts'
import { ASSUME_ROLE } from '#shared/evaluator/questions.ts'
import { createRoleReachability } from '#shared/evaluator/reachability.ts'
import type { FindingDraft } from '#shared/findings/finding.ts'
import { buildAccountRootArn, nameOfArn } from '#shared/policy/arn.ts'
import type { PostureContext } from '../context.ts'

/** True for a principal the rules about people's Support access consider: not AWS's own, not the Support App's. */
export function isPersonPrincipal(context: PostureContext, access: PrincipalAccess): boolean {
  return !access.principal.serviceLinked && !context.supportAppRoles.includes(access.principal)
}

/** NO_SUPPORT_ROLE: nobody may open and follow a support case (CIS AWS Foundations 1.17, Security Hub IAM.18). */
export function checkNoSupportRole(context: PostureContext): FindingDraft[] {
  if (context.partial) return []
  const candidates = context.people
  if (candidates.some((access) => context.hasFullSupportAccess(access))) return []
  const partial = candidates
    .filter((access) => context.hasSupportAccess(access))
    .map((access) => access.principalArn)
  return [
    {
      rule: 'NO_SUPPORT_ROLE',
      principalArn: buildAccountRootArn(context.accountId),
      title: 'No user or role can manage AWS Support cases',
      detail: `No user or role is allowed all of ${context.config.requiredSupportActions.join(', ')} without conditions. Incidents would have to be raised with the root user.`,
      evidence: {
        requiredActions: context.config.requiredSupportActions,
        principalsWithPartialAccess: partial.slice(0, 20),
      },
      remediation: {
        automatic: false,
        steps: [
          'Create a role for the support team, e.g. SupportTeam, trusted by your identity provider or account.',
          'Attach arn:aws:iam::aws:policy/AWSSupportAccess to it.',
          'Add the role to supportPrincipals.required in the guard config so its access is protected.',
        ],
      },
    },
  ]
}

/**
 * SUPPORT_ACCESS_LOST: a principal the config requires to keep support access is denied a
 * required support action; or, on a whole account, a required pattern matches no user or role
 * (then the finding has no principal ARN and names the pattern in its evidence). A console
 * gap is SUPPORT_CONSOLE_ACCESS_MISSING here; the change path turns the one a change opened
 * into this rule (shared/pipeline/console-loss.ts).
 */
export function checkSupportAccessLost(context: PostureContext): FindingDraft[] {
  const required = context.config.supportPrincipals.required
  if (required.length === 0) return []
  const drafts: FindingDraft[] = []
  const matched = new Set<string>()
  for (const access of context.evaluation.principals) {
    if (!matchesAnyArnPattern(required, access.principalArn)) continue
    matched.add(access.principalArn)
    const missing = context.config.requiredSupportActions.filter(
      // Access that rests on a condition (MFA, source network) is still access: only a denied
      // action is lost, so the guard never reverts a hardening such as "deny unless MFA".
      (action) => context.codeOf(access, action) === DECISION_DENY,
    )
    if (missing.length > 0) drafts.push(draftAccessLost(context, access, missing))
  }
  for (const pattern of context.partial ? [] : required) {
    if ([...matched].some((arn) => matchesAnyArnPattern([pattern], arn))) continue
    drafts.push({
      rule: 'SUPPORT_ACCESS_LOST',
      // A pattern is not a principal (docs/contracts.md#findings): it tells the findings apart instead.
      principalArn: null,
      discriminator: pattern,
      title: `Required support principal ${nameOfArn(pattern)} does not exist`,
      detail: `The guard config requires ${pattern} to keep AWS Support access, but no user or role matches it.`,
      evidence: { pattern },
      remediation: {
        automatic: false,
        steps: ['Re-create the principal, or correct supportPrincipals.required in the guard config.'],
      },
    })
  }
  return drafts
}

function draftAccessLost(context: PostureContext, access: PrincipalAccess, missing: string[]): FindingDraft {
  const question = context.evaluation.questions.questions.find((entry) => entry.key === missing[0])
  const explanation = question
    ? explainDecision(access.principal, question, context.evaluation.account.scpLayers)
    : undefined
  return {
    rule: 'SUPPORT_ACCESS_LOST',
    principalArn: access.principalArn,
    title: `${nameOfArn(access.principalArn)} lost required AWS Support access`,
    detail: `${access.principalArn} must be allowed ${context.config.requiredSupportActions.join(', ')}; it is denied ${missing.join(', ')}.`,
    evidence: {
      missingActions: missing.map((action) => ({
        action,
        decision: decisionName(context.codeOf(access, action)),
      })),
      statements: explanation?.statements ?? [],
      boundary: access.principal.boundary?.id,
    },
    remediation: {
      automatic: false,
      steps: [
        'Re-attach arn:aws:iam::aws:policy/AWSSupportAccess (or the customer policy that granted it).',
        'Remove any Deny statement or permissions boundary that cuts the actions listed.',
      ],
    },
  }
}

const GRANTED_REMEDIATION = Object.freeze({
  automatic: false,
  steps: Object.freeze([
    'If the access is intended, add the principal to supportPrincipals.approved in the guard config.',
    'Otherwise detach the policy that grants support actions (see evidence.via) or remove the trust that lets it assume a support role.',
  ]),
})

/** Evidence lists of SUPPORT_ACCESS_GRANTED that are empty: one shared, frozen list. */
const NONE: readonly string[] = Object.freeze([])

/**
 * SUPPORT_ACCESS_GRANTED: a principal outside the allowlist holds support access, directly
 * or by assuming a role that has it. Without any allowlist the finding is informational.
 */
export function checkSupportAccessGranted(context: PostureContext): FindingDraft[] {
  const { required, approved } = context.config.supportPrincipals
  const allowlist = [...required, ...approved]
  const severity = allowlist.length === 0 ? 'info' : undefined
  const candidates = context.people
  const supportRoles: CompiledPrincipal[] = []
  for (const access of candidates) {
    if (access.principalType === 'role' && context.hasSupportAccess(access))
      supportRoles.push(access.principal)
  }
  // Reachability through roles needs the whole account; a principal with direct access needs no second reason.
  const reach = context.partial
    ? undefined
    : createRoleReachability(context.evaluation.account, supportRoles, context.externalSupportRoles)
  const drafts: FindingDraft[] = []
  for (const access of candidates) {
    if (allowlist.length > 0 && matchesAnyArnPattern(allowlist, access.principalArn)) continue
    const direct = context.hasSupportAccess(access)
    const through =
      direct || !reach || context.codeOf(access, ASSUME_ROLE) === DECISION_DENY
        ? undefined
        : reach.reachableFrom(access.principal)
    if (!direct && !through?.count) continue
    const granted = context.grantedActions(access)
    drafts.push({
      rule: 'SUPPORT_ACCESS_GRANTED',
      principalArn: access.principalArn,
      ...(severity ? { severity } : {}),
      title: `${nameOfArn(access.principalArn)} has AWS Support access outside the allowlist`,
      detail: direct
        ? `${access.principalArn} is allowed ${granted.join(', ')}.`
        : `${access.principalArn} can assume ${through?.count ?? 0} role(s) with AWS Support access, e.g. ${through?.roles.join(', ')}.`,
      evidence: {
        grantedActions: granted,
        via: direct ? viaPolicies(context, access, granted[0]) : NONE,
        assumableSupportRoles: through?.roles ?? NONE,
        assumableSupportRoleCount: through?.count ?? 0,
      },
      remediation: GRANTED_REMEDIATION,
    })
  }
  return drafts
}

function viaPolicies(
  context: PostureContext,
  access: PrincipalAccess,
  action: string | undefined,
): readonly string[] {
  const index = action === undefined ? undefined : context.evaluation.questions.indexByKey.get(action)
  return index === undefined
    ? NONE
    : listAllowingPolicies(access.principal, context.evaluation.questions, index)
}
