import { listNamespaceActions } from '#shared/catalog/catalog.ts'
import type { CompiledPolicy } from '#shared/evaluator/compile-account.ts'
import { matchesAny } from '#shared/evaluator/wildcard.ts'
import type { ScopedPolicyEvidence } from '#shared/findings/evidence.ts'
import type { FindingDraft } from '#shared/findings/finding.ts'
import { nameOfArn } from '#shared/policy/arn.ts'
import { statementsAbout } from '#shared/policy/parse-policy.ts'
import type { ElementList, ParsedPolicy, PolicyStatement } from '#shared/policy/types.ts'
import type { PostureContext } from '../context.ts'

const SUPPORT_ACTIONS = listNamespaceActions('support')

/** What a finding on one policy is about: whose ARN it carries, and how it names the policy. */
interface PolicySubject {
  readonly principalArn: string
  /** Prefix of the statement index in the discriminator: tells inline policies of one owner apart. */
  readonly key: string
  readonly words: string
  readonly evidence: ScopedPolicyEvidence
}

/**
 * SUPPORT_RESOURCE_SCOPE_INEFFECTIVE: AWS Support has no resource-level permissions, so a
 * statement naming `support:` actions with a Resource other than `*` grants (or denies) nothing.
 * Each policy is reported once per statement, whoever holds it: a managed policy on its own ARN;
 * an inline policy on the ARN of the user, role or group it is embedded in (the one place it can
 * be fixed), with `evidence.policyName` and a discriminator that keeps two inline policies of one
 * owner apart.
 */
export function checkResourceScope(context: PostureContext): FindingDraft[] {
  // Group members and holders of a managed policy share it: it is looked at once.
  const seen = new Set<string>()
  const drafts: FindingDraft[] = []
  for (const principal of context.evaluation.account.principals) {
    for (const policy of principal.identity) visitPolicy(policy, seen, drafts)
    if (principal.boundary) visitPolicy(principal.boundary, seen, drafts)
  }
  return drafts
}

function visitPolicy(policy: CompiledPolicy, seen: Set<string>, drafts: FindingDraft[]): void {
  const parsed = policy.parsed
  if (!parsed) return
  // The document first: most have no such statement, and their policies need no bookkeeping.
  const scoped = scopedSupportStatements(parsed)
  if (scoped.length === 0 || seen.has(policy.id)) return
  seen.add(policy.id)
  const subject = describeSubject(policy)
  if (!subject) return
  for (const { statement, resource, supportPatterns } of scoped) {
    drafts.push({
      rule: 'SUPPORT_RESOURCE_SCOPE_INEFFECTIVE',
      principalArn: subject.principalArn,
      discriminator: `${subject.key}${statement.index}`,
      title: `${statement.effect === 'Allow' ? 'An Allow' : 'A Deny'} of support actions in ${subject.words} is scoped to a resource and has no effect`,
      detail: `Statement ${statement.index}${statement.sid ? ` (${statement.sid})` : ''} of ${subject.words} ${statement.effect === 'Allow' ? 'allows' : 'denies'} ${supportPatterns.join(', ')} on ${resource.negated ? 'NotResource ' : ''}${resource.values.join(', ')}. AWS Support has no resource-level permissions: its requests are on "*", so this statement ${statement.effect === 'Allow' ? 'grants' : 'denies'} nothing.`,
      evidence: {
        ...subject.evidence,
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

/** A statement naming support actions on a resource other than `*`, and those actions as written. */
interface ScopedSupportStatement {
  readonly statement: PolicyStatement
  readonly resource: ElementList
  readonly supportPatterns: readonly string[]
}

const NO_SCOPED_STATEMENTS: readonly ScopedSupportStatement[] = Object.freeze([])

/**
 * The statements of a document that name support actions on a resource other than `*`, read once
 * per parsed document (principals holding equal documents share one): most documents have none.
 */
const scopedByDocument = new WeakMap<ParsedPolicy, readonly ScopedSupportStatement[]>()

function scopedSupportStatements(parsed: ParsedPolicy): readonly ScopedSupportStatement[] {
  const known = scopedByDocument.get(parsed)
  if (known) return known
  let scoped: ScopedSupportStatement[] | undefined
  for (const statement of statementsAbout(parsed, 'support')) {
    const resource = statement.resource
    if (!resource || statement.action.negated) continue
    if (!namesSupport(statement.action.values)) continue
    const supportPatterns = statement.action.values.filter((pattern) =>
      pattern.toLowerCase().startsWith('support:'),
    )
    if (supportPatterns.length === 0) continue
    if (matchesAny(resource.values, '*', false) !== resource.negated) continue
    if (!SUPPORT_ACTIONS.some((action) => matchesAny(supportPatterns, action, true))) continue
    // Findings of several policies holding this document share the list: frozen, never changed.
    scoped ??= []
    scoped.push({ statement, resource, supportPatterns: Object.freeze(supportPatterns) })
  }
  const result = scoped ?? NO_SCOPED_STATEMENTS
  scopedByDocument.set(parsed, result)
  return result
}

function describeSubject(policy: CompiledPolicy): PolicySubject | undefined {
  const source = policy.source
  switch (source.type) {
    case 'managed': {
      const name = nameOfArn(source.arn)
      return {
        principalArn: source.arn,
        // Managed policies keep the discriminator they always had: the statement index alone.
        key: '',
        words: `managed policy ${name}`,
        evidence: { policyType: 'managed', policyArn: source.arn, policyName: name },
      }
    }
    case 'inline':
      return {
        principalArn: source.owner.arn,
        key: `inline/${source.name}/`,
        words: `inline policy ${source.name} of ${source.owner.type} ${source.owner.name}`,
        evidence: { policyType: 'inline', policyName: source.name, principalType: source.owner.type },
      }
    case 'scp':
      return undefined
  }
}

/** Some pattern names a `support:` action (any case). */
function namesSupport(patterns: readonly string[]): boolean {
  for (const pattern of patterns) {
    if (pattern.length > 8 && pattern.slice(0, 8).toLowerCase() === 'support:') return true
  }
  return false
}
