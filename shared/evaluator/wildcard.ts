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
    matcher = matchers.length === 1 && only ? only : (value) => matchers.some((match) => match(value))
    store.set(patterns, matcher)
  }
  return matcher
}

/** True when any of `patterns` matches `value` (actions: case-insensitive). */
export function matchesAny(patterns: readonly string[], value: string, caseInsensitive: boolean): boolean {
  return compilePatternList(patterns, caseInsensitive)(caseInsensitive ? value.toLowerCase() : value)
}
