/** A pattern uses EventBridge syntax this matcher does not implement; widen it rather than guess. */
export class UnsupportedPatternError extends Error {
  override readonly name = 'UnsupportedPatternError'
}

/**
 * The subset of EventBridge event patterns the template's rules use: each key of the pattern
 * must be present in the event; an array lists the exact values allowed (a string, number,
 * boolean or null; when the event holds an array, one element matching is enough); an object
 * descends into the event's object at that key. Content filters (`prefix`, `anything-but`, …)
 * throw UnsupportedPatternError.
 */
export function matchesEventPattern(pattern: unknown, event: unknown, path = ''): boolean {
  if (!isRecord(pattern)) throw new UnsupportedPatternError(`pattern${path} must be an object`)
  if (!isRecord(event)) return false
  return Object.entries(pattern).every(([key, expected]) => {
    const where = `${path}.${key}`
    if (!(key in event)) return false
    const actual = event[key]
    if (Array.isArray(expected)) return matchesValues(expected, actual, where)
    if (isRecord(expected)) return matchesEventPattern(expected, actual, where)
    throw new UnsupportedPatternError(`pattern${where} must be an array of values or an object`)
  })
}

function matchesValues(allowed: readonly unknown[], actual: unknown, where: string): boolean {
  for (const value of allowed) {
    if (isRecord(value) || Array.isArray(value)) {
      throw new UnsupportedPatternError(`pattern${where} uses a content filter: ${JSON.stringify(value)}`)
    }
  }
  const candidates = Array.isArray(actual) ? actual : [actual]
  return candidates.some((candidate) => allowed.some((value) => value === candidate))
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
