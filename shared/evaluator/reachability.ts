import { statementsAbout } from '#shared/policy/parse-policy.ts'
import type { ElementList } from '#shared/policy/types.ts'
import type { CompiledAccount, CompiledPolicy, CompiledPrincipal } from './compile-account.ts'
import { evaluateClause } from './conditions.ts'
import { combineLayers, DECISION_DENY, decideLayer, effectBit } from './decision.ts'
import { buildQuestionSet, type Question, serviceOf } from './questions.ts'
import { statementMatchesAction } from './statement-match.ts'
import { analyzeTrust } from './trust.ts'
import { compilePatternList } from './wildcard.ts'

/** The support-capable roles a principal can become through `sts:AssumeRole`. */
export interface ReachableRoles {
  readonly count: number
  /** The first few role ARNs (at most `limit`). */
  readonly roles: readonly string[]
}

/** One `sts:AssumeRole` statement of a principal, kept so only its resource is checked per role. */
interface AssumeStatement {
  readonly deny: boolean
  readonly resource?: ElementList
  readonly conditional: boolean
}

interface AssumeProfile {
  readonly identity: readonly AssumeStatement[]
  readonly boundary?: readonly AssumeStatement[]
}

const ASSUME: Question | undefined = buildQuestionSet([{ action: 'sts:AssumeRole' }]).questions[0]

/** A support-capable role and who its trust policy lets in. */
interface Target {
  readonly arn: string
  /** Trusts the account root: any principal of the account whose policies allow it. */
  readonly root: boolean
}

/**
 * A support-capable role of another account whose trust policy lets this account in: the
 * account as a whole (its root, or `*`), or the principals of this account it names.
 */
export interface ExternalRole {
  readonly arn: string
  readonly trustsAccount: boolean
  readonly principals: readonly string[]
}

/**
 * Answers "which of these roles can this principal become" for many principals: the roles'
 * trust is analysed once, and each policy set's `sts:AssumeRole` statements once. A principal
 * reaches a role when the role trusts it (by ARN) or the account root, and its own identity
 * policy (and boundary) allows `sts:AssumeRole` on the role's ARN.
 *
 * The roles trusting the account root that a policy set may assume are worked out once per
 * policy set, and at once for all of them when its statements do not name resources; the
 * roles naming a principal are looked up by its ARN. The cost grows with the principals plus
 * the trust edges, not with their product.
 */
export function createRoleReachability(
  account: CompiledAccount,
  roles: readonly CompiledPrincipal[],
  external: readonly ExternalRole[] = [],
) {
  const targets: Target[] = []
  /** Target indexes of the roles that name a principal (and do not trust the root anyway). */
  const namedBy = new Map<string, number[]>()
  const addTarget = (arn: string, root: boolean, named: readonly string[]) => {
    if (!root && named.length === 0) return
    const index = targets.length
    targets.push({ arn, root })
    for (const principal of root ? [] : new Set(named)) {
      const list = namedBy.get(principal)
      if (list) list.push(index)
      else namedBy.set(principal, [index])
    }
  }
  for (const role of roles) {
    if (!role.trust) continue
    const grants = analyzeTrust(role.trust, account.accountId)
    addTarget(
      role.arn,
      grants.some((grant) => grant.kind === 'account-root'),
      grants.filter((grant) => grant.kind === 'same-account-principal').map((grant) => grant.principal),
    )
  }
  // Roles of other accounts come after the account's own: the finding names those first.
  for (const role of external) addTarget(role.arn, role.trustsAccount, role.principals)
  const rootTargets = targets.flatMap((target, index) => (target.root ? [index] : []))
  const bySet = new Map<number, { readonly profile: AssumeProfile; readonly root: readonly number[] }>()
  const forSet = (principal: CompiledPrincipal) => {
    let known = bySet.get(principal.policySet)
    if (!known) {
      const profile = buildProfile(principal)
      const uniform = isUniform(profile)
      const allowed = (index: number) =>
        decideAssume(profile, (targets[index] as Target).arn) !== DECISION_DENY
      const root =
        profile.identity.length === 0
          ? []
          : uniform
            ? rootTargets.length > 0 && allowed(rootTargets[0] as number)
              ? rootTargets
              : []
            : rootTargets.filter(allowed)
      known = { profile, root }
      bySet.set(principal.policySet, known)
    }
    return known
  }
  return {
    reachableFrom(principal: CompiledPrincipal, limit = 10): ReachableRoles {
      if (principal.serviceLinked || targets.length === 0) return { count: 0, roles: [] }
      const { profile, root } = forSet(principal)
      if (profile.identity.length === 0) return { count: 0, roles: [] }
      const named = (namedBy.get(principal.arn) ?? []).filter(
        (index) => decideAssume(profile, (targets[index] as Target).arn) !== DECISION_DENY,
      )
      // Both lists are in target order; merged, they list the roles as the targets come.
      const found: string[] = []
      let count = 0
      for (const index of mergeSorted(root, named)) {
        const { arn } = targets[index] as Target
        if (arn === principal.arn) continue
        count++
        if (found.length < limit) found.push(arn)
      }
      return { count, roles: found }
    },
  }
}

/** Two ascending lists of indexes as one ascending list. */
function mergeSorted(left: readonly number[], right: readonly number[]): number[] {
  if (right.length === 0) return left as number[]
  const merged: number[] = []
  let i = 0
  let j = 0
  while (i < left.length || j < right.length) {
    const a = left[i]
    const b = right[j]
    if (b === undefined || (a !== undefined && a < b)) {
      merged.push(a as number)
      i++
    } else {
      merged.push(b)
      j++
    }
  }
  return merged
}

/** Every statement applies to every role ARN: the decision is the same for all roles. */
function isUniform(profile: AssumeProfile): boolean {
  const covers = (statement: AssumeStatement) =>
    !statement.resource || (!statement.resource.negated && statement.resource.values.includes('*'))
  return profile.identity.every(covers) && (profile.boundary ?? []).every(covers)
}

function buildProfile(principal: CompiledPrincipal): AssumeProfile {
  const identity = extract(principal.identity)
  return principal.boundary ? { identity, boundary: extract([principal.boundary]) } : { identity }
}

function extract(policies: readonly CompiledPolicy[]): AssumeStatement[] {
  const statements: AssumeStatement[] = []
  if (!ASSUME) return statements
  for (const policy of policies) {
    const candidates = policy.parsed ? statementsAbout(policy.parsed, serviceOf(ASSUME)) : []
    for (const statement of candidates) {
      if (!statementMatchesAction(statement, ASSUME)) continue
      const outcomes = statement.conditions.map((clause) => evaluateClause(clause, ASSUME.context))
      if (outcomes.includes('false')) continue
      statements.push({
        deny: statement.effect === 'Deny',
        ...(statement.resource ? { resource: statement.resource } : {}),
        conditional: outcomes.includes('unknown'),
      })
    }
  }
  return statements
}

function decideAssume(profile: AssumeProfile, roleArn: string): number {
  const identity = decideLayer(layerBits(profile.identity, roleArn))
  return profile.boundary
    ? combineLayers(identity, decideLayer(layerBits(profile.boundary, roleArn)))
    : identity
}

function layerBits(statements: readonly AssumeStatement[], roleArn: string): number {
  let bits = 0
  for (const statement of statements) {
    const resource = statement.resource
    if (resource && compilePatternList(resource.values, false)(roleArn) === resource.negated) continue
    bits |= effectBit(statement.deny, statement.conditional)
  }
  return bits
}
