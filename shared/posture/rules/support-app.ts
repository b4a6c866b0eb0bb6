import { isCatalogNamespace, listCatalogActions } from '#shared/catalog/catalog.ts'
import {
  SUPPORT_APP_FULL_ACTIONS,
  SUPPORT_APP_READONLY_ACTIONS,
  SUPPORT_APP_SERVICE,
  SUPPORT_APP_SLR_SERVICE,
} from '#shared/catalog/support-actions.ts'
import {
  allStatementsOf,
  type CompiledPolicy,
  type CompiledPrincipal,
} from '#shared/evaluator/compile-account.ts'
import { DECISION_ALLOW, DECISION_DENY, decisionName } from '#shared/evaluator/decision.ts'
import { evaluatePrincipals } from '#shared/evaluator/evaluate-principals.ts'
import { explainDecision } from '#shared/evaluator/explain.ts'
import {
  buildQuestionSet,
  SLR_FOR_OTHER_SERVICE,
  SLR_FOR_SERVICE_QUOTAS,
} from '#shared/evaluator/questions.ts'
import { analyzeTrust } from '#shared/evaluator/trust.ts'
import { wildcardCovers, wildcardsOverlap } from '#shared/evaluator/wildcard.ts'
import type { FindingDraft } from '#shared/findings/finding.ts'
import { buildAwsManagedPolicyArn, nameOfArn } from '#shared/policy/arn.ts'
import type { PostureContext } from '../context.ts'

/** Every catalog action, with iam:CreateServiceLinkedRole asked for Service Quotas. */
const CATALOG_QUESTIONS = buildQuestionSet(
  listCatalogActions().map((action) =>
    action.name === 'iam:CreateServiceLinkedRole'
      ? {
          action: action.name,
          variant: SUPPORT_APP_SLR_SERVICE,
          context: { 'iam:AWSServiceName': SUPPORT_APP_SLR_SERVICE },
        }
      : { action: action.name },
  ),
)

function neededActions(context: PostureContext): readonly string[] {
  return context.config.supportApp.access === 'full' ? SUPPORT_APP_FULL_ACTIONS : SUPPORT_APP_READONLY_ACTIONS
}

/** SUPPORT_APP_TRUST_INVALID: the role must trust the Support App, and nothing else. */
export function checkSupportAppTrust(context: PostureContext): FindingDraft[] {
  const drafts: FindingDraft[] = context.missingChannelRoles.map((arn) => ({
    rule: 'SUPPORT_APP_TRUST_INVALID',
    principalArn: arn,
    title: `Slack channel role ${nameOfArn(arn)} does not exist`,
    detail: `A Support App Slack channel configuration uses ${arn}, which is not in the account: the channel cannot act.`,
    evidence: { channelRoleArn: arn },
    remediation: {
      automatic: false,
      steps: [
        'Re-create the role with a trust policy for supportapp.amazonaws.com, or point the channel at an existing Support App role.',
      ],
    },
  }))
  for (const role of context.supportAppRoles) {
    const grants = role.trust ? analyzeTrust(role.trust, context.accountId) : []
    const trustsApp = grants.some(
      (grant) => grant.kind === 'service' && grant.principal === SUPPORT_APP_SERVICE,
    )
    const others = grants.filter(
      (grant) => !(grant.kind === 'service' && grant.principal === SUPPORT_APP_SERVICE),
    )
    if (trustsApp && others.length === 0) continue
    const problems = [
      ...(role.trust ? [] : ['its trust policy cannot be read']),
      ...(trustsApp || !role.trust ? [] : [`it does not trust ${SUPPORT_APP_SERVICE}`]),
      ...(others.length > 0 ? [`it also trusts ${others.map((grant) => grant.principal).join(', ')}`] : []),
    ]
    drafts.push({
      rule: 'SUPPORT_APP_TRUST_INVALID',
      principalArn: role.arn,
      title: `Support App role ${role.record.name} has an invalid trust policy`,
      detail: `${role.arn} is a Support App role, but ${problems.join(' and ')}.`,
      evidence: { trustsSupportApp: trustsApp, otherTrustedPrincipals: others },
      remediation: {
        automatic: false,
        steps: [
          `Set the trust policy to allow only the service principal ${SUPPORT_APP_SERVICE} to call sts:AssumeRole.`,
        ],
      },
    })
  }
  return drafts
}

/** SUPPORT_APP_MISSING_PERMISSIONS: Slack users would see errors for these actions. */
export function checkSupportAppMissing(context: PostureContext): FindingDraft[] {
  const needed = neededActions(context)
  const drafts: FindingDraft[] = []
  for (const role of context.supportAppRoles) {
    const access = context.accessOf(role)
    if (!access) continue
    const missing = needed.filter((action) => context.codeOf(access, action) !== DECISION_ALLOW)
    if (missing.length === 0) continue
    drafts.push({
      rule: 'SUPPORT_APP_MISSING_PERMISSIONS',
      principalArn: role.arn,
      title: `Support App role ${role.record.name} lacks ${missing.length} needed action(s)`,
      detail: `In ${context.config.supportApp.access} mode the Support App needs ${needed.join(', ')}; ${role.arn} is not allowed ${missing.join(', ')}.`,
      evidence: {
        access: context.config.supportApp.access,
        missingActions: missing.map((action) => ({
          action,
          decision: decisionName(context.codeOf(access, action)),
        })),
      },
      remediation: {
        automatic: false,
        steps: [
          `Attach ${buildAwsManagedPolicyArn(context.config.supportApp.access === 'full' ? 'AWSSupportAppFullAccess' : 'AWSSupportAppReadOnlyAccess')} to the role.`,
        ],
      },
    })
  }
  return drafts
}

/** SUPPORT_APP_EXCESSIVE_PERMISSIONS: every Slack channel member gets what the role gets. */
export function checkSupportAppExcessive(context: PostureContext): FindingDraft[] {
  if (context.supportAppRoles.length === 0) return []
  const needed = new Set(neededActions(context))
  if (context.config.supportApp.access === 'full') needed.add(SLR_FOR_SERVICE_QUOTAS)
  const subset = { ...context.evaluation.account, principals: context.supportAppRoles }
  const drafts: FindingDraft[] = []
  for (const access of evaluatePrincipals(subset, CATALOG_QUESTIONS)) {
    const extra = CATALOG_QUESTIONS.questions
      .filter((question, index) => access.codes[index] !== DECISION_DENY && !needed.has(question.key))
      .map((question) => question.key)
    const foreign = patternsBeyondCatalog(access.principal)
    if (extra.length === 0 && foreign.length === 0) continue
    drafts.push({
      rule: 'SUPPORT_APP_EXCESSIVE_PERMISSIONS',
      principalArn: access.principalArn,
      title: `Support App role ${access.principal.record.name} allows ${extra.length + foreign.length} action(s) beyond the Support App's needs`,
      detail: `Every member of the Slack channel acts with this role. Beyond the Support App's needs it allows: ${[...foreign, ...extra].slice(0, 15).join(', ')}${extra.length + foreign.length > 15 ? ', …' : ''}.`,
      evidence: {
        extraActions: extra,
        patternsBeyondCatalog: foreign,
        access: context.config.supportApp.access,
      },
      remediation: {
        automatic: false,
        steps: [
          'Detach every policy but AWSSupportAppFullAccess (or AWSSupportAppReadOnlyAccess) from the role.',
          'Give people who need more than the Support App offers their own role instead of the channel role.',
        ],
      },
    })
  }
  return drafts
}

/**
 * Allow patterns naming services the catalog does not cover (`ec2:*`, `*`, NotAction), listed
 * as written, unless an unconditional Deny or the permissions boundary takes them away.
 */
function patternsBeyondCatalog(role: CompiledPrincipal): string[] {
  const found = new Set<string>()
  for (const policy of role.identity) {
    for (const statement of allStatementsOf(policy)) {
      if (statement.effect !== 'Allow') continue
      if (statement.action.negated) {
        if (!role.boundary || boundaryAllows(role.boundary, '*')) {
          found.add(`NotAction ${JSON.stringify(statement.action.values)} (${policy.label})`)
        }
        continue
      }
      for (const pattern of statement.action.values) {
        const namespace = pattern === '*' ? '*' : (pattern.split(':')[0] ?? '')
        if (namespace !== '*' && isCatalogNamespace(namespace)) continue
        if (deniedOutright(role.identity, pattern)) continue
        if (
          role.boundary &&
          (!boundaryAllows(role.boundary, pattern) || deniedOutright([role.boundary], pattern))
        )
          continue
        found.add(`${pattern} (${policy.label})`)
      }
    }
  }
  return [...found]
}

/** Unconditional Denies on every resource that, together, name every action of `pattern`. */
function deniedOutright(policies: readonly CompiledPolicy[], pattern: string): boolean {
  const denied = policies.flatMap((policy) =>
    allStatementsOf(policy).flatMap((statement) =>
      statement.effect === 'Deny' &&
      statement.conditions.length === 0 &&
      !statement.action.negated &&
      statement.resource !== undefined &&
      !statement.resource.negated &&
      wildcardCovers(statement.resource.values, '*', false)
        ? statement.action.values
        : [],
    ),
  )
  return denied.length > 0 && wildcardCovers(denied, pattern, true)
}

/** The boundary allows at least part of `pattern` (for `*`: some action outside the catalog). */
function boundaryAllows(boundary: CompiledPolicy, pattern: string): boolean {
  if (pattern === '*') {
    return allStatementsOf(boundary).some(
      (statement) =>
        statement.effect === 'Allow' &&
        (statement.action.negated ||
          statement.action.values.some(
            (allowed) => allowed === '*' || !isCatalogNamespace(allowed.split(':')[0] ?? ''),
          )),
    )
  }
  return allStatementsOf(boundary).some(
    (statement) =>
      statement.effect === 'Allow' &&
      (statement.action.negated
        ? !wildcardCovers(statement.action.values, pattern, true)
        : statement.action.values.some((allowed) => wildcardsOverlap(allowed, pattern, true))),
  )
}

/** SUPPORT_APP_UNSCOPED_SLR_CREATION: iam:CreateServiceLinkedRole not limited to Service Quotas. */
export function checkSupportAppUnscopedSlr(context: PostureContext): FindingDraft[] {
  const question = context.evaluation.questions.questions.find((entry) => entry.key === SLR_FOR_OTHER_SERVICE)
  const drafts: FindingDraft[] = []
  for (const role of context.supportAppRoles) {
    const access = context.accessOf(role)
    if (!access || !question || context.codeOf(access, SLR_FOR_OTHER_SERVICE) === DECISION_DENY) continue
    const explanation = explainDecision(role, question, context.evaluation.account.scpLayers)
    drafts.push({
      rule: 'SUPPORT_APP_UNSCOPED_SLR_CREATION',
      principalArn: role.arn,
      title: `Support App role ${role.record.name} can create any service-linked role`,
      detail: `${role.arn} is allowed iam:CreateServiceLinkedRole without the condition iam:AWSServiceName = ${SUPPORT_APP_SLR_SERVICE} (decision for another service: ${explanation.decision}).`,
      evidence: { decision: explanation.decision, statements: explanation.statements },
      remediation: {
        automatic: false,
        steps: [
          `Add "Condition": {"StringEquals": {"iam:AWSServiceName": "${SUPPORT_APP_SLR_SERVICE}"}} to the statement that allows iam:CreateServiceLinkedRole.`,
        ],
      },
    })
  }
  return drafts
}
