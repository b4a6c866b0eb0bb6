import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { documentJson } from '#shared/snapshot/document-text.ts'

/** Numbers JSON.stringify does not write back: too large for a double, and -0. */
const ODD = [Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0]

/** JSON values with odd numbers among the others, and strings made of what the marks are made of. */
const { value } = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.double({ noNaN: true }),
    fc.constantFrom(...ODD, 0, 1, null, true),
    fc.string({ unit: fc.constantFrom('\u0000', '+', '-', '0', '"', '\\', 'a') }),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.string({ maxLength: 3 }), tie('value'), { maxKeys: 4 }),
  ),
}))

describe('documentJson', () => {
  it('writes what JSON.stringify writes when every number is one it writes back', () => {
    const document = {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 's3:*', N: [1.5, -2, 0] }],
    }
    expect(documentJson(document)).toBe(JSON.stringify(document))
  })

  it('writes Infinity, -Infinity and -0 as numbers JSON.parse reads back to them', () => {
    const document = { a: Number.POSITIVE_INFINITY, b: [Number.NEGATIVE_INFINITY, -0, 0], c: { d: -0 } }
    expect(documentJson(document)).toBe('{"a":1e400,"b":[-1e400,-0,0],"c":{"d":-0}}')
  })

  it('writes NaN, which no JSON holds, as JSON.stringify does', () => {
    expect(documentJson({ a: Number.NaN, b: Number.POSITIVE_INFINITY })).toBe('{"a":null,"b":1e400}')
  })

  it('never takes a string of the document for a marked number', () => {
    const document = {
      s: '\u0000+',
      t: '\u0000\u0000-',
      u: ['\u00000', '"\u0000+"'],
      n: Number.POSITIVE_INFINITY,
    }
    expect(JSON.parse(documentJson(document))).toEqual(document)
  })

  it('writes any value of objects, lists, strings and numbers so that JSON.parse reads it back the same', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string({ maxLength: 3 }), value, { maxKeys: 5 }), (document) => {
        expect(JSON.parse(documentJson(document))).toEqual(document)
      }),
      { numRuns: 3000 },
    )
  })
})
