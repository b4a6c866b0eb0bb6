/** The evaluator's answer for one principal and one action. */
export type Decision = 'allow' | 'deny' | 'conditional'

/** Bits a policy contributes to one question; OR-ed over a principal's policies. */
export const ALLOW = 1
export const ALLOW_CONDITIONAL = 2
export const DENY = 4
export const DENY_CONDITIONAL = 8

/** The bit a matching statement contributes. */
export function effectBit(deny: boolean, conditional: boolean): number {
  if (deny) return conditional ? DENY_CONDITIONAL : DENY
  return conditional ? ALLOW_CONDITIONAL : ALLOW
}

/**
 * Decision codes: what the bit-vector path stores per question (`PrincipalAccess.codes`) and
 * what `decideLayer`/`combineLayers` return. Compare codes with these names, never with numbers.
 */
export const DECISION_DENY = 0
export const DECISION_ALLOW = 1
export const DECISION_CONDITIONAL = 2

export type DecisionCode = typeof DECISION_DENY | typeof DECISION_ALLOW | typeof DECISION_CONDITIONAL

const DECISIONS: Readonly<Record<DecisionCode, Decision>> = {
  [DECISION_DENY]: 'deny',
  [DECISION_ALLOW]: 'allow',
  [DECISION_CONDITIONAL]: 'conditional',
}

/** The decision a code stands for; anything else (no code at all) is a deny. */
export function decisionName(code: number): Decision {
  return DECISIONS[code as DecisionCode] ?? 'deny'
}

/**
 * One policy layer (identity or boundary) under AWS evaluation order: an explicit deny
 * wins, then an allow; no allow is an implicit deny. Anything resting on an undecided
 * condition is conditional.
 */
export function decideLayer(bits: number): DecisionCode {
  if (bits & DENY) return DECISION_DENY
  if (bits & ALLOW) return bits & DENY_CONDITIONAL ? DECISION_CONDITIONAL : DECISION_ALLOW
  if (bits & ALLOW_CONDITIONAL) return DECISION_CONDITIONAL
  return DECISION_DENY
}

/** Layers intersect: all must allow; any deny denies; otherwise conditional. */
export function combineLayers(first: number, second: number): DecisionCode {
  if (first === DECISION_DENY || second === DECISION_DENY) return DECISION_DENY
  if (first === DECISION_ALLOW && second === DECISION_ALLOW) return DECISION_ALLOW
  return DECISION_CONDITIONAL
}
