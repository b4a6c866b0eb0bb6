import { accountOfArn, parseArn, parseArnResource } from '#shared/policy/arn.ts'
import type { ConditionClause, ParsedPolicy } from '#shared/policy/types.ts'
import { analyzeTrust, coversAssume, denyCovers, type TrustGrant } from './trust.ts'
import {
  isExternalIdClause,
  isLimiting,
  isScopeKey,
  limitsSubjects,
  readScopeLimit,
  type ScopeLimit,
} from './trust-conditions.ts'
import { matchesAny } from './wildcard.ts'

/**
 * Classes of trust relationship (docs/contracts.md#trust-classes), ordered from the narrowest
 * reach to the widest: a condition that limits a grant to a class earlier in the list wins.
 */
export const TRUST_CLASSES = [
  'same-account',
  'identity-center',
  'workforce-federation',
  'aws-service',
  'deleted-principal',
  'organization',
  'workforce-federation-no-audience',
  'external-account',
  'web-identity-restricted',
  'web-identity-unrestricted',
  'public',
] as const

export type TrustClass = (typeof TRUST_CLASSES)[number]

/** What the guard config tells about the account's surroundings. */
export interface TrustFacts {
  readonly accountId: string
  readonly organizationId?: string
  /** Other accounts of the same owner. */
  readonly trustedAccounts: readonly string[]
}

export interface ClassifiedTrustGrant extends TrustGrant {
  readonly trustClass: TrustClass
  /** Why the grant has its class, in plain words. */
  readonly basis: string
  /** The statement requires `sts:ExternalId`: a guard against confused deputies, not a limit on who. */
  readonly externalId: boolean
  /** Accounts or organizations the grant reaches, where the principal or a condition names them. */
  readonly accounts?: readonly string[]
  readonly organizations?: readonly string[]
  /** A federated grant's provider: the SAML provider name, OIDC host or web identity provider. */
  readonly provider?: string
}

type Verdict = Pick<ClassifiedTrustGrant, 'trustClass' | 'basis' | 'accounts' | 'organizations' | 'provider'>

/**
 * Classifies every grant of `analyzeTrust` by what the principal is and what the statement's
 * conditions (and a Deny guard) limit it to:
 * - a condition limits only with a positive operator (`StringEquals`, `StringLike`, `Arn*`),
 *   plain or `ForAnyValue:` (false when the key is absent); `…IfExists` and `ForAllValues:`
 *   are true when the key is absent, so they limit nothing, and neither do negated operators;
 * - `aws:PrincipalOrgID`/`aws:PrincipalOrgPaths` (and the `Source` forms) make a grant
 *   `organization` only when every value is the config's `organizationId`, and
 *   `aws:PrincipalAccount`/`aws:SourceAccount`/`aws:PrincipalArn` only when every account is
 *   this one or in `trustedAccounts`; any other named organization or account is external;
 * - a Deny of `sts:AssumeRole*` whose only condition is a negated one of those keys
 *   (`StringNotEquals aws:PrincipalOrgID`) limits the Allow grants it covers the same way;
 *   a Deny with any other condition is not modelled and limits nothing;
 * - conditions combine with AND, so the narrowest limit decides.
 * Cached per parsed document and facts, like `analyzeTrust`.
 */
export function classifyTrust(trust: ParsedPolicy, facts: TrustFacts): readonly ClassifiedTrustGrant[] {
  const cached = classified.get(trust)
  if (
    cached &&
    cached.facts.accountId === facts.accountId &&
    cached.facts.organizationId === facts.organizationId &&
    cached.facts.trustedAccounts === facts.trustedAccounts
  )
    return cached.grants
  const guards = collectDenyGuards(trust)
  const grants = analyzeTrust(trust, facts.accountId).map((grant) => {
    const conditions = trust.statements[grant.statementIndex]?.conditions ?? []
    const limits = [
      ...conditions.map((clause) => readScopeLimit(clause, 'allow')),
      ...guards
        .filter((guard) => guard.covers(grant.principal))
        .map((guard) => readScopeLimit(guard.clause, 'deny')),
    ]
    let verdict = classifyPrincipal(grant, conditions, facts)
    for (const limit of limits) {
      if (!limit) continue
      const scoped = classifyScope(limit, facts)
      if (TRUST_CLASSES.indexOf(scoped.trustClass) < TRUST_CLASSES.indexOf(verdict.trustClass))
        verdict = scoped
    }
    return { ...grant, ...verdict, externalId: conditions.some(isExternalIdClause) }
  })
  classified.set(trust, { facts, grants })
  return grants
}

const classified = new WeakMap<ParsedPolicy, { facts: TrustFacts; grants: readonly ClassifiedTrustGrant[] }>()

function classifyPrincipal(
  grant: TrustGrant,
  conditions: readonly ConditionClause[],
  facts: TrustFacts,
): Verdict {
  switch (grant.kind) {
    case 'service':
      return { trustClass: 'aws-service', basis: 'an AWS service principal' }
    case 'account-root':
    case 'same-account-principal':
      return { trustClass: 'same-account', basis: 'a principal of this account' }
    case 'deleted-principal':
      return {
        trustClass: 'deleted-principal',
        basis: 'a unique ID of a deleted principal: it matches no one',
      }
    case 'any':
      return { trustClass: 'public', basis: publicBasis(grant, conditions) }
    case 'other-account':
      return classifyAccounts(
        [/^\d{12}$/.test(grant.principal) ? grant.principal : accountOfArn(grant.principal)],
        facts,
      )
    case 'federated':
      return classifyFederated(grant.principal, conditions, facts)
  }
}

function publicBasis(grant: TrustGrant, conditions: readonly ConditionClause[]): string {
  const loose = conditions.filter((clause) => isScopeKey(clause.key))
  const what = grant.principal === '*' ? 'any principal of any account' : grant.principal
  return loose.length === 0
    ? `${what}, limited by no organization or account condition`
    : `${what}: ${loose.map((clause) => `${clause.operator} on ${clause.key}`).join(', ')} does not limit it (true when the key is absent, negated, or a wildcard)`
}

function classifyScope(limit: ScopeLimit, facts: TrustFacts): Verdict {
  const verdict =
    limit.scope === 'organizations'
      ? classifyOrganizations(limit.names, facts)
      : classifyAccounts(limit.names, facts)
  return { ...verdict, basis: `${verdict.basis} (${limit.via})` }
}

function classifyAccounts(accounts: readonly (string | undefined)[], facts: TrustFacts): Verdict {
  const named = accounts.filter((account) => account !== undefined)
  if (named.length < accounts.length)
    return { trustClass: 'external-account', basis: 'a principal outside this account' }
  const list = named.join(', ')
  if (named.every((account) => account === facts.accountId))
    return { trustClass: 'same-account', basis: 'limited to this account', accounts: named }
  const trusted = named.filter((account) => account !== facts.accountId)
  if (trusted.every((account) => facts.trustedAccounts.includes(account)))
    return { trustClass: 'organization', basis: `${trusted.join(', ')} in trustedAccounts`, accounts: named }
  return {
    trustClass: 'external-account',
    basis: `${list}: neither this account nor in trustedAccounts`,
    accounts: named,
  }
}

function classifyOrganizations(organizations: readonly string[], facts: TrustFacts): Verdict {
  const list = organizations.join(', ')
  if (facts.organizationId !== undefined && organizations.every((id) => id === facts.organizationId))
    return { trustClass: 'organization', basis: `limited to the organization ${list}`, organizations }
  return {
    trustClass: 'external-account',
    basis:
      facts.organizationId === undefined
        ? `limited to organization ${list}; organizationId is not set in the config`
        : `limited to organization ${list}, not this account's organization ${facts.organizationId}`,
    organizations,
  }
}

const IDENTITY_CENTER_PROVIDER = /^AWSSSO_[0-9a-fA-F]+_DO_NOT_DELETE$/

function classifyFederated(
  principal: string,
  conditions: readonly ConditionClause[],
  facts: TrustFacts,
): Verdict {
  const account = accountOfArn(principal)
  if (account === undefined) return classifyWebIdentity(principal, conditions)
  const { type, id: provider } = parseArnResource(parseArn(principal)?.resource ?? '')
  // STS accepts only the role's own account's providers: another account's is an outside trust.
  if (account !== facts.accountId)
    return {
      trustClass: 'external-account',
      basis: `an identity provider of account ${account}`,
      accounts: [account],
      provider,
    }
  if (type !== 'saml-provider') return classifyWebIdentity(provider, conditions)
  const audience = conditions.some((clause) => clause.key.toLowerCase() === 'saml:aud' && isLimiting(clause))
  if (!audience)
    return {
      trustClass: 'workforce-federation-no-audience',
      basis: `SAML provider ${provider} without a SAML:aud condition`,
      provider,
    }
  return IDENTITY_CENTER_PROVIDER.test(provider)
    ? {
        trustClass: 'identity-center',
        basis: `IAM Identity Center provider ${provider} with SAML:aud`,
        provider,
      }
    : { trustClass: 'workforce-federation', basis: `SAML provider ${provider} with SAML:aud`, provider }
}

const COGNITO = 'cognito-identity.amazonaws.com'

/** Claims that name who signs in, per provider; OIDC providers use `<host>:sub`. */
function subjectKeys(provider: string): readonly string[] {
  const name = provider.toLowerCase()
  if (name === COGNITO) return [`${COGNITO}:aud`, `${COGNITO}:sub`]
  if (name === 'graph.facebook.com') return ['graph.facebook.com:id']
  if (name === 'www.amazon.com') return ['www.amazon.com:user_id']
  return [`${provider}:sub`]
}

function classifyWebIdentity(provider: string, conditions: readonly ConditionClause[]): Verdict {
  const keys = subjectKeys(provider)
  // Condition keys compare case-insensitively.
  const lowerKeys = keys.map((key) => key.toLowerCase())
  const subject = conditions.find(
    (clause) => lowerKeys.includes(clause.key.toLowerCase()) && limitsSubjects(clause),
  )
  // Cognito guest identities can be had by anyone who knows the identity pool ID. Without an
  // `amr` condition the pool's own guest setting decides, which the guard cannot see.
  const guests = conditions.some(
    (clause) =>
      clause.key.toLowerCase() === `${COGNITO}:amr` &&
      !clause.baseOperator.includes('Not') &&
      matchesAny(clause.values, 'unauthenticated', true),
  )
  if (subject && !guests)
    return {
      trustClass: 'web-identity-restricted',
      basis: `${provider} limited by ${subject.operator} on ${subject.key}`,
      provider,
    }
  return {
    trustClass: 'web-identity-unrestricted',
    basis: guests
      ? `${provider} admits unauthenticated (guest) identities`
      : `${provider} with no limiting condition on ${keys.join(' or ')}: any of its identities can assume the role`,
    provider,
  }
}

interface DenyGuard {
  readonly covers: (principal: string) => boolean
  readonly clause: ConditionClause
}

/** Deny statements whose single condition may be a negated organization or account clause. */
function collectDenyGuards(trust: ParsedPolicy): DenyGuard[] {
  const guards: DenyGuard[] = []
  for (const statement of trust.statements) {
    const [clause, ...rest] = statement.conditions
    if (statement.effect !== 'Deny' || !coversAssume(statement) || !clause || rest.length > 0) continue
    guards.push({ covers: denyCovers(statement), clause })
  }
  return guards
}
