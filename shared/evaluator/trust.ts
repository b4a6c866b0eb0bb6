import { accountOfArn, isAccountRootArn } from '#shared/policy/arn.ts'
import type { ParsedPolicy, PolicyStatement } from '#shared/policy/types.ts'
import { matchesAny } from './wildcard.ts'

/** Who a trust policy lets assume the role. */
export type TrustGrantKind =
  | 'any' // "*": anyone, in any account
  | 'other-account' // a principal or root of another account
  | 'account-root' // this account's root: any principal of the account whose own policy allows it
  | 'same-account-principal' // a named user or role of this account
  | 'service' // an AWS service principal
  | 'federated' // a SAML or OIDC identity provider
  | 'deleted-principal' // a unique ID IAM left where a since-deleted user or role was named

export interface TrustGrant {
  readonly kind: TrustGrantKind
  /** The principal as written (ARN, account ID, service or provider). */
  readonly principal: string
  readonly statementIndex: number
  /** The grant rests on conditions (e.g. `sts:ExternalId`, `aws:PrincipalOrgID`). */
  readonly conditional: boolean
  readonly conditionKeys: readonly string[]
}

const ASSUME_ACTIONS = ['sts:AssumeRole', 'sts:AssumeRoleWithSAML', 'sts:AssumeRoleWithWebIdentity']

/**
 * Lists who may assume a role according to its trust policy. Allow statements that cover
 * an `sts:AssumeRole*` action grant; an unconditional Deny naming the same principal (or
 * `*`) takes the grant away. `NotPrincipal` in an Allow trusts everyone but the listed.
 */
export function analyzeTrust(trust: ParsedPolicy, accountId: string): readonly TrustGrant[] {
  const cached = analyzed.get(trust)
  if (cached?.accountId === accountId) return cached.grants
  const grants = collectGrants(trust, accountId)
  analyzed.set(trust, { accountId, grants })
  return grants
}

/** Trust policies are asked about by several rules: each parsed document is analysed once. */
const analyzed = new WeakMap<ParsedPolicy, { accountId: string; grants: readonly TrustGrant[] }>()

function collectGrants(trust: ParsedPolicy, accountId: string): TrustGrant[] {
  const denials = trust.statements
    .filter(
      (statement) =>
        statement.effect === 'Deny' && statement.conditions.length === 0 && coversAssume(statement),
    )
    .map(denyCovers)
  const grants: TrustGrant[] = []
  for (const statement of trust.statements) {
    if (statement.effect !== 'Allow' || !coversAssume(statement)) continue
    const conditionKeys = statement.conditions.map((clause) => clause.key)
    for (const entry of principalEntries(statement)) {
      if (denials.some((covers) => covers(entry.principal))) continue
      grants.push({
        kind: entry.kind === 'aws' ? classifyAwsPrincipal(entry.principal, accountId) : entry.kind,
        principal: entry.principal,
        statementIndex: statement.index,
        conditional: conditionKeys.length > 0,
        conditionKeys,
      })
    }
  }
  return grants
}

/** True when the statement covers one of the `sts:AssumeRole*` actions. */
export function coversAssume(statement: PolicyStatement): boolean {
  return ASSUME_ACTIONS.some(
    (action) => matchesAny(statement.action.values, action, true) !== statement.action.negated,
  )
}

function principalEntries(
  statement: PolicyStatement,
): { kind: 'aws' | 'any' | 'service' | 'federated' | 'other-account'; principal: string }[] {
  const principal = statement.principal
  if (!principal) return []
  // NotPrincipal with Allow trusts everyone except the listed principals.
  if (principal.any || principal.negated) return [{ kind: 'any', principal: '*' }]
  return [
    ...principal.aws.map((value) => ({ kind: 'aws' as const, principal: value })),
    ...principal.service.map((value) => ({ kind: 'service' as const, principal: value })),
    ...principal.federated.map((value) => ({ kind: 'federated' as const, principal: value })),
    // A canonical user ID stands for an AWS account (S3's name for it), never this one's IAM.
    ...principal.canonicalUser.map((value) => ({ kind: 'other-account' as const, principal: value })),
  ]
}

/**
 * Which grants a Deny statement takes away: those of the principals it names, all of them for
 * `*`, and for `NotPrincipal` those of everyone but the listed (not a `*` grant, which still
 * admits the listed ones).
 */
export function denyCovers(statement: PolicyStatement): (principal: string) => boolean {
  const element = statement.principal
  if (!element) return () => false
  if (element.negated && element.any) return () => false
  if (element.any) return () => true
  const listed = new Set([...element.aws, ...element.service, ...element.federated, ...element.canonicalUser])
  return element.negated
    ? (principal) => principal !== '*' && !listed.has(principal)
    : (principal) => listed.has(principal)
}

/**
 * An `AWS` principal is an account ID, an account root ARN, a user/role/session ARN, or the
 * unique ID (`AROA…`, `AIDA…`) IAM shows in place of an ARN whose principal was deleted.
 */
function classifyAwsPrincipal(principal: string, accountId: string): TrustGrantKind {
  if (/^\d{12}$/.test(principal)) return principal === accountId ? 'account-root' : 'other-account'
  if (/^A[A-Z0-9]{15,}$/.test(principal)) return 'deleted-principal'
  const account = accountOfArn(principal)
  if (account === undefined) return 'any'
  if (account !== accountId) return 'other-account'
  return isAccountRootArn(principal) ? 'account-root' : 'same-account-principal'
}

/** True for grants that reach outside the account: another account, any principal, or a federated provider. */
export function isExternalGrant(grant: TrustGrant): boolean {
  return grant.kind === 'any' || grant.kind === 'other-account' || grant.kind === 'federated'
}
