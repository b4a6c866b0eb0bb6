import { readFileSync } from 'node:fs'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import {
  CONTAINMENT_BUDGET,
  checkContainment,
  findCommonValue,
  matchesAny,
  wildcardCovers,
  wildcardsOverlap,
} from '#shared/evaluator/wildcard.ts'

const FIXTURE = new URL('../../fixtures/evaluator/wildcard-containment.json', import.meta.url)

const caseSchema = z.strictObject({
  name: z.string().min(1),
  outer: z.union([z.string(), z.array(z.string())]),
  inner: z.string(),
  caseInsensitive: z.boolean(),
  covers: z.boolean(),
  /** Only for a single outer pattern: some value matches both. */
  overlaps: z.boolean().optional(),
})

const cases = z
  .strictObject({ cases: z.array(caseSchema).min(1) })
  .parse(JSON.parse(readFileSync(FIXTURE, 'utf8'))).cases

const listOf = (outer: string | readonly string[]) => (typeof outer === 'string' ? [outer] : outer)

/** Asserts that `example` shows `outer` missing part of `inner`. */
function expectCounterexample(
  outer: string | readonly string[],
  inner: string,
  caseInsensitive: boolean,
  example: string,
) {
  expect(matchesAny([inner], example, caseInsensitive), `${inner} matches ${example}`).toBe(true)
  expect(matchesAny(listOf(outer), example, caseInsensitive), `${String(outer)} misses ${example}`).toBe(
    false,
  )
}

describe('wildcard containment fixtures', () => {
  it('have unique names and overlaps only for single patterns', () => {
    expect(new Set(cases.map((entry) => entry.name)).size).toBe(cases.length)
    for (const entry of cases)
      if (entry.overlaps !== undefined) expect(typeof entry.outer, entry.name).toBe('string')
  })

  it.each(cases)('$name', ({ outer, inner, caseInsensitive, covers, overlaps }) => {
    const result = checkContainment(outer, inner, caseInsensitive)
    expect(result.covers).toBe(covers)
    expect(wildcardCovers(outer, inner, caseInsensitive)).toBe(covers)
    if (!result.covers) {
      if (!('example' in result)) throw new Error('the check gave up on a fixture')
      expectCounterexample(outer, inner, caseInsensitive, result.example)
    }
    if (overlaps !== undefined && typeof outer === 'string') {
      expect(wildcardsOverlap(outer, inner, caseInsensitive)).toBe(overlaps)
      const common = findCommonValue(outer, inner, caseInsensitive)
      expect(common !== undefined).toBe(overlaps)
      if (common !== undefined) {
        expect(matchesAny([outer], common, caseInsensitive)).toBe(true)
        expect(matchesAny([inner], common, caseInsensitive)).toBe(true)
      }
    }
  })
})

/** Every string over `alphabet` up to `length` characters. */
function allStrings(alphabet: string, length: number): string[] {
  const found = ['']
  let level = ['']
  for (let size = 1; size <= length; size++) {
    level = level.flatMap((prefix) => [...alphabet].map((char) => prefix + char))
    found.push(...level)
  }
  return found
}

// Patterns over two letters; values also use a third letter no pattern names.
const VALUES = allStrings('abc', 6)
const pattern = fc.array(fc.constantFrom('a', 'b', '*', '?'), { maxLength: 5 }).map((chars) => chars.join(''))

describe('wildcard containment against brute force', () => {
  it('covers exactly when no short value tells the patterns apart, else names one', () => {
    fc.assert(
      fc.property(fc.array(pattern, { minLength: 1, maxLength: 2 }), pattern, (outer, inner) => {
        const result = checkContainment(outer, inner, false)
        if (result.covers) {
          const missed = VALUES.find(
            (value) => matchesAny([inner], value, false) && !matchesAny(outer, value, false),
          )
          expect(missed).toBeUndefined()
        } else {
          if (!('example' in result)) throw new Error(`gave up on ${JSON.stringify([outer, inner])}`)
          expectCounterexample(outer, inner, false, result.example)
        }
      }),
      { numRuns: 400, seed: 20_240_115 },
    )
  })

  it('finds a common value exactly when one exists', () => {
    fc.assert(
      fc.property(pattern, pattern, (first, second) => {
        const common = findCommonValue(first, second, false)
        if (common === undefined) {
          const shared = VALUES.find(
            (value) => matchesAny([first], value, false) && matchesAny([second], value, false),
          )
          expect(shared).toBeUndefined()
        } else {
          expect(matchesAny([first], common, false) && matchesAny([second], common, false)).toBe(true)
        }
      }),
      { numRuns: 400, seed: 20_240_116 },
    )
  })

  it('gives up, rather than stalls, on patterns whose state sets explode', () => {
    // Covered (an `a` then exactly 30 characters), but proving it walks 2^30 state sets:
    // the check stops at its budget and answers "not covered", which callers read as unproven.
    const outer = `*a${'?'.repeat(30)}`
    const inner = `*ab${'?'.repeat(29)}`
    const started = performance.now()
    expect(checkContainment(outer, inner, false)).toEqual({ covers: false, undecided: true })
    expect(wildcardCovers(outer, inner, false)).toBe(false)
    expect(performance.now() - started).toBeLessThan(2_000)
    expect(CONTAINMENT_BUDGET).toBeGreaterThan(1_000)
  })
})
