import { findCatalogAction, isCatalogNamespace } from '#shared/catalog/catalog.ts'
import {
  type CompiledAccount,
  type CompiledPrincipal,
  compileAccount,
} from '#shared/evaluator/compile-account.ts'
import {
  combineLayers,
  DECISION_ALLOW,
  DECISION_CONDITIONAL,
  DECISION_DENY,
  type Decision,
} from '#shared/evaluator/decision.ts'
import { evaluatePrincipals } from '#shared/evaluator/evaluate-principals.ts'
import { explainDecision } from '#shared/evaluator/explain.ts'
import { ASSUME_ROLE, buildQuestionSet, type Question, servicesOf } from '#shared/evaluator/questions.ts'
import { createRoleReachability } from '#shared/evaluator/reachability.ts'
import { analyzeTrust } from '#shared/evaluator/trust.ts'
import type { AccountSnapshot } from '#shared/snapshot/types.ts'

export interface WhoCanEntry {
  readonly principalArn: string
  readonly decision: Exclude<Decision, 'deny'>
  /**
   * How the principal gets the action. Held directly: the policies whose Allow statements
   * grant it. Reached through roles: for each role it can assume, `assumes <role ARN>`
   * followed by the policies that grant that role the action.
   */
  readonly via: readonly string[]
}

/** The `who-can --format json` document (docs/contracts.md#who-can-json). */
export interface WhoCanReport {
  readonly action: string
  readonly principals: readonly WhoCanEntry[]
}

/** The action is not one the guard can ask about: a usage error, not an empty answer. */
export class UnknownActionError extends Error {
  override readonly name = 'UnknownActionError'
}

/** How a `via` step through a role begins: `assumes <role ARN>`, then that role's policies. */
export const ASSUMES_PREFIX = 'assumes '

/**
 * Principals allowed (or conditionally allowed) `action`, directly or by assuming a role that
 * is, and through which policies. Catalog actions are matched case-insensitively and answered
 * with their catalog spelling; actions of other services are asked as written.
 * @throws UnknownActionError when `action` is not `service:Action`, names one action of a
 * catalog service that the catalog does not list, or is a wildcard.
 */
export function whoCan(snapshot: AccountSnapshot, action: string): WhoCanReport {
  const [report] = whoCanEach(snapshot, [action])
  // whoCanEach refuses an unknown action; no answer for a known one is a fault here, not in the input.
  if (!report) throw new Error(`who-can gave no answer for ${action}`)
  return report
}

/** `whoCan` for several actions over one compiled account, in the order given. */
export function whoCanEach(snapshot: AccountSnapshot, actions: readonly string[]): WhoCanReport[] {
  const names = actions.map(resolveAction)
  const questions = buildQuestionSet([...names.map((name) => ({ action: name })), { action: ASSUME_ROLE }])
  // Only the statements about the actions' services (and the catalog's) are kept: see servicesOf.
  const account = compileAccount(snapshot, { services: servicesOf(questions) })
  const accesses = evaluatePrincipals(account, questions)
  const assumeIndex = questions.indexByKey.get(ASSUME_ROLE) ?? -1
  return names.map((name) => {
    const index = questions.indexByKey.get(name) ?? -1
    const question = questions.questions[index]
    // resolveAction refused every action it cannot ask about: each name has its question.
    if (!question) throw new Error(`who-can built no question for ${name}`)
    const holders = new Map<CompiledPrincipal, number>()
    for (const access of accesses) {
      const code = access.codes[index] ?? DECISION_DENY
      if (code !== DECISION_DENY) holders.set(access.principal, code)
    }
    const paths = new RolePaths(account, question, holders)
    const principals: WhoCanEntry[] = []
    for (const access of accesses) {
      const code = holders.get(access.principal)
      if (code !== undefined) {
        principals.push({
          principalArn: access.principalArn,
          decision: code === DECISION_ALLOW ? 'allow' : 'conditional',
          via: paths.policiesOf(access.principal),
        })
      } else if ((access.codes[assumeIndex] ?? DECISION_DENY) !== DECISION_DENY) {
        const reached = paths.reachedFrom(access.principal)
        if (reached) principals.push({ principalArn: access.principalArn, ...reached })
      }
    }
    return { action: question.action, principals }
  })
}

/**
 * The roles holding the action, and which of them a principal can become. One hop, as the
 * audit's SUPPORT_ACCESS_GRANTED counts it: the role trusts the principal (or the account
 * root) and the principal's identity policies allow `sts:AssumeRole` on the role.
 */
class RolePaths {
  readonly #account: CompiledAccount
  readonly #question: Question
  readonly #holders: ReadonlyMap<CompiledPrincipal, number>
  readonly #reach: ReturnType<typeof createRoleReachability>
  readonly #policies = new Map<CompiledPrincipal, string[]>()
  readonly #assumeQuestions = new Map<CompiledPrincipal, Question | undefined>()

  constructor(account: CompiledAccount, question: Question, holders: ReadonlyMap<CompiledPrincipal, number>) {
    this.#account = account
    this.#question = question
    this.#holders = holders
    const roles = [...holders.keys()].filter((principal) => principal.type === 'role')
    this.#reach = createRoleReachability(account, roles)
  }

  /** Labels of the policies whose Allow statements grant `principal` the action. */
  policiesOf(principal: CompiledPrincipal): string[] {
    let labels = this.#policies.get(principal)
    if (!labels) {
      const explanation = explainDecision(principal, this.#question, this.#account.scpLayers)
      const allowing = explanation.statements.filter((statement) => statement.effect === 'Allow')
      labels = [...new Set(allowing.map((statement) => statement.policy))]
      this.#policies.set(principal, labels)
    }
    return labels
  }

  /** The decision and path of a principal without the action, through every role it can assume. */
  reachedFrom(principal: CompiledPrincipal): Omit<WhoCanEntry, 'principalArn'> | undefined {
    const { roles } = this.#reach.reachableFrom(principal, Number.POSITIVE_INFINITY)
    let best = DECISION_DENY
    const via: string[] = []
    for (const roleArn of roles) {
      const role = this.#account.byArn.get(roleArn)
      const held = role ? this.#holders.get(role) : undefined
      if (!role || held === undefined) continue
      const code = combineLayers(held, this.#assumeDecision(principal, role))
      if (code === DECISION_DENY) continue
      if (best !== DECISION_ALLOW) best = code
      via.push(`${ASSUMES_PREFIX}${roleArn}`, ...this.policiesOf(role))
    }
    if (best === DECISION_DENY) return undefined
    return { decision: best === DECISION_ALLOW ? 'allow' : 'conditional', via }
  }

  /**
   * May `principal` assume `role`: its policies (with boundary and SCPs) on the role's ARN,
   * conditional when every trust statement admitting it rests on a condition.
   */
  #assumeDecision(principal: CompiledPrincipal, role: CompiledPrincipal): number {
    if (!this.#assumeQuestions.has(role))
      this.#assumeQuestions.set(
        role,
        buildQuestionSet([{ action: ASSUME_ROLE, resource: role.arn }]).questions[0],
      )
    const question = this.#assumeQuestions.get(role)
    if (!question) return DECISION_DENY
    const decision = explainDecision(principal, question, this.#account.scpLayers).decision
    if (decision === 'deny') return DECISION_DENY
    const admitting = role.trust
      ? analyzeTrust(role.trust, this.#account.accountId).filter(
          (grant) =>
            grant.kind === 'account-root' ||
            (grant.kind === 'same-account-principal' && grant.principal === principal.arn),
        )
      : []
    const trustConditional = admitting.length > 0 && admitting.every((grant) => grant.conditional)
    return decision === 'conditional' || trustConditional ? DECISION_CONDITIONAL : DECISION_ALLOW
  }
}

const ACTION_SHAPE = /^([A-Za-z0-9-]+):([A-Za-z0-9]+)$/

/**
 * The name to ask about: the catalog's spelling of a catalog action, else the action of a
 * service the catalog does not cover, with its service prefix in lower case (IAM matches
 * action names case-insensitively).
 */
function resolveAction(action: string): string {
  const known = findCatalogAction(action)
  if (known) return known.name
  if (action.includes('*') || action.includes('?'))
    throw new UnknownActionError(
      `who-can takes one action, not a pattern: ${action} (e.g. support:CreateCase)`,
    )
  const shape = ACTION_SHAPE.exec(action)
  if (!shape)
    throw new UnknownActionError(`unknown action ${action}: expected service:Action, e.g. support:CreateCase`)
  const namespace = (shape[1] ?? '').toLowerCase()
  if (isCatalogNamespace(namespace))
    throw new UnknownActionError(
      `unknown action ${action}: the catalog lists every ${namespace} action and this is not one of them`,
    )
  return `${namespace}:${shape[2] ?? ''}`
}
