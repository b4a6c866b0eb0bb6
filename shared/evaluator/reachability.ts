import type { ElementList } from '#shared/policy/types.ts'
import type { CompiledAccount, CompiledPolicy, CompiledPrincipal } from './compile-account.ts'
import { evaluateClause } from './conditions.ts'
import { combineLayers, DECISION_DENY, decideLayer, effectBit } from './decision.ts'
import { buildQuestionSet, type Question } from './questions.ts'
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
  readonly principal: CompiledPrincipal
  readonly identity: readonly AssumeStatement[]
  readonly boundary?: readonly AssumeStatement[]
}

const ASSUME: Question | undefined = buildQuestionSet([{ action: 'sts:AssumeRole' }]).questions[0]

/**
 * Answers "which of these roles can this principal become" for many principals: the roles'
 * trust is analysed once, and each principal's `sts:AssumeRole` statements once, so a pair
 * costs one resource match per statement. A principal reaches a role when the role trusts
 * it (by ARN) or the account root, and its own identity policy (and boundary) allows
 * `sts:AssumeRole` on the role's ARN.
 */
export function createRoleReachability(account: CompiledAccount, roles: readonly CompiledPrincipal[]) {
  const targets = roles.flatMap((role) => {
    if (!role.trust) return []
    const grants = analyzeTrust(role.trust, account.accountId)
    const root = grants.some((grant) => grant.kind === 'account-root')
    const named = new Set(
      grants.filter((grant) => grant.kind === 'same-account-principal').map((grant) => grant.principal),
    )
    return root || named.size > 0 ? [{ role, root, named }] : []
  })
  return {
    reachableFrom(principal: CompiledPrincipal, limit = 10): ReachableRoles {
      const found: string[] = []
      let count = 0
      if (principal.serviceLinked || targets.length === 0) return { count, roles: found }
      const profile = buildProfile(principal)
      if (profile.identity.length === 0) return { count, roles: found }
      for (const target of targets) {
        if (target.role === principal || !(target.root || target.named.has(principal.arn))) continue
        if (decideAssume(profile, target.role.arn) === DECISION_DENY) continue
        count++
        if (found.length < limit) found.push(target.role.arn)
      }
      return { count, roles: found }
    },
  }
}

function buildProfile(principal: CompiledPrincipal): AssumeProfile {
  const identity = extract(principal.identity)
  return principal.boundary
    ? { principal, identity, boundary: extract([principal.boundary]) }
    : { principal, identity }
}

function extract(policies: readonly CompiledPolicy[]): AssumeStatement[] {
  const statements: AssumeStatement[] = []
  if (!ASSUME) return statements
  for (const policy of policies) {
    for (const statement of policy.parsed?.statements ?? []) {
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
