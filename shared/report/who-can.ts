import { compileAccount } from '#shared/evaluator/compile-account.ts'
import type { Decision } from '#shared/evaluator/decision.ts'
import { evaluatePrincipals } from '#shared/evaluator/evaluate-principals.ts'
import { explainDecision } from '#shared/evaluator/explain.ts'
import { buildQuestionSet, type QuestionSet } from '#shared/evaluator/questions.ts'
import type { AccountSnapshot } from '#shared/snapshot/types.ts'

export interface WhoCanEntry {
  readonly principalArn: string
  readonly decision: Exclude<Decision, 'deny'>
  /** Policies whose Allow statements grant the action. */
  readonly via: readonly string[]
}

/** The `who-can --format json` document (DESIGN.md §4). */
export interface WhoCanReport {
  readonly action: string
  readonly principals: readonly WhoCanEntry[]
}

/** The action is not in the catalog: a usage error, not an empty answer. */
export class UnknownActionError extends Error {
  override readonly name = 'UnknownActionError'
}

/** Principals allowed (or conditionally allowed) `action`, and through which policies. */
export function whoCan(snapshot: AccountSnapshot, action: string): WhoCanReport {
  let questions: QuestionSet
  try {
    questions = buildQuestionSet([{ action }])
  } catch {
    throw new UnknownActionError(
      `unknown action ${action}: expected service:Action, e.g. support:CreateCase (support actions must exist in the catalog)`,
    )
  }
  const question = questions.questions[0]
  const account = compileAccount(snapshot)
  const principals: WhoCanEntry[] = []
  for (const access of evaluatePrincipals(account, questions)) {
    const code = access.codes[0] ?? 0
    if (code === 0 || !question) continue
    const explanation = explainDecision(access.principal, question, account.scps)
    const via = explanation.statements
      .filter((statement) => statement.effect === 'Allow')
      .map((statement) => statement.policy)
    principals.push({
      principalArn: access.principalArn,
      decision: code === 1 ? 'allow' : 'conditional',
      via: [...new Set(via)],
    })
  }
  return { action: question?.action ?? action, principals }
}
