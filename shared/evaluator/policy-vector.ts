import type { ParsedPolicy } from '#shared/policy/types.ts'
import { ALLOW, ALLOW_CONDITIONAL, DENY, DENY_CONDITIONAL } from './decision.ts'
import type { QuestionSet } from './questions.ts'
import { matchStatement } from './statement-match.ts'

/**
 * What one policy contributes to each question of a set, as bits (allow, conditional allow,
 * deny, conditional deny). Computed once per policy and OR-ed into every principal that
 * holds it: this is what lets a whole account be answered in one pass.
 */
export function computePolicyVector(policy: ParsedPolicy | undefined, questions: QuestionSet): Uint8Array {
  const bits = new Uint8Array(questions.questions.length)
  if (!policy) return bits
  for (const statement of policy.statements) {
    const deny = statement.effect === 'Deny'
    questions.questions.forEach((question, index) => {
      const match = matchStatement(statement, question)
      if (!match.applies) return
      if (deny) bits[index] = (bits[index] ?? 0) | (match.conditional ? DENY_CONDITIONAL : DENY)
      else bits[index] = (bits[index] ?? 0) | (match.conditional ? ALLOW_CONDITIONAL : ALLOW)
    })
  }
  return bits
}
