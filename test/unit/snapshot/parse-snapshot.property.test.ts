import { readFileSync } from 'node:fs'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { parseAccountSnapshot, SnapshotError } from '#shared/snapshot/parse-snapshot.ts'
import { mutationsOf } from './json-mutation.ts'

const EXAMPLE: unknown = JSON.parse(
  readFileSync(new URL('../../../shared/examples/example-account.json', import.meta.url), 'utf8'),
)

/** Parses, or fails with the one error the parser documents; anything else fails the property. */
function expectSnapshotOrSnapshotError(input: unknown): void {
  try {
    const snapshot = parseAccountSnapshot(input)
    expect(snapshot.accountId).toMatch(/^\d{12}$/)
    for (const principal of [...snapshot.users, ...snapshot.roles])
      expect(principal.arn.length).toBeGreaterThan(0)
  } catch (error) {
    if (!(error instanceof SnapshotError)) throw error
    expect(typeof error.path).toBe('string')
    expect(error.message.length).toBeGreaterThan(0)
  }
}

describe('parseAccountSnapshot properties', () => {
  it('returns a snapshot or throws SnapshotError for arbitrary JSON', () => {
    fc.assert(fc.property(fc.jsonValue(), expectSnapshotOrSnapshotError), { numRuns: 5000 })
  })

  it('returns a snapshot or throws SnapshotError for the example with values replaced or removed', () => {
    fc.assert(fc.property(mutationsOf(EXAMPLE), expectSnapshotOrSnapshotError), { numRuns: 1000 })
  })

  it('names a top-level key of the input when it rejects a mutated example', () => {
    fc.assert(
      fc.property(mutationsOf(EXAMPLE), (input) => {
        try {
          parseAccountSnapshot(input)
        } catch (error) {
          if (!(error instanceof SnapshotError)) throw error
          if (error.path === '') return
          expect(Object.keys(Object(input))).toContain(error.path.split(/[.[]/)[0])
        }
      }),
      { numRuns: 1000 },
    )
  })
})
