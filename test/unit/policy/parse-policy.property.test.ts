import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { parsePolicyDocument } from '#shared/policy/parse-policy.ts'
import type { PolicyKind, PolicyParseResult } from '#shared/policy/types.ts'
import {
  encodedLookingStringArbitrary,
  policyInputArbitrary,
  policyObjectArbitrary,
} from '#test-support/arbitraries/policy-arbitraries.ts'

const RUNS = { numRuns: 10_000 }
const NAME = 'arn:aws:iam::123456789012:policy/Fuzzed'
const kinds = fc.constantFrom<PolicyKind>('identity', 'trust')

/** What every result must satisfy, whatever the input. */
function expectWellFormed(result: PolicyParseResult): void {
  if (result.ok) {
    expect(result.policy.statements.length).toBeGreaterThan(0)
    for (const [index, statement] of result.policy.statements.entries()) {
      expect(statement.index).toBe(index)
      expect(['Allow', 'Deny']).toContain(statement.effect)
      expect(statement.action.values.length).toBeGreaterThan(0)
    }
    return
  }
  expect(result.issue.policy).toBe(NAME)
  expect(typeof result.issue.path).toBe('string')
  expect(typeof result.issue.message).toBe('string')
  expect(result.issue.message.length).toBeGreaterThan(0)
}

describe('parsePolicyDocument properties', () => {
  it('never throws on arbitrary JSON values', () => {
    fc.assert(
      fc.property(fc.jsonValue(), kinds, (input, kind) => {
        expectWellFormed(parsePolicyDocument(input, NAME, kind))
      }),
      RUNS,
    )
  })

  it('never throws on arbitrary strings, including percent-encoded-looking ones', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string(), fc.string({ unit: 'binary', maxLength: 64 }), encodedLookingStringArbitrary),
        kinds,
        (input, kind) => {
          expectWellFormed(parsePolicyDocument(input, NAME, kind))
        },
      ),
      RUNS,
    )
  })

  it('never throws on policy-shaped documents, and names a path inside Version or Statement', () => {
    fc.assert(
      fc.property(policyInputArbitrary, kinds, (input, kind) => {
        const result = parsePolicyDocument(input, NAME, kind)
        expectWellFormed(result)
        if (!result.ok) expect(result.issue.path).toMatch(/^(?:|Version|Statement(?:\[\d+\])?(?:\..+)?)$/)
      }),
      RUNS,
    )
  })

  it('reads a document the same as an object, as JSON text and as URL-encoded JSON text', () => {
    fc.assert(
      fc.property(policyObjectArbitrary, kinds, (document, kind) => {
        const text = JSON.stringify(document)
        const direct = parsePolicyDocument(document, NAME, kind)
        expect(parsePolicyDocument(text, NAME, kind)).toEqual(direct)
        expect(parsePolicyDocument(encodeURIComponent(text), NAME, kind)).toEqual(direct)
      }),
      { numRuns: 3000 },
    )
  })

  it('accepts every well-formed identity statement list', () => {
    const action = fc.constantFrom('support:CreateCase', 'support:*', 'iam:CreateServiceLinkedRole')
    const statement = fc.record({
      Effect: fc.constantFrom('Allow', 'Deny'),
      Action: fc.oneof(action, fc.array(action, { minLength: 1, maxLength: 3 })),
      Resource: fc.constantFrom('*', ['*'], 'arn:aws:support::123456789012:case/*'),
    })
    fc.assert(
      fc.property(fc.array(statement, { minLength: 1, maxLength: 5 }), (statements) => {
        const result = parsePolicyDocument({ Version: '2012-10-17', Statement: statements }, NAME, 'identity')
        expect(result.ok).toBe(true)
        if (result.ok) expect(result.policy.statements).toHaveLength(statements.length)
      }),
      { numRuns: 2000 },
    )
  })
})
