/** Tests a string against one IAM pattern (`*` any run, `?` one character). */
export type Matcher = (value: string) => boolean

const cache = new Map<string, Matcher>()

/**
 * Compiles an IAM wildcard pattern once and reuses it. Actions compare case-insensitively
 * (`caseInsensitive`), resources and ARNs case-sensitively, as IAM does.
 */
export function compileWildcard(pattern: string, caseInsensitive: boolean): Matcher {
  const key = `${caseInsensitive ? 'i' : 's'}${pattern}`
  const cached = cache.get(key)
  if (cached) return cached
  const matcher = buildMatcher(pattern, caseInsensitive)
  cache.set(key, matcher)
  return matcher
}

function buildMatcher(pattern: string, caseInsensitive: boolean): Matcher {
  if (pattern === '*') return () => true
  if (!pattern.includes('*') && !pattern.includes('?')) {
    if (!caseInsensitive) return (value) => value === pattern
    const lower = pattern.toLowerCase()
    return (value) => value.toLowerCase() === lower
  }
  const source = pattern
    .split('')
    .map((char) => (char === '*' ? '.*' : char === '?' ? '.' : char.replace(/[.+^${}()|[\]\\/]/g, '\\$&')))
    .join('')
  const regex = new RegExp(`^${source}$`, caseInsensitive ? 'is' : 's')
  return (value) => regex.test(value)
}

/** True when any of `patterns` matches `value`. */
export function matchesAny(patterns: readonly string[], value: string, caseInsensitive: boolean): boolean {
  for (const pattern of patterns) {
    if (compileWildcard(pattern, caseInsensitive)(value)) return true
  }
  return false
}
