import type { ParsedPolicy } from '#shared/policy/types.ts'
import { effectBit } from './decision.ts'
import type { QuestionSet } from './questions.ts'
import { matchResourceAndConditions } from './statement-match.ts'
import { compilePatternList } from './wildcard.ts'

/**
 * What one policy contributes to each question of a set, as bits (allow, conditional allow,
 * deny, conditional deny). Computed once per policy and OR-ed into every principal that
 * holds it: this is what lets a whole account be answered in one pass.
 */
export function computePolicyVector(policy: ParsedPolicy | undefined, questions: QuestionSet): Uint8Array {
  const bits = new Uint8Array(questions.questions.length)
  if (!policy) return bits
  const { questions: list } = questions
  for (const statement of policy.statements) {
    // The action list is matched with one compiled matcher per statement, and only against
    // the questions of the services it names; only statements whose action matches go on to
    // the resource and condition checks.
    const actionMatches = compilePatternList(statement.action.values, true)
    const negated = statement.action.negated
    const deny = statement.effect === 'Deny'
    for (const index of candidateIndexes(statement.action.values, negated, questions)) {
      const question = list[index]
      if (!question || actionMatches(question.actionLower) === negated) continue
      const match = matchResourceAndConditions(statement, question)
      if (!match.applies) continue
      bits[index] = (bits[index] ?? 0) | effectBit(deny, match.conditional)
    }
  }
  return bits
}

/** The questions a statement's action list can match: all of them unless every pattern names one service. */
function candidateIndexes(
  patterns: readonly string[],
  negated: boolean,
  questions: QuestionSet,
): Iterable<number> {
  if (negated) return questions.questions.keys()
  const namespaces = new Set<string>()
  for (const pattern of patterns) {
    const colon = pattern.indexOf(':')
    const namespace = colon < 0 ? '*' : pattern.slice(0, colon).toLowerCase()
    if (namespace.includes('*') || namespace.includes('?')) return questions.questions.keys()
    namespaces.add(namespace)
  }
  if (namespaces.size === 1) {
    const [only] = namespaces
    return questions.indexesByNamespace.get(only ?? '') ?? []
  }
  return [...namespaces].flatMap((namespace) => questions.indexesByNamespace.get(namespace) ?? [])
}

const cache = new WeakMap<QuestionSet, { empty: Uint8Array; byPolicy: WeakMap<ParsedPolicy, Uint8Array> }>()

/**
 * `computePolicyVector`, kept per parsed document: a managed policy held by thousands of
 * principals (directly or through groups) is matched once per question set.
 */
export function policyVectorFor(policy: ParsedPolicy | undefined, questions: QuestionSet): Uint8Array {
  let entry = cache.get(questions)
  if (!entry) {
    entry = { empty: new Uint8Array(questions.questions.length), byPolicy: new WeakMap() }
    cache.set(questions, entry)
  }
  if (!policy) return entry.empty
  let vector = entry.byPolicy.get(policy)
  if (!vector) {
    vector = computePolicyVector(policy, questions)
    entry.byPolicy.set(policy, vector)
  }
  return vector
}
