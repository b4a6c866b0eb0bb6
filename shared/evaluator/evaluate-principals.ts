import type { ParsedPolicy } from '#shared/policy/types.ts'
import type { CompiledAccount, CompiledPolicy, CompiledPrincipal } from './compile-account.ts'
import { combineLayers, DECISION_DENY, type Decision, decideLayer, decisionName } from './decision.ts'
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
  const documentIds = new Map<ParsedPolicy, number>()
  const idOf = (policy: CompiledPolicy): number => {
    const parsed = policy.parsed
    if (!parsed) return 0
    let id = documentIds.get(parsed)
    if (id === undefined) {
      id = documentIds.size + 1
      documentIds.set(parsed, id)
    }
    return id
  }
  // Principals are keyed by the path of their documents' ids through a trie: no key text is built.
  const roots: [SignatureNode, SignatureNode] = [{}, {}]
  const size = questions.questions.length
  const scp = scpVector(account, questions)
  return account.principals.map((principal) => {
    let node = roots[principal.serviceLinked ? 1 : 0]
    for (const policy of principal.identity) node = childOf(node, idOf(policy))
    // A boundary that could not be read allows nothing; no boundary restricts nothing.
    node = childOf(node, principal.boundary ? idOf(principal.boundary) : NO_BOUNDARY)
    node.codes ??= decidePrincipal(principal, questions, size, scp)
    return new PrincipalAccessView(principal, node.codes, questions)
  })
}

interface SignatureNode {
  next?: Map<number, SignatureNode>
  codes?: Uint8Array
}

const NO_BOUNDARY = -1

function childOf(node: SignatureNode, id: number): SignatureNode {
  node.next ??= new Map()
  let child = node.next.get(id)
  if (!child) {
    child = {}
    node.next.set(id, child)
  }
  return child
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
    if (organization) code = combineLayers(code, decideLayer(organization[index] ?? 0))
    codes[index] = code
  }
  return codes
}

/** The SCP layer: one vector over all SCPs of the account, or undefined when none were given. */
export function scpVector(account: CompiledAccount, questions: QuestionSet): Uint8Array | undefined {
  if (account.scps.length === 0) return undefined
  const bits = new Uint8Array(questions.questions.length)
  for (const policy of account.scps) orInto(bits, policyVectorFor(policy.parsed, questions))
  return bits
}

function orInto(target: Uint8Array, source: Uint8Array): void {
  for (let index = 0; index < target.length; index++)
    target[index] = (target[index] ?? 0) | (source[index] ?? 0)
}
