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
  readonly layer: 'identity' | 'boundary' | 'scp'
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
  readonly scp?: Decision
  readonly statements: readonly StatementEvidence[]
}

/**
 * Decides one question for one principal and keeps every statement that bore on it. `scps`
 * are the account's service control policies (they never restrict service-linked roles).
 */
export function explainDecision(
  principal: CompiledPrincipal,
  question: Question,
  scps: readonly CompiledPolicy[] = [],
): Explanation {
  const statements: StatementEvidence[] = []
  const identity = decideLayer(collect(principal.identity, 'identity', question, statements))
  let decision = identity
  let boundary: number | undefined
  let scp: number | undefined
  if (principal.boundary) {
    boundary = decideLayer(collect([principal.boundary], 'boundary', question, statements))
    decision = combineLayers(decision, boundary)
  }
  if (scps.length > 0 && !principal.serviceLinked) {
    scp = decideLayer(collect(scps, 'scp', question, statements))
    decision = combineLayers(decision, scp)
  }
  // The usual principal has neither a boundary nor SCPs: one literal, no spreads.
  if (boundary === undefined && scp === undefined)
    return { decision: decisionName(decision), identity: decisionName(identity), statements }
  return {
    decision: decisionName(decision),
    identity: decisionName(identity),
    ...(boundary === undefined ? {} : { boundary: decisionName(boundary) }),
    ...(scp === undefined ? {} : { scp: decisionName(scp) }),
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
    const statements = policy.parsed?.statements
    if (!statements) continue
    for (const statement of statements) {
      const match = matchStatement(statement, question)
      if (!match.applies) continue
      const deny = statement.effect === 'Deny'
      bits |= effectBit(deny, match.conditional)
      into.push(
        statement.sid === undefined
          ? {
              layer,
              policy: policy.label,
              statementIndex: statement.index,
              effect: statement.effect,
              conditional: match.conditional,
              reasons: match.reasons,
            }
          : {
              layer,
              policy: policy.label,
              statementIndex: statement.index,
              sid: statement.sid,
              effect: statement.effect,
              conditional: match.conditional,
              reasons: match.reasons,
            },
      )
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
  // Runs for every principal with support access: one label (the usual case) costs a one-element list.
  const identity = principal.identity
  let first: string | undefined
  let labels: string[] | undefined
  for (const policy of identity) {
    const bits = policyVectorFor(policy.parsed, questions)[index] ?? 0
    if (!(bits & (ALLOW | ALLOW_CONDITIONAL))) continue
    const label = policy.label
    if (first === undefined) first = label
    else if (labels === undefined) {
      if (label !== first) labels = [first, label]
    } else if (!labels.includes(label)) labels.push(label)
  }
  return labels ?? (first === undefined ? [] : [first])
}
