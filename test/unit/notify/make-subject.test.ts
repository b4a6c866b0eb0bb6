import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { MAX_SUBJECT_LENGTH, makeSubject } from '#shared/notify/make-subject.ts'

describe('makeSubject', () => {
  it.each([
    { input: '[HIGH] RULE: plain title', expected: '[HIGH] RULE: plain title' },
    { input: '  [LOW] x\r\ny  ', expected: '[LOW] x y' },
    { input: 'Café rôle', expected: 'Cafe role' },
    { input: 'tab\there', expected: 'tab here' },
    { input: 'emoji 🚨 alert', expected: 'emoji ? alert' },
    { input: '\u0000\u0007', expected: '??' },
    { input: '   ', expected: 'Support Access Guard notification' },
  ])('$input -> $expected', ({ input, expected }) => {
    expect(makeSubject(input)).toBe(expected)
  })

  it('cuts at a nearby word boundary', () => {
    const subject = makeSubject(`[HIGH] ${'word '.repeat(40)}`)
    expect(subject.length).toBeLessThanOrEqual(MAX_SUBJECT_LENGTH)
    expect(subject).toMatch(/word\.\.\.$/)
  })

  it('cuts inside a long token when no boundary is near', () => {
    const subject = makeSubject(`[HIGH] ${'a'.repeat(200)}`)
    expect(subject).toBe(`[HIGH] ${'a'.repeat(MAX_SUBJECT_LENGTH - 3 - 7)}...`)
  })

  it('always returns what SNS accepts as a subject', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (input) => {
        const subject = makeSubject(input)
        expect(subject.length).toBeGreaterThan(0)
        expect(subject.length).toBeLessThan(100)
        expect(subject).toMatch(/^[\x21-\x7e][\x20-\x7e]*$/)
      }),
      { numRuns: 2000 },
    )
  })
})
