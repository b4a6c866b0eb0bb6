import type { CompiledAccount, CompiledPrincipal } from './compile-account.ts'
import {
  combineLayers,
  DECISION_ALLOW,
  DECISION_DENY,
  type Decision,
  decideLayer,
  decisionName,
} from './decision.ts'
import { policyVectorFor } from './policy-vector.ts'
import type { QuestionSet } from './questions.ts'

/** Decisions of one principal for every question of a set. */
export interface PrincipalAccess {
  readonly principal: CompiledPrincipal
  readonly principalArn: string
  readonly principalType: 'user' | 'role'
  /** Decision codes (see decision.ts) by question index. */
  readonly codes: Uint8Array
  /** Decisions by question key; built on first read. */
  readonly decisions: Readonly<Record<string, Decision>>
}

class PrincipalAccessView implements PrincipalAccess {
  #decisions: Record<string, Decision> | undefined
  readonly principalArn: string
  readonly principalType: 'user' | 'role'
  constructor(
    readonly principal: CompiledPrincipal,
    readonly codes: Uint8Array,
    private readonly questions: QuestionSet,
  ) {
    this.principalArn = principal.arn
    this.principalType = principal.type
  }
  get decisions(): Readonly<Record<string, Decision>> {
    if (!this.#decisions) {
      const decisions: Record<string, Decision> = {}
      this.questions.questions.forEach((question, index) => {
        decisions[question.key] = decisionName(this.codes[index] ?? DECISION_DENY)
      })
      this.#decisions = decisions
    }
    return this.#decisions
  }
}

/**
 * Answers every question for every principal of the account in one pass: each policy's
 * contribution is computed once, and principals holding the same parsed documents (managed,
 * group or equal inline ones: compileAccount shares them) share one result.
 */
export function evaluatePrincipals(account: CompiledAccount, questions: QuestionSet): PrincipalAccess[] {
  // SCPs apply to every principal but service-linked roles: one result per policy set for each.
  const bySet = [new Map<number, Uint8Array>(), new Map<number, Uint8Array>()] as const
  const size = questions.questions.length
  const scp = scpCodes(account, questions)
  return account.principals.map((principal) => {
    const known = bySet[principal.serviceLinked ? 1 : 0]
    let codes = known.get(principal.policySet)
    if (!codes) {
      codes = decidePrincipal(principal, questions, size, scp)
      known.set(principal.policySet, codes)
    }
    return new PrincipalAccessView(principal, codes, questions)
  })
}

function decidePrincipal(
  principal: CompiledPrincipal,
  questions: QuestionSet,
  size: number,
  scp: Uint8Array | undefined,
): Uint8Array {
  const identity = new Uint8Array(size)
  for (const policy of principal.identity) orInto(identity, policyVectorFor(policy.parsed, questions))
  const boundary = principal.boundary ? policyVectorFor(principal.boundary.parsed, questions) : undefined
  // SCPs do not restrict service-linked roles (AWS Organizations user guide).
  const organization = principal.serviceLinked ? undefined : scp
  const codes = new Uint8Array(size)
  for (let index = 0; index < size; index++) {
    let code = decideLayer(identity[index] ?? 0)
    if (boundary) code = combineLayers(code, decideLayer(boundary[index] ?? 0))
    if (organization) code = combineLayers(code, organization[index] ?? DECISION_DENY)
    codes[index] = code
  }
  return codes
}

/**
 * What the SCPs decide for each question, as decision codes: every layer (the root, each OU,
 * the account) must allow, a deny in any of them denies. Undefined when the account has no SCPs.
 */
export function scpCodes(account: CompiledAccount, questions: QuestionSet): Uint8Array | undefined {
  if (account.scpLayers.length === 0) return undefined
  const size = questions.questions.length
  const codes = new Uint8Array(size).fill(DECISION_ALLOW)
  for (const layer of account.scpLayers) {
    const bits = new Uint8Array(size)
    for (const policy of layer.policies) orInto(bits, policyVectorFor(policy.parsed, questions))
    for (let index = 0; index < size; index++)
      codes[index] = combineLayers(codes[index] ?? DECISION_DENY, decideLayer(bits[index] ?? 0))
  }
  return codes
}

function orInto(target: Uint8Array, source: Uint8Array): void {
  for (let index = 0; index < target.length; index++)
    target[index] = (target[index] ?? 0) | (source[index] ?? 0)
}
