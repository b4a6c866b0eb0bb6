import { describe, expect, it } from 'vitest'
import { decodePolicyDocument } from '#shared/policy/decode-document.ts'

const document = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: ['support:*'], Resource: '*' }],
}
const pretty = JSON.stringify(document, null, 4)

describe('decodePolicyDocument', () => {
  it.each([
    { name: 'an object', input: document },
    { name: 'compact JSON text', input: JSON.stringify(document) },
    { name: 'indented JSON text with surrounding whitespace', input: `\n  ${pretty}\n` },
    { name: 'URL-encoded JSON (IAM Get* APIs, spaces as %20)', input: encodeURIComponent(pretty) },
    { name: 'URL-encoded JSON with spaces as +', input: encodeURIComponent(pretty).replace(/%20/g, '+') },
    { name: 'URL-encoded JSON with surrounding whitespace', input: ` ${encodeURIComponent(pretty)}\n` },
  ])('decodes $name to the document', ({ input }) => {
    expect(decodePolicyDocument(input)).toEqual({ ok: true, value: document })
  })

  it.each([
    { name: 'null', input: null },
    { name: 'a number', input: 42 },
    { name: 'an array', input: [document] },
    { name: 'undefined', input: undefined },
  ])('passes $name through unchanged for the parser to judge', ({ input }) => {
    expect(decodePolicyDocument(input)).toEqual({ ok: true, value: input })
  })

  it('keeps a literal + of an encoded document (IAM encodes + as %2B, but not every tool does)', () => {
    const encoded = '%7B%22Sid%22%3A%22a+b%22%2C%22Name%22%3A%22c%2Bd%20e%22%7D'
    expect(decodePolicyDocument(encoded)).toEqual({ ok: true, value: { Sid: 'a+b', Name: 'c+d e' } })
  })

  it('reads + between JSON tokens as a space when the literal reading is not JSON', () => {
    expect(decodePolicyDocument('%7B+%22a%22%3A+1+%7D')).toEqual({ ok: true, value: { a: 1 } })
  })

  it.each([
    { name: 'plain text', input: 'Allow everything', message: 'not valid JSON' },
    { name: 'an empty string', input: '', message: 'not valid JSON' },
    { name: 'truncated JSON', input: '{"Statement": [', message: 'not valid JSON' },
    {
      name: 'a broken percent escape',
      input: '%7B%22a%22%3A%E0%A4%A',
      message: 'not valid JSON and not valid URL encoding',
    },
    {
      name: 'encoded text that is not JSON',
      input: '%7B%22Statement',
      message: 'URL-decoded text is not valid JSON',
    },
    {
      name: 'a percent sign in plain text',
      input: '100% allowed',
      message: 'not valid JSON and not valid URL encoding',
    },
  ])('rejects $name with a message', ({ input, message }) => {
    expect(decodePolicyDocument(input)).toEqual({ ok: false, message })
  })
})
