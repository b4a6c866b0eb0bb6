import type { ConditionClause } from '#shared/policy/types.ts'
import { matchesAny } from './wildcard.ts'

/** `true`/`false` when the guard can settle the clause from what it knows, else `unknown`. */
export type ClauseOutcome = 'true' | 'false' | 'unknown'

const STRING_TESTS: Record<string, (values: readonly string[], actual: string) => boolean> = {
  StringEquals: (values, actual) => values.includes(actual),
  StringNotEquals: (values, actual) => !values.includes(actual),
  StringEqualsIgnoreCase: (values, actual) =>
    values.some((value) => value.toLowerCase() === actual.toLowerCase()),
  StringNotEqualsIgnoreCase: (values, actual) =>
    !values.some((value) => value.toLowerCase() === actual.toLowerCase()),
  StringLike: (values, actual) => matchesAny(values, actual, false),
  StringNotLike: (values, actual) => !matchesAny(values, actual, false),
  ArnEquals: (values, actual) => matchesAny(values, actual, false),
  ArnLike: (values, actual) => matchesAny(values, actual, false),
  ArnNotEquals: (values, actual) => !matchesAny(values, actual, false),
  ArnNotLike: (values, actual) => !matchesAny(values, actual, false),
}

/**
 * Decides one condition clause against the request context the guard knows. A key the
 * guard does not know (most of them: MFA, source IP, tags, time) leaves it `unknown`, which
 * makes the statement's effect conditional rather than guessed.
 */
export function evaluateClause(clause: ConditionClause, context: ReadonlyMap<string, string>): ClauseOutcome {
  const actual = context.get(lowerCased(clause.key))
  if (actual === undefined) return 'unknown'
  if (clause.baseOperator === 'Null') {
    // Null: "true" tests that the key is absent; the guard knows it is present.
    return clause.values.every((value) => value.toLowerCase() === 'false') ? 'true' : 'false'
  }
  const test = STRING_TESTS[clause.baseOperator]
  if (!test) return 'unknown'
  return test(clause.values, actual) ? 'true' : 'false'
}

/** Condition keys recur across an account's documents: each is lower-cased once. */
const lowerKeys = new Map<string, string>()
const MAX_LOWER_KEYS = 10_000

function lowerCased(key: string): string {
  let lower = lowerKeys.get(key)
  if (lower === undefined) {
    lower = key.toLowerCase()
    // A crafted account cannot grow this forever in a warm function.
    if (lowerKeys.size >= MAX_LOWER_KEYS) lowerKeys.clear()
    lowerKeys.set(key, lower)
  }
  return lower
}
