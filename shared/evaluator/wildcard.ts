/** Tests a string against one IAM pattern (`*` any run, `?` one character). */
export type Matcher = (value: string) => boolean

const cache = new Map<string, Matcher>()
const listCache = {
  insensitive: new WeakMap<readonly string[], Matcher>(),
  sensitive: new WeakMap<readonly string[], Matcher>(),
}

/**
 * Compiles an IAM wildcard pattern once and reuses it. Resources and ARNs compare
 * case-sensitively. With `caseInsensitive` (actions), the matcher expects a lower-cased value.
 */
export function compileWildcard(pattern: string, caseInsensitive: boolean): Matcher {
  const key = `${caseInsensitive ? 'i' : 's'}${pattern}`
  const cached = cache.get(key)
  if (cached) return cached
  const matcher = buildMatcher(caseInsensitive ? pattern.toLowerCase() : pattern)
  cache.set(key, matcher)
  return matcher
}

function buildMatcher(pattern: string): Matcher {
  if (pattern === '*') return () => true
  if (!pattern.includes('*') && !pattern.includes('?')) return (value) => value === pattern
  const source = pattern
    .split('')
    .map((char) => (char === '*' ? '.*' : char === '?' ? '.' : char.replace(/[.+^${}()|[\]\\/]/g, '\\$&')))
    .join('')
  const regex = new RegExp(`^${source}$`, 's')
  return (value) => regex.test(value)
}

/**
 * One matcher for a whole list of patterns (an `Action` or `Resource` element), compiled on
 * first use and kept with the parsed list itself, so evaluation allocates nothing.
 */
export function compilePatternList(patterns: readonly string[], caseInsensitive: boolean): Matcher {
  const store = caseInsensitive ? listCache.insensitive : listCache.sensitive
  let matcher = store.get(patterns)
  if (!matcher) {
    const matchers = patterns.map((pattern) => compileWildcard(pattern, caseInsensitive))
    const [only] = matchers
    matcher =
      matchers.length === 1 && only
        ? only
        : (value) => {
            // A loop, not `some`: a closure per call adds up over every statement of an account.
            for (const match of matchers) if (match(value)) return true
            return false
          }
    store.set(patterns, matcher)
  }
  return matcher
}

/** True when any of `patterns` matches `value` (actions: case-insensitive). */
export function matchesAny(patterns: readonly string[], value: string, caseInsensitive: boolean): boolean {
  return compilePatternList(patterns, caseInsensitive)(caseInsensitive ? value.toLowerCase() : value)
}

/**
 * How a pattern (or a list of them, taken together) relates to an inner pattern: it `covers`
 * it when every value the inner pattern matches is matched too; otherwise `example` is a value
 * the inner pattern matches and it misses. `undecided`: the check gave up (see
 * `CONTAINMENT_BUDGET`); callers treat that as "not covered".
 */
export type Containment =
  | { readonly covers: true }
  | { readonly covers: false; readonly example: string }
  | { readonly covers: false; readonly undecided: true }

/**
 * How many (inner position, outer states) pairs one containment check may visit. Some
 * patterns need exponentially many state sets (`*a` then many `?`: which of the last
 * characters was an `a`); IAM patterns stay far below the bound, and a crafted policy cannot
 * stall the guard (about 30 ms at the bound).
 */
export const CONTAINMENT_BUDGET = 20_000

const COVERED: Containment = { covers: true }

/**
 * Does `outer` cover everything `inner` covers? Both are IAM patterns, with `*` (any run,
 * empty too) and `?` (one character) anywhere. With `caseInsensitive` (actions) both compare
 * lower-cased, as `compileWildcard` matches them; otherwise (ARNs, resources) as written.
 * A list for `outer` covers when every value of `inner` is matched by one of its patterns.
 */
export function checkContainment(
  outer: string | readonly string[],
  inner: string,
  caseInsensitive: boolean,
): Containment {
  const patterns = (typeof outer === 'string' ? [outer] : outer).map((pattern) =>
    normalizeWildcards(caseInsensitive ? pattern.toLowerCase() : pattern),
  )
  const target = normalizeWildcards(caseInsensitive ? inner.toLowerCase() : inner)
  if (!hasWildcard(target)) {
    const matched = patterns.some((pattern) => compileWildcard(pattern, false)(target))
    return matched ? COVERED : { covers: false, example: target }
  }
  if (patterns.includes(target)) return COVERED
  const automaton = new PatternAutomaton(patterns)
  const alphabet = representativeCharacters(patterns, caseInsensitive)
  const fresh = alphabet[alphabet.length - 1] ?? 'x'
  // Depth first over (position in `inner`, states the outer patterns can be in after the
  // text read so far), moving on in `inner` before staying in one of its `*`: a counterexample
  // is usually found in a few steps. `text` is a value leading there, the counterexample.
  const stack: { index: number; states: readonly number[]; text: string }[] = []
  const seen = new Set<string>()
  let exhausted = false
  const visit = (index: number, states: readonly number[], text: string) => {
    const key = `${index}|${states.join(',')}`
    if (seen.has(key)) return
    if (seen.size >= CONTAINMENT_BUDGET) exhausted = true
    seen.add(key)
    stack.push({ index, states, text })
  }
  visit(0, automaton.initial, '')
  while (!exhausted) {
    const entry = stack.pop()
    if (!entry) break
    const { index, states, text } = entry
    if (automaton.acceptsEveryRest(states)) continue
    if (states.length === 0)
      return { covers: false, example: text + shortestValue(target.slice(index), fresh) }
    if (index === target.length) {
      if (!automaton.accepts(states)) return { covers: false, example: text }
      continue
    }
    const symbol = target[index] ?? ''
    if (symbol === '*' || symbol === '?') {
      // `*` may read a character and stay, or end; `?` reads exactly one.
      const next = symbol === '*' ? index : index + 1
      for (const char of alphabet) visit(next, automaton.step(states, char), text + char)
      if (symbol === '*') visit(index + 1, states, text)
    } else {
      visit(index + 1, automaton.step(states, symbol), text + symbol)
    }
  }
  return exhausted ? { covers: false, undecided: true } : COVERED
}

/** `checkContainment(...).covers`: false also when the check could not settle it. */
export function wildcardCovers(
  outer: string | readonly string[],
  inner: string,
  caseInsensitive: boolean,
): boolean {
  return checkContainment(outer, inner, caseInsensitive).covers
}

/**
 * A value both patterns match, or undefined when they have none in common (case handling as
 * `checkContainment`). Polynomial: the two patterns are walked side by side.
 */
export function findCommonValue(first: string, second: string, caseInsensitive: boolean): string | undefined {
  const a = caseInsensitive ? first.toLowerCase() : first
  const b = caseInsensitive ? second.toLowerCase() : second
  const alphabet = representativeCharacters([a, b], caseInsensitive)
  // A state is a position in each pattern; `*` may also be skipped without reading.
  const queue: { i: number; j: number; text: string }[] = [{ i: 0, j: 0, text: '' }]
  const seen = new Set(['0,0'])
  const visit = (i: number, j: number, text: string) => {
    const key = `${i},${j}`
    if (seen.has(key)) return
    seen.add(key)
    queue.push({ i, j, text })
  }
  for (let head = 0; head < queue.length; head++) {
    const entry = queue[head]
    if (!entry) break
    const { i, j, text } = entry
    if (i === a.length && j === b.length) return text
    if (a[i] === '*') visit(i + 1, j, text)
    if (b[j] === '*') visit(i, j + 1, text)
    for (const char of alphabet) {
      const nextA = advance(a, i, char)
      const nextB = advance(b, j, char)
      if (nextA !== undefined && nextB !== undefined) visit(nextA, nextB, text + char)
    }
  }
  return undefined
}

/** Some value is matched by both patterns. */
export function wildcardsOverlap(first: string, second: string, caseInsensitive: boolean): boolean {
  if (first === '*' || second === '*') return true
  return findCommonValue(first, second, caseInsensitive) !== undefined
}

/** The same pattern with each run of wildcards as its `?`s then one `*` (`*?*` → `?*`). */
function normalizeWildcards(pattern: string): string {
  return pattern.replace(
    /[*?]{2,}/g,
    (run) => '?'.repeat(run.replaceAll('*', '').length) + (run.includes('*') ? '*' : ''),
  )
}

function hasWildcard(pattern: string): boolean {
  return pattern.includes('*') || pattern.includes('?')
}

/** The position after reading `char` at position `index` of `pattern`, if it can be read there. */
function advance(pattern: string, index: number, char: string): number | undefined {
  const symbol = pattern[index]
  if (symbol === undefined) return undefined
  if (symbol === '*') return index
  return symbol === '?' || symbol === char ? index + 1 : undefined
}

/** The shortest value a pattern matches: `*` read as nothing, `?` as `fresh`. */
function shortestValue(pattern: string, fresh: string): string {
  return pattern.replaceAll('*', '').replaceAll('?', fresh)
}

/**
 * The characters worth trying where a pattern reads "any character": each literal of the
 * patterns, and one character none of them names (last), which stands for all the others.
 * Case-insensitive patterns are compared lower-cased, so that one is lower case too.
 */
function representativeCharacters(patterns: readonly string[], caseInsensitive: boolean): string[] {
  const literals = new Set<string>()
  for (const pattern of patterns)
    for (const char of pattern.split('')) if (char !== '*' && char !== '?') literals.add(char)
  const usable = (char: string) =>
    !literals.has(char) && char !== '*' && char !== '?' && (!caseInsensitive || char.toLowerCase() === char)
  let fresh = [...'xyzqjkw0123456789'].find(usable)
  for (let code = 0x21; fresh === undefined; code++) {
    const char = String.fromCharCode(code)
    if (usable(char)) fresh = char
  }
  return [...literals, fresh]
}

/**
 * The patterns of a list as one automaton: a state is a position in one pattern (numbered
 * consecutively across them, each pattern closed by an end state). Reading a character moves
 * every state at once; a set of states holds its `*` skips already.
 */
class PatternAutomaton {
  /** The pattern character at each state; '' at a pattern's end. */
  readonly #symbols: string[] = []
  /** From this state on, only `*` remain: every continuation is accepted. */
  readonly #openEnded: boolean[] = []
  readonly initial: readonly number[]

  constructor(patterns: readonly string[]) {
    const starts: number[] = []
    for (const pattern of patterns) {
      starts.push(this.#symbols.length)
      this.#symbols.push(...pattern.split(''), '')
    }
    let starsToEnd = false
    for (let state = this.#symbols.length - 1; state >= 0; state--) {
      const symbol = this.#symbols[state]
      if (symbol === '') starsToEnd = true
      else if (symbol !== '*') starsToEnd = false
      this.#openEnded[state] = symbol === '*' && starsToEnd
    }
    this.initial = this.#close(starts)
  }

  accepts(states: readonly number[]): boolean {
    return states.some((state) => this.#symbols[state] === '')
  }

  acceptsEveryRest(states: readonly number[]): boolean {
    return states.some((state) => this.#openEnded[state])
  }

  step(states: readonly number[], char: string): readonly number[] {
    const next: number[] = []
    for (const state of states) {
      const symbol = this.#symbols[state]
      if (symbol === '*') next.push(state)
      else if (symbol === '?' || symbol === char) next.push(state + 1)
    }
    return this.#close(next)
  }

  /** Adds the states reached by skipping `*`s; sorted and without repeats, so sets compare by key. */
  #close(states: readonly number[]): readonly number[] {
    const closed = new Set<number>()
    for (let state of states) {
      closed.add(state)
      while (this.#symbols[state] === '*') closed.add(++state)
    }
    return [...closed].sort((a, b) => a - b)
  }
}
