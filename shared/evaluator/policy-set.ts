import type { ParsedPolicy } from '#shared/policy/types.ts'

/** A policy as the set numbering reads it: only its parsed document counts. */
interface HeldPolicy {
  readonly parsed?: ParsedPolicy
}

interface Node {
  next?: Map<number, Node>
  id?: number
}

const NO_BOUNDARY = -1

/**
 * Numbers the distinct policy sets of an account: principals holding the same parsed
 * documents (identity policies in any order, and the boundary) get the same number, so
 * anything that depends on their policies alone is computed once per number. compileAccount
 * shares one parsed document among equal documents, so equal inline policies count as the
 * same. An identity document that keeps no statement (see ParseOptions.services) adds nothing
 * and is left out; a boundary that keeps none still allows nothing. Keys are paths through a
 * trie of document numbers: no key text is built per principal.
 */
export class PolicySetIndex {
  readonly #documents = new Map<ParsedPolicy, number>()
  readonly #root: Node = {}
  #sets = 0

  idOf(identity: readonly HeldPolicy[], boundary: HeldPolicy | undefined): number {
    let node = this.#root
    // Decisions combine identity documents as a set: order and repeats do not change them.
    const documents: number[] = []
    for (const policy of identity)
      if (policy.parsed?.statements.length !== 0) documents.push(this.#documentId(policy))
    documents.sort((a, b) => a - b)
    for (const [index, id] of documents.entries()) if (id !== documents[index - 1]) node = child(node, id)
    // A boundary that could not be read allows nothing; no boundary restricts nothing.
    node = child(node, boundary ? this.#documentId(boundary) : NO_BOUNDARY)
    node.id ??= this.#sets++
    return node.id
  }

  /** 0 for a policy without a readable document: it grants nothing, like any other such policy. */
  #documentId(policy: HeldPolicy): number {
    const parsed = policy.parsed
    if (!parsed) return 0
    let id = this.#documents.get(parsed)
    if (id === undefined) {
      id = this.#documents.size + 1
      this.#documents.set(parsed, id)
    }
    return id
  }
}

function child(node: Node, id: number): Node {
  node.next ??= new Map()
  let next = node.next.get(id)
  if (!next) {
    next = {}
    node.next.set(id, next)
  }
  return next
}
