import { statementsAbout } from '#shared/policy/parse-policy.ts'
import type { ParsedPolicy, PolicyStatement } from '#shared/policy/types.ts'
import { effectBit } from './decision.ts'
import { type QuestionSet, servicesOf } from './questions.ts'
import { resourceAndConditionsScope, SCOPE_CONDITIONAL, SCOPE_NONE } from './statement-match.ts'
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
  for (const statement of statementsForQuestions(policy, questions)) {
    // Only the questions of the services the action list names are candidates, and most
    // statements name none (`s3:GetObject`): their patterns are never compiled. The rest are
    // matched with one compiled matcher per statement, and only statements whose action
    // matches go on to the resource and condition checks.
    const negated = statement.action.negated
    const candidates = negated ? allIndexes(questions) : candidateIndexes(statement.action.values, questions)
    if (candidates.length === 0) continue
    const actionMatches = compilePatternList(statement.action.values, true)
    const deny = statement.effect === 'Deny'
    for (const index of candidates) {
      const question = list[index]
      if (!question || actionMatches(question.actionLower) === negated) continue
      const scope = resourceAndConditionsScope(statement, question)
      if (scope === SCOPE_NONE) continue
      bits[index] = (bits[index] ?? 0) | effectBit(deny, scope === SCOPE_CONDITIONAL)
    }
  }
  return bits
}

/** The statements of `policy` about the services of `questions`: all of them, checked once per set. */
function statementsForQuestions(policy: ParsedPolicy, questions: QuestionSet): readonly PolicyStatement[] {
  if (policy.services && policy.services !== servicesOf(questions))
    for (const service of servicesOf(questions)) statementsAbout(policy, service)
  return policy.statements
}

interface NamespaceIndex {
  readonly all: readonly number[]
  /** Question indexes by action pattern as written; undefined for "every question". */
  readonly byPattern: Map<string, readonly number[] | undefined>
}

const namespaceIndexes = new WeakMap<QuestionSet, NamespaceIndex>()

function indexOf(questions: QuestionSet): NamespaceIndex {
  let index = namespaceIndexes.get(questions)
  if (!index) {
    index = { all: [...questions.questions.keys()], byPattern: new Map() }
    namespaceIndexes.set(questions, index)
  }
  return index
}

function allIndexes(questions: QuestionSet): readonly number[] {
  return indexOf(questions).all
}

const NONE: readonly number[] = []
const MAX_REMEMBERED_PATTERNS = 100_000

/**
 * The questions an action list can match: those of the services its patterns name, or all of
 * them when a pattern's service is a wildcard. Worked out once per pattern text: the same
 * patterns recur in thousands of documents.
 */
function candidateIndexes(patterns: readonly string[], questions: QuestionSet): readonly number[] {
  const index = indexOf(questions)
  let found: readonly number[] = NONE
  let merged: Set<number> | undefined
  for (const pattern of patterns) {
    let indexes = index.byPattern.get(pattern)
    if (!index.byPattern.has(pattern)) {
      indexes = questionsOfPattern(pattern, questions)
      // A warm function sees the same account again and again; a crafted one cannot grow this forever.
      if (index.byPattern.size >= MAX_REMEMBERED_PATTERNS) index.byPattern.clear()
      index.byPattern.set(pattern, indexes)
    }
    if (indexes === undefined) return index.all
    if (indexes.length === 0 || indexes === found) continue
    if (found.length === 0) found = indexes
    else {
      merged ??= new Set(found)
      for (const item of indexes) merged.add(item)
    }
  }
  return merged ? [...merged].sort((a, b) => a - b) : found
}

function questionsOfPattern(pattern: string, questions: QuestionSet): readonly number[] | undefined {
  const colon = pattern.indexOf(':')
  const namespace = colon < 0 ? '*' : pattern.slice(0, colon).toLowerCase()
  if (namespace.includes('*') || namespace.includes('?')) return undefined
  return questions.indexesByNamespace.get(namespace) ?? NONE
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
