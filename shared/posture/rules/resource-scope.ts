import { listNamespaceActions } from '#shared/catalog/catalog.ts'
import type { CompiledPolicy } from '#shared/evaluator/compile-account.ts'
import { matchesAny } from '#shared/evaluator/wildcard.ts'
import type { FindingDraft } from '#shared/findings/finding.ts'
import type { PostureContext } from '../context.ts'

const SUPPORT_ACTIONS = listNamespaceActions('support')

/**
 * SUPPORT_RESOURCE_SCOPE_INEFFECTIVE: AWS Support has no resource-level permissions, so a
 * statement naming `support:` actions with a Resource other than `*` grants (or denies) nothing.
 * Each policy is reported once per statement, whoever holds it.
 */
export function checkResourceScope(context: PostureContext): FindingDraft[] {
  // Group members share the parsed document of a policy: it is looked at once.
  const seen = new WeakSet<object>()
  const drafts: FindingDraft[] = []
  const visit = (policy: CompiledPolicy) => {
    if (!policy.parsed || seen.has(policy.parsed)) return
    seen.add(policy.parsed)
    for (const statement of policy.parsed.statements) {
      const resource = statement.resource
      if (!resource || statement.action.negated || !namesSupport(statement.action.values)) continue
      const supportPatterns = statement.action.values.filter((pattern) =>
        pattern.toLowerCase().startsWith('support:'),
      )
      if (supportPatterns.length === 0) continue
      if (matchesAny(resource.values, '*', false) !== resource.negated) continue
      if (!SUPPORT_ACTIONS.some((action) => matchesAny(supportPatterns, action, true))) continue
      drafts.push({
        rule: 'SUPPORT_RESOURCE_SCOPE_INEFFECTIVE',
        principalArn: policy.id,
        discriminator: String(statement.index),
        title: `${statement.effect === 'Allow' ? 'An Allow' : 'A Deny'} of support actions in ${policy.label} is scoped to a resource and has no effect`,
        detail: `Statement ${statement.index}${statement.sid ? ` (${statement.sid})` : ''} ${statement.effect === 'Allow' ? 'allows' : 'denies'} ${supportPatterns.join(', ')} on ${resource.negated ? 'NotResource ' : ''}${resource.values.join(', ')}. AWS Support has no resource-level permissions: its requests are on "*", so this statement ${statement.effect === 'Allow' ? 'grants' : 'denies'} nothing.`,
        evidence: {
          policy: policy.id,
          statementIndex: statement.index,
          effect: statement.effect,
          actions: supportPatterns,
          resource,
        },
        remediation: {
          automatic: false,
          steps: ['Set "Resource": "*" on the statement, or remove the support actions from it.'],
        },
      })
    }
  }
  for (const principal of context.evaluation.account.principals) {
    for (const policy of principal.identity) visit(policy)
    if (principal.boundary) visit(principal.boundary)
  }
  return drafts
}

function namesSupport(patterns: readonly string[]): boolean {
  for (const pattern of patterns) {
    if (pattern.length > 8 && pattern.slice(0, 8).toLowerCase() === 'support:') return true
  }
  return false
}
