import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { checkJsonValue, compactJsonText, skipSpace } from '#shared/snapshot/json-bytes.ts'

/** What JSON.parse makes of the text, or undefined where it throws. */
function parsed(text: string): { readonly value: unknown } | undefined {
  try {
    return { value: JSON.parse(text) as unknown }
  } catch {
    return undefined
  }
}

/** Checks `text` as JSON.parse reads it: one value, with space around it. */
function check(text: string): ReturnType<typeof checkJsonValue> {
  const bytes = Buffer.from(text)
  const span = checkJsonValue(bytes, skipSpace(bytes, 0))
  return span !== undefined && skipSpace(bytes, span.end) === bytes.length ? span : undefined
}

/** JSON text made of the bytes JSON's grammar turns on, so that mutations hit its edge cases. */
const jsonish = fc
  .array(
    fc.constantFrom(
      ...'{}[],:"\\ \t\n\r0123456789-+.eEtrufalsn/bu'.split(''),
      'true',
      'null',
      '\\u00e9',
      '\u0001',
      'é',
      '"a"',
      '1.5e-3',
    ),
    { maxLength: 24 },
  )
  .map((parts) => parts.join(''))

describe('checkJsonValue', () => {
  it('takes exactly what JSON.parse takes, on JSON values written with any indent', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), fc.constantFrom(0, 1, 2, '\t', ' \r\n'), (value, indent) => {
        const text = JSON.stringify(value, null, indent as string | number)
        const span = check(text)
        expect(span).toBeDefined()
        // The spaces counted are the bytes between tokens: the compact text is JSON.stringify's.
        expect(compactJsonText(Buffer.from(text), 0, span as NonNullable<typeof span>)).toBe(
          JSON.stringify(value),
        )
      }),
      { numRuns: 500 },
    )
  })

  it('refuses what JSON.parse refuses, and takes what it takes, on text built to break it', () => {
    fc.assert(
      fc.property(jsonish, (text) => {
        expect(check(text) !== undefined).toBe(parsed(text) !== undefined)
      }),
      { numRuns: 20_000 },
    )
  })

  it.each([
    ['a lone minus', '-'],
    ['a leading zero', '01'],
    ['a dot without digits', '1.'],
    ['an exponent without digits', '1e+'],
    ['a raw line feed in a string', '"a\nb"'],
    ['a short unicode escape', '"\\u12"'],
    ['a unicode escape that is not hexadecimal', '"\\u12g4"'],
    ['an unknown escape', '"\\x41"'],
    ['a trailing comma', '[1,]'],
    ['a key without quotes', '{a:1}'],
    ['a misspelt literal', 'nul'],
    ['an unclosed object', '{"a":1'],
    ['a mismatched bracket', '[1}'],
    ['a byte order mark', '\uFEFF{}'],
    ['a non-breaking space between tokens', '[1,\u00a02]'],
  ])('refuses %s', (_what, text) => {
    expect(parsed(text)).toBeUndefined()
    expect(check(text)).toBeUndefined()
  })

  it('follows nesting deeper than the stack would allow a recursive reader', () => {
    const depth = 200_000
    const text = `${'['.repeat(depth)}${']'.repeat(depth)}`
    expect(check(text)).toEqual({ end: text.length, spaces: 0 })
    expect(check(text.slice(1))).toBeUndefined()
  })

  it('stops at the end of the value, and keeps bytes beyond ASCII and escapes as they are', () => {
    const text = '{ "Sid" : "caf\u00e9 \\u00e9 \\"x\\"" ,\n "n": [ -0.5E+2 , true ] } , {"next": 1}'
    const bytes = Buffer.from(text)
    const span = checkJsonValue(bytes, 0)
    const first = text.slice(0, text.indexOf(' , {'))
    expect(span?.end).toBe(Buffer.byteLength(first))
    const compact = compactJsonText(bytes, 0, span as NonNullable<typeof span>)
    expect(compact).toBe('{"Sid":"caf\u00e9 \\u00e9 \\"x\\"","n":[-0.5E+2,true]}')
    expect(JSON.parse(compact)).toEqual(JSON.parse(first))
  })
})
