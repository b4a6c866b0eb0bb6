import { statementsAbout } from '#shared/policy/parse-policy.ts'
import type { Effect } from '#shared/policy/types.ts'
import type { CompiledPolicy, CompiledPrincipal, ScpLayer } from './compile-account.ts'
import {
  ALLOW,
  ALLOW_CONDITIONAL,
  combineLayers,
  DECISION_ALLOW,
  type Decision,
  decideLayer,
  decisionName,
  effectBit,
} from './decision.ts'
import { policyVectorFor } from './policy-vector.ts'
import { type Question, type QuestionSet, serviceOf } from './questions.ts'
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
 * Decides one question for one principal and keeps every statement that bore on it.
 * `scpLayers` are the account's service control policies by level (they never restrict
 * service-linked roles); `scp` is what all levels decide together.
 */
export function explainDecision(
  principal: CompiledPrincipal,
  question: Question,
  scpLayers: readonly ScpLayer[] = [],
): Explanation {
  const statements: StatementEvidence[] = []
  const identity = decideLayer(collect(principal.identity, 'identity', question, statements))
  let decision = identity
  const layers: { boundary?: Decision; scp?: Decision } = {}
  if (principal.boundary) {
    const boundary = decideLayer(collect([principal.boundary], 'boundary', question, statements))
    decision = combineLayers(decision, boundary)
    layers.boundary = decisionName(boundary)
  }
  if (scpLayers.length > 0 && !principal.serviceLinked) {
    let scp: number = DECISION_ALLOW
    for (const layer of scpLayers)
      scp = combineLayers(scp, decideLayer(collect(layer.policies, 'scp', question, statements)))
    decision = combineLayers(decision, scp)
    layers.scp = decisionName(scp)
  }
  return { decision: decisionName(decision), identity: decisionName(identity), ...layers, statements }
}

function collect(
  policies: readonly CompiledPolicy[],
  layer: StatementEvidence['layer'],
  question: Question,
  into: StatementEvidence[],
): number {
  let bits = 0
  for (const policy of policies) {
    const statements = policy.parsed ? statementsAbout(policy.parsed, serviceOf(question)) : []
    for (const statement of statements) {
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
