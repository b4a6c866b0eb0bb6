import type { CompiledAccount, CompiledPolicy, CompiledPrincipal } from './compile-account.ts'
import { combineLayers, type Decision, decideLayer, decisionName } from './decision.ts'
import { computePolicyVector } from './policy-vector.ts'
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
        decisions[question.key] = decisionName(this.codes[index] ?? 0)
      })
      this.#decisions = decisions
    }
    return this.#decisions
  }
}

/**
 * Answers every question for every principal of the account in one pass: each policy's
 * contribution is computed once, and principals holding the same policies share one result.
 */
export function evaluatePrincipals(account: CompiledAccount, questions: QuestionSet): PrincipalAccess[] {
  const vectors = new Map<string, Uint8Array>()
  const bySignature = new Map<string, Uint8Array>()
  const size = questions.questions.length
  const vectorOf = (policy: CompiledPolicy): Uint8Array => {
    let vector = vectors.get(policy.id)
    if (!vector) {
      vector = computePolicyVector(policy.parsed, questions)
      vectors.set(policy.id, vector)
    }
    return vector
  }
  return account.principals.map((principal) => {
    const signature = `${principal.identity.map((policy) => policy.id).join('\n')}|${principal.boundary?.id ?? ''}`
    let codes = bySignature.get(signature)
    if (!codes) {
      const identity = new Uint8Array(size)
      for (const policy of principal.identity) orInto(identity, vectorOf(policy))
      const boundary = principal.boundary ? vectorOf(principal.boundary) : undefined
      codes = new Uint8Array(size)
      for (let index = 0; index < size; index++) {
        const own = decideLayer(identity[index] ?? 0)
        codes[index] = boundary ? combineLayers(own, decideLayer(boundary[index] ?? 0)) : own
      }
      bySignature.set(signature, codes)
    }
    return new PrincipalAccessView(principal, codes, questions)
  })
}

function orInto(target: Uint8Array, source: Uint8Array): void {
  for (let index = 0; index < target.length; index++)
    target[index] = (target[index] ?? 0) | (source[index] ?? 0)
}
