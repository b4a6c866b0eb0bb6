import type { ElementList, PolicyStatement } from '#shared/policy/types.ts'
import { evaluateClause } from './conditions.ts'
import type { Question } from './questions.ts'
import { compilePatternList, wildcardCovers } from './wildcard.ts'

/** How one statement bears on one question. */
export type StatementMatch =
  | { readonly applies: false }
  | { readonly applies: true; readonly conditional: boolean; readonly reasons: readonly string[] }

const NO_MATCH: StatementMatch = { applies: false }
const FULL_MATCH: StatementMatch = { applies: true, conditional: false, reasons: [] }

/** True when the statement's Action/NotAction covers the question's action. */
export function statementMatchesAction(statement: PolicyStatement, question: Question): boolean {
  const listed = compilePatternList(statement.action.values, true)(question.actionLower)
  return statement.action.negated ? !listed : listed
}

/**
 * Decides whether `statement` applies to `question`: action, resource and conditions.
 * Conditions the guard cannot settle, and resource scopes narrower than what the action
 * accepts, make the match conditional and are named in `reasons`.
 */
export function matchStatement(statement: PolicyStatement, question: Question): StatementMatch {
  if (!statementMatchesAction(statement, question)) return NO_MATCH
  return matchResourceAndConditions(statement, question)
}

/** The rest of `matchStatement`, for callers that already matched the action. */
export function matchResourceAndConditions(statement: PolicyStatement, question: Question): StatementMatch {
  const reasons: string[] = []
  const outcome = scopeOf(statement, question, reasons)
  if (outcome === SCOPE_NONE) return NO_MATCH
  return outcome === SCOPE_FULL ? FULL_MATCH : { applies: true, conditional: true, reasons }
}

/** How a statement whose action matched bears on a question, without the reasons: see scopeOf. */
export const SCOPE_NONE = 0
export const SCOPE_FULL = 1
export const SCOPE_CONDITIONAL = 2
export type Scope = typeof SCOPE_NONE | typeof SCOPE_FULL | typeof SCOPE_CONDITIONAL

/**
 * `matchResourceAndConditions` as a number, for the policy vectors of a whole account: it
 * allocates nothing, where the reasons would be text made for every conditional statement.
 */
export function resourceAndConditionsScope(statement: PolicyStatement, question: Question): Scope {
  return scopeOf(statement, question, undefined)
}

/** The resource and condition checks; what leaves the match conditional is said in `reasons` when given. */
function scopeOf(statement: PolicyStatement, question: Question, reasons: string[] | undefined): Scope {
  let conditional = false
  if (statement.resource) {
    const scope = matchResource(statement.resource, question)
    if (scope === 'none') return SCOPE_NONE
    if (scope === 'partial') {
      conditional = true
      reasons?.push(
        `${statement.resource.negated ? 'NotResource' : 'Resource'} ${describe(statement.resource)}`,
      )
    }
  }
  for (const clause of statement.conditions) {
    const outcome = evaluateClause(clause, question.context)
    if (outcome === 'false') return SCOPE_NONE
    if (outcome === 'unknown') {
      conditional = true
      reasons?.push(`${clause.operator} ${clause.key} ${JSON.stringify(clause.values)}`)
    }
  }
  return conditional ? SCOPE_CONDITIONAL : SCOPE_FULL
}

/**
 * `full`: the statement covers every request of the question; `partial`: only some
 * resources; `none`: no request. Actions without resource-level permissions (all of
 * `support:`) are requested on `*`, so only a pattern matching the literal `*` covers them:
 * a `support:` statement scoped to an ARN grants nothing.
 */
function matchResource(resource: ElementList, question: Question): 'full' | 'partial' | 'none' {
  if (question.resource !== undefined || !question.resourceLevel) {
    const target = question.resource ?? '*'
    const listed = compilePatternList(resource.values, false)(target)
    return listed !== resource.negated ? 'full' : 'none'
  }
  const coversAll = coversEveryResource(resource.values)
  if (resource.negated) return coversAll ? 'none' : 'partial'
  return coversAll ? 'full' : 'partial'
}

const everyResource = new WeakMap<readonly string[], boolean>()

/** The list matches every resource (`*`, but also `**`); kept with the parsed list. */
function coversEveryResource(values: readonly string[]): boolean {
  let covers = everyResource.get(values)
  if (covers === undefined) {
    covers = wildcardCovers(values, '*', false)
    everyResource.set(values, covers)
  }
  return covers
}

function describe(list: ElementList): string {
  return list.values.length === 1 ? (list.values[0] ?? '') : JSON.stringify(list.values)
}
