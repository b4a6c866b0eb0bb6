import { readFileSync } from 'node:fs'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { parseAccountSnapshot, readExportEntry, SnapshotError } from '#shared/snapshot/parse-snapshot.ts'
import { listJsonPaths, mutationsOf, replaceJsonAt } from '#test-support/arbitraries/json-mutation.ts'

const EXAMPLE: unknown = JSON.parse(
  readFileSync(new URL('../../../shared/examples/example-account.json', import.meta.url), 'utf8'),
)
const PRINCIPAL_LISTS = new Set(['UserDetailList', 'RoleDetailList', 'GroupDetailList'])
/** Paths to a principal entry of the example or to anything inside one. */
const INSIDE_PRINCIPALS = listJsonPaths(EXAMPLE).filter(
  (path) => path.length >= 2 && PRINCIPAL_LISTS.has(path[0] ?? ''),
)
const EXAMPLE_PRINCIPALS = countPrincipals(parseAccountSnapshot(EXAMPLE))

function countPrincipals(snapshot: { users: readonly unknown[]; roles: readonly unknown[] }): number {
  return snapshot.users.length + snapshot.roles.length
}

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

  it('never rejects the export for a flaw inside one principal: at most that principal is skipped, by name', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...INSIDE_PRINCIPALS),
        fc.option(fc.jsonValue({ maxDepth: 2 }), { nil: undefined }),
        (path, replacement) => {
          const snapshot = parseAccountSnapshot(replaceJsonAt(EXAMPLE, path, replacement))
          const principals = countPrincipals(snapshot)
          expect(principals).toBeGreaterThanOrEqual(EXAMPLE_PRINCIPALS - 1)
          const removed = path.length === 2 && replacement === undefined
          if (principals < EXAMPLE_PRINCIPALS && !removed) {
            expect(snapshot.issues).toContainEqual(
              expect.objectContaining({ path: `${path[0]}[${path[1]}]`, skipped: true }),
            )
          }
        },
      ),
      { numRuns: 2000 },
    )
  })
})

/** The input with each entry read as the CLI's export reader reads it, as soon as it is parsed. */
function readEntryByEntry(input: unknown): unknown {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return input
  return Object.fromEntries(
    Object.entries(input).map(([key, value]) => [
      key,
      Array.isArray(value) ? value.map((entry, index) => readExportEntry(key, entry, index)) : value,
    ]),
  )
}

function outcomeOf(input: unknown): unknown {
  try {
    return parseAccountSnapshot(input)
  } catch (error) {
    if (!(error instanceof SnapshotError)) throw error
    return { error: error.message, path: error.path }
  }
}

/** The example with the ARN of one entry moved to another account: it is then skipped as foreign. */
const foreignEntryOf = fc
  .constantFrom(...listJsonPaths(EXAMPLE).filter((path) => path.length === 3 && path[2] === 'Arn'))
  .map((path) => {
    const arn = path.reduce<unknown>((value, key) => (value as Record<string, unknown>)[key], EXAMPLE)
    return replaceJsonAt(EXAMPLE, path, String(arn).replace(/::\d{12}:/, '::999988887777:'))
  })

describe('entries read one by one (readExportEntry)', () => {
  it('give the snapshot, issues in the same order, or the error that the whole input gives', () => {
    const inputs = fc.oneof(mutationsOf(EXAMPLE), foreignEntryOf, fc.jsonValue({ maxDepth: 3 }))
    fc.assert(
      fc.property(inputs, (input) => {
        expect(outcomeOf(readEntryByEntry(input))).toEqual(outcomeOf(input))
      }),
      { numRuns: 1500 },
    )
  })

  it('are read once: an entry read already is taken as it is', () => {
    const input = readEntryByEntry(EXAMPLE)
    expect(parseAccountSnapshot(input)).toEqual(parseAccountSnapshot(EXAMPLE))
    const foreign = fc.sample(foreignEntryOf, { numRuns: 1, seed: 3 })[0]
    const snapshot = parseAccountSnapshot(readEntryByEntry(foreign))
    expect(snapshot.issues?.some((issue) => issue.message.includes('999988887777'))).toBe(true)
  })
})
