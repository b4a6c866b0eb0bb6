import { accountOfArn } from '#shared/policy/arn.ts'
import type { ConditionClause } from '#shared/policy/types.ts'

/**
 * What one condition clause of a trust policy limits, read without evaluating a request:
 * whether it can only hold when its key is present and matches, and which organizations,
 * accounts or subjects it names.
 */

const POSITIVE_OPERATORS = new Set([
  'StringEquals',
  'StringEqualsIgnoreCase',
  'StringLike',
  'ArnEquals',
  'ArnLike',
])
const NEGATED_OPERATORS = new Set([
  'StringNotEquals',
  'StringNotEqualsIgnoreCase',
  'StringNotLike',
  'ArnNotEquals',
  'ArnNotLike',
])

/**
 * True when an Allow clause can only hold if the key is present and matches: a positive
 * operator, plain or `ForAnyValue:` (false for an absent key), without `IfExists` (true when
 * absent) or `ForAllValues:` (true for an absent or empty key), and no value that is only
 * wildcards.
 */
export function isLimiting(clause: ConditionClause): boolean {
  return (
    POSITIVE_OPERATORS.has(clause.baseOperator) &&
    !clause.ifExists &&
    clause.qualifier !== 'ForAllValues' &&
    !(takesWildcards(clause) && clause.values.some((value) => value.replace(/[*?]/g, '') === ''))
  )
}

/** `*` and `?` are wildcards in the `Like` operators and in every `Arn` operator, literal elsewhere. */
function takesWildcards(clause: ConditionClause): boolean {
  return clause.baseOperator.endsWith('Like') || clause.baseOperator.startsWith('Arn')
}

export function isExternalIdClause(clause: ConditionClause): boolean {
  return clause.key.toLowerCase() === 'sts:externalid' && isLimiting(clause)
}

/** The type prefix of common subject formats (GitHub, EKS, GitLab, Terraform Cloud) names no one. */
const SUBJECT_TYPE_PREFIX = /^(?:repo:|system:serviceaccount:|project_path:|organization:)/

/**
 * True when a limiting clause on a subject claim admits only named subjects. A wildcard
 * pattern does when the text before its first wildcard, past the claim's type prefix, holds
 * a complete segment ending in `/` or `:`: `repo:org/*` names an owner, while `*`, `repo:*`
 * or `repo:org*` (which also admits `orgevil`) name no one. Cognito identity pool IDs
 * (`…:aud`) must be exact.
 */
export function limitsSubjects(clause: ConditionClause): boolean {
  if (!isLimiting(clause)) return false
  if (!takesWildcards(clause)) return true
  return clause.values.every((value) => {
    const wildcard = value.search(/[*?]/)
    if (wildcard === -1) return true
    if (clause.key.toLowerCase().endsWith(':aud')) return false
    return /[^/:]+[/:]/.test(value.slice(0, wildcard).replace(SUBJECT_TYPE_PREFIX, ''))
  })
}

const ORG_KEYS = new Set(['aws:principalorgid', 'aws:sourceorgid'])
const ORG_PATH_KEYS = new Set(['aws:principalorgpaths', 'aws:sourceorgpaths'])
const ACCOUNT_KEYS = new Set(['aws:principalaccount', 'aws:sourceaccount'])
const ARN_KEYS = new Set(['aws:principalarn'])
const SCOPE_KEYS = new Set([...ORG_KEYS, ...ORG_PATH_KEYS, ...ACCOUNT_KEYS, ...ARN_KEYS])

/** True for the keys that name the caller's organization or account. */
export function isScopeKey(key: string): boolean {
  return SCOPE_KEYS.has(key.toLowerCase())
}

/** The organizations or accounts a clause admits, and the clause in words. */
export interface ScopeLimit {
  readonly scope: 'organizations' | 'accounts'
  readonly names: readonly string[]
  readonly via: string
}

/**
 * The organizations or accounts a clause limits the caller to, or undefined when it limits
 * nothing the guard can name. `allow` reads a limiting clause of an Allow; `deny` the negated
 * clause of a Deny guard (`StringNotEquals`, with or without `IfExists`: both deny a caller
 * without the key), which admits what its values name.
 */
export function readScopeLimit(clause: ConditionClause, side: 'allow' | 'deny'): ScopeLimit | undefined {
  const key = clause.key.toLowerCase()
  if (!SCOPE_KEYS.has(key)) return undefined
  const eligible =
    side === 'allow' ? isLimiting(clause) : NEGATED_OPERATORS.has(clause.baseOperator) && !clause.qualifier
  if (!eligible) return undefined
  const wildcards = takesWildcards(clause)
  const literal = (text: string | undefined): text is string =>
    text !== undefined && text !== '' && !(wildcards && /[*?]/.test(text))
  const organizations = ORG_KEYS.has(key) || ORG_PATH_KEYS.has(key)
  const names = clause.values.map((value) => {
    if (ORG_KEYS.has(key)) return value.toLowerCase()
    // An organization path starts with the organization ID: `o-…/r-…/ou-…/`.
    if (ORG_PATH_KEYS.has(key)) return value.split('/')[0]?.toLowerCase()
    if (ACCOUNT_KEYS.has(key)) return value
    return accountOfArn(value)
  })
  if (!names.every(literal)) return undefined
  return {
    scope: organizations ? 'organizations' : 'accounts',
    names,
    via: side === 'allow' ? `${clause.operator} ${clause.key}` : `a Deny unless ${clause.key}`,
  }
}
