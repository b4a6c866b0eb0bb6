import type { Effect } from '#shared/policy/types.ts'
import type { CompiledPolicy, CompiledPrincipal } from './compile-account.ts'
import {
  ALLOW,
  ALLOW_CONDITIONAL,
  combineLayers,
  type Decision,
  decideLayer,
  decisionName,
  effectBit,
} from './decision.ts'
import { policyVectorFor } from './policy-vector.ts'
import type { Question, QuestionSet } from './questions.ts'
import { matchStatement } from './statement-match.ts'

/** A statement that bears on a decision: the evidence a finding shows. */
export interface StatementEvidence {
  readonly layer: 'identity' | 'boundary'
  /** The policy as `who-can` names it (ARN, `inline:<name>`, `group:<g>/…`). */
  readonly policy: string
  readonly statementIndex: number
  readonly sid?: string
  readonly effect: Effect
  readonly conditional: boolean
  /** Conditions or resource scopes the guard could not settle. */
  readonly reasons: readonly string[]
}

export interface Explanation {
  readonly decision: Decision
  readonly identity: Decision
  readonly boundary?: Decision
  readonly statements: readonly StatementEvidence[]
}

/** Decides one question for one principal and keeps every statement that bore on it. */
export function explainDecision(principal: CompiledPrincipal, question: Question): Explanation {
  const statements: StatementEvidence[] = []
  const identityBits = collect(principal.identity, 'identity', question, statements)
  const identity = decideLayer(identityBits)
  if (!principal.boundary)
    return { decision: decisionName(identity), identity: decisionName(identity), statements }
  const boundary = decideLayer(collect([principal.boundary], 'boundary', question, statements))
  return {
    decision: decisionName(combineLayers(identity, boundary)),
    identity: decisionName(identity),
    boundary: decisionName(boundary),
    statements,
  }
}

function collect(
  policies: readonly CompiledPolicy[],
  layer: StatementEvidence['layer'],
  question: Question,
  into: StatementEvidence[],
): number {
  let bits = 0
  for (const policy of policies) {
    for (const statement of policy.parsed?.statements ?? []) {
      const match = matchStatement(statement, question)
      if (!match.applies) continue
      const deny = statement.effect === 'Deny'
      bits |= effectBit(deny, match.conditional)
      into.push({
        layer,
        policy: policy.label,
        statementIndex: statement.index,
        ...(statement.sid === undefined ? {} : { sid: statement.sid }),
        effect: statement.effect,
        conditional: match.conditional,
        reasons: match.reasons,
      })
    }
  }
  return bits
}

/**
 * Labels of the policies whose Allow statements cover question `index` of `questions`: the
 * `via` of who-can, read from the policy vectors instead of re-matching statements.
 */
export function listAllowingPolicies(
  principal: CompiledPrincipal,
  questions: QuestionSet,
  index: number,
): string[] {
  const labels: string[] = []
  for (const policy of principal.identity) {
    const bits = policyVectorFor(policy.parsed, questions)[index] ?? 0
    if (bits & (ALLOW | ALLOW_CONDITIONAL) && !labels.includes(policy.label)) labels.push(policy.label)
  }
  return labels
}
