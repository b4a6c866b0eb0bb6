import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { DOCUMENT_PLACES, documentsToText } from '#shared/snapshot/document-text.ts'
import { type DocumentPlaces, parseExportText } from '#shared/snapshot/export-text.ts'
import { parseAccountSnapshot } from '#shared/snapshot/parse-snapshot.ts'
import {
  damage,
  damageArbitrary,
  documentsDecoded,
  jsonOrUndefined,
} from '#test-support/arbitraries/export-damage.ts'
import { generateAccount } from '#test-support/synthetic/synthetic-account.ts'

const NO_DOCUMENTS: DocumentPlaces = { own: [], items: [] }
const LISTS = { UserDetailList: NO_DOCUMENTS, RoleDetailList: NO_DOCUMENTS, Policies: NO_DOCUMENTS }
const keep = (_list: string, entry: unknown) => entry
const read = (text: string, lists: Readonly<Record<string, DocumentPlaces>> = LISTS) =>
  parseExportText(Buffer.from(text), lists, keep)

describe('parseExportText', () => {
  it('gives what JSON.parse gives for an export, compact or indented', () => {
    const raw = generateAccount({ seed: 5, principals: 120 })
    for (const text of [JSON.stringify(raw), JSON.stringify(raw, null, 2), JSON.stringify(raw, null, '\t')])
      expect(read(text)).toEqual(JSON.parse(text))
  })

  it('reads strings with escaped quotes and backslashes, other scripts, and keys IAM never writes', () => {
    const text = String.raw`{ "AccountId": "111122223333", "a\"b": [1, {"c": "\\"}],
      "UserDetailList": [ {"UserName": "x\\", "Path": "/\"/", "T": "日本 \u00e9 \\\"" }, [], "s", 3, null ],
      "__proto__": {"polluted": true}, "Policies": [], "n": -1.5e3, "t": true }`
    const parsed = read(text)
    expect(parsed).toEqual(JSON.parse(text))
    expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype)
    expect(Object.keys(parsed ?? {})).toEqual(Object.keys(JSON.parse(text)))
  })

  it('hands each entry of the named lists to mapEntry and keeps what it returns', () => {
    const seen: string[] = []
    const parsed = parseExportText(
      Buffer.from('{"RoleDetailList":[{"RoleName":"a"},{"RoleName":"b"}],"Other":[{"x":1}]}'),
      { RoleDetailList: NO_DOCUMENTS },
      (list, entry) => {
        seen.push(`${list}:${JSON.stringify(entry)}`)
        return 'mapped'
      },
    )
    expect(seen).toEqual(['RoleDetailList:{"RoleName":"a"}', 'RoleDetailList:{"RoleName":"b"}'])
    expect(parsed).toEqual({ RoleDetailList: ['mapped', 'mapped'], Other: [{ x: 1 }] })
  })

  it.each([
    ['a top-level list', '[{"UserDetailList": []}]'],
    ['a byte order mark', '\uFEFF{"UserDetailList": []}'],
    ['a trailing comma in a list', '{"UserDetailList": [{"UserName": "a"},]}'],
    ['a missing comma', '{"UserDetailList": [] "Policies": []}'],
    ['text after the object', '{"UserDetailList": []} {}'],
    ['an unterminated string', '{"UserDetailList": [{"UserName": "a}]}'],
    ['a bad number', '{"AccountId": 12a}'],
    ['nothing', ''],
  ])('gives undefined for %s, so the caller parses the whole text', (_what, text) => {
    expect(read(text)).toBeUndefined()
  })

  it('never disagrees with JSON.parse: any text is read as JSON.parse reads it, or not at all', () => {
    const exportLike = fc.record({
      UserDetailList: fc.array(fc.jsonValue({ maxDepth: 3 }), { maxLength: 4 }),
      RoleDetailList: fc.array(fc.jsonValue({ maxDepth: 3 }), { maxLength: 4 }),
      Other: fc.jsonValue({ maxDepth: 2 }),
    })
    fc.assert(
      fc.property(exportLike, fc.nat(), fc.nat({ max: 2 }), fc.boolean(), (value, cut, indent, corrupt) => {
        let text = JSON.stringify(value, null, indent)
        // Corrupted: one character dropped, which leaves JSON or breaks it.
        if (corrupt && text.length > 0)
          text = text.slice(0, cut % text.length) + text.slice((cut % text.length) + 1)
        const parsed = read(text)
        if (parsed !== undefined) expect(parsed).toEqual(jsonOrUndefined(text))
        else if (!corrupt) expect.unreachable('an export-shaped text was not read')
      }),
      { numRuns: 400 },
    )
  })
})

describe('documentsToText', () => {
  it('keeps every document readable: a snapshot of the texts is the snapshot of the objects', () => {
    const raw = generateAccount({ seed: 9, principals: 150, encodedShare: 0 })
    const text = JSON.stringify(raw)
    const streamed = parseExportText(Buffer.from(text), DOCUMENT_PLACES, documentsToText)
    const role = (streamed as { RoleDetailList: { AssumeRolePolicyDocument: unknown }[] }).RoleDetailList[0]
    expect(typeof role?.AssumeRolePolicyDocument).toBe('string')
    const withTexts = parseAccountSnapshot(streamed)
    const withObjects = parseAccountSnapshot(JSON.parse(text))
    const decode = (value: unknown) => (typeof value === 'string' ? JSON.parse(value) : value)
    expect(withTexts.roles.map((r) => decode(r.trustPolicy))).toEqual(
      withObjects.roles.map((r) => r.trustPolicy),
    )
    expect(withTexts.users.flatMap((u) => u.inline.map((p) => decode(p.document)))).toEqual(
      withObjects.users.flatMap((u) => u.inline.map((p) => p.document)),
    )
    expect(withTexts.policies.map((p) => decode(p.document))).toEqual(
      withObjects.policies.map((p) => p.document),
    )
  })

  it('leaves alone what is not where an export keeps documents, and documents that are text already', () => {
    const entry = {
      RoleName: 'r',
      AssumeRolePolicyDocument: '%7B%7D',
      RolePolicyList: [{ PolicyName: 'p', PolicyDocument: { Version: '2012-10-17' } }, 'junk', null],
      Tags: [{ Key: 'k', Value: 'v' }],
    }
    expect(documentsToText('RoleDetailList', entry)).toEqual({
      RoleName: 'r',
      AssumeRolePolicyDocument: '%7B%7D',
      RolePolicyList: [{ PolicyName: 'p', PolicyDocument: '{"Version":"2012-10-17"}' }, 'junk', null],
      Tags: [{ Key: 'k', Value: 'v' }],
    })
    expect(documentsToText('SupportAppSlackChannelConfigurations', { a: { b: 1 } })).toEqual({ a: { b: 1 } })
    expect(documentsToText('Policies', 'not an entry')).toBe('not an entry')
  })
})

describe('parseExportText with document places', () => {
  /** What the reader gives: JSON.parse of the whole text, with each document as its JSON text. */
  const expected = (text: string) => {
    const whole = JSON.parse(text) as Record<string, unknown>
    for (const [list, entries] of Object.entries(whole))
      if (Array.isArray(entries) && Object.hasOwn(DOCUMENT_PLACES, list))
        for (const entry of entries) documentsToText(list, entry)
    return whole
  }
  const readDocuments = (text: string) => parseExportText(Buffer.from(text), DOCUMENT_PLACES, keep)
  /**
   * As the CLI reads (bin/cli/read-json.ts): only an entry the reader says it parsed whole has its
   * documents made text after, so these tests also hold the reader to what it says.
   */
  const readAsCli = (text: string) =>
    parseExportText(Buffer.from(text), DOCUMENT_PLACES, (list, entry, _index, documentsAsText) =>
      documentsAsText ? entry : documentsToText(list, entry),
    )

  it('hands out each document as compact JSON text, never built as objects, whatever the indent', () => {
    const raw = generateAccount({ seed: 11, principals: 150, encodedShare: 0.2 })
    for (const indent of [0, 2, '\t']) {
      const text = JSON.stringify(raw, null, indent)
      expect(readDocuments(text)).toEqual(expected(text))
    }
  })

  /** Role entries with documents of any JSON, where an export keeps them and elsewhere. */
  const documentValue = fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.object({ maxDepth: 2 }))
  const item = fc.oneof(
    fc.record({ PolicyName: fc.string(), PolicyDocument: documentValue }, { requiredKeys: [] }),
    fc.jsonValue({ maxDepth: 2 }),
  )
  const role = fc.oneof(
    fc.record(
      {
        RoleName: fc.string(),
        AssumeRolePolicyDocument: documentValue,
        RolePolicyList: fc.oneof(fc.array(item, { maxLength: 3 }), fc.jsonValue({ maxDepth: 1 })),
        Tags: fc.jsonValue({ maxDepth: 2 }),
      },
      { requiredKeys: [] },
    ),
    fc.jsonValue({ maxDepth: 2 }),
  )

  it('reads any entry as JSON.parse does, documents aside, and turns every document it holds into text', () => {
    fc.assert(
      fc.property(fc.array(role, { maxLength: 4 }), fc.constantFrom(0, 2, ' \r\n'), (roles, indent) => {
        const text = JSON.stringify({ RoleDetailList: roles, Other: roles }, null, indent as string | number)
        const parsed = readAsCli(text)
        expect(parsed).toEqual(expected(text))
        // The list of another name is not an export list: its documents stay objects.
        expect(parsed?.Other).toEqual((JSON.parse(text) as { Other: unknown }).Other)
      }),
      { numRuns: 400 },
    )
  })

  it('never reads a damaged export otherwise than JSON.parse: the same entries and documents, or nothing', () => {
    fc.assert(
      fc.property(
        fc.array(role, { minLength: 1, maxLength: 3 }),
        fc.constantFrom(0, 2),
        damageArbitrary,
        (roles, indent, harm) => {
          const text = damage(JSON.stringify({ RoleDetailList: roles }, null, indent), harm)
          const parsed = readAsCli(text)
          // A document's text says what JSON.parse of the whole export reads there, `1e400`
          // included, which JSON.stringify would have turned into null.
          if (parsed !== undefined)
            expect(documentsDecoded(parsed)).toEqual(documentsDecoded(jsonOrUndefined(text)))
        },
      ),
      { numRuns: 3000 },
    )
  })

  it.each([
    [
      'a document key repeated',
      '{"RoleName":"r","AssumeRolePolicyDocument":{"a":1},"AssumeRolePolicyDocument":{"b":2}}',
    ],
    ['a list key repeated', '{"RolePolicyList":[{"PolicyDocument":{"a":1}}],"RolePolicyList":7}'],
    ['a document field repeated', '{"RolePolicyList":[{"PolicyDocument":{"a":1},"PolicyDocument":null}]}'],
    [
      'a key written with an escape',
      '{"Assume\\u0052olePolicyDocument":{"a":1},"AssumeRolePolicyDocument":{"b":2}}',
    ],
    [
      'the same key written later with an escape',
      '{"AssumeRolePolicyDocument":{"a":1},"Assume\\u0052olePolicyDocument":{"b":2}}',
    ],
    [
      'a document field in the items of another list',
      '{"RolePolicyList":[{"PolicyDocument":{"a":1}}],"Tags":[{"PolicyDocument":{"b":2}}]}',
    ],
    ['a document that is a list', '{"AssumeRolePolicyDocument":[1, {"a": [ ]}]}'],
    ['a document that is text already', '{"AssumeRolePolicyDocument":"%7B%7D","RolePolicyList":[]}'],
    ['documents with escapes kept', '{"AssumeRolePolicyDocument":{"S\\u0069d":"\\/x\\""}}'],
  ])('reads an entry with %s as JSON.parse reads it', (_what, entry) => {
    const text = `{"RoleDetailList":[${entry}]}`
    const [read] = (readDocuments(text)?.RoleDetailList ?? []) as Record<string, unknown>[]
    const [whole] = (expected(text).RoleDetailList ?? []) as Record<string, unknown>[]
    expect(Object.keys(read ?? {})).toEqual(Object.keys(whole ?? {}))
    // Texts may keep the escapes of the export: they say what JSON.stringify's say.
    const decoded = (value: unknown) => JSON.parse(JSON.stringify(value), (_key, v) => tryDecode(v))
    expect(decoded(read)).toEqual(decoded(whole))
  })

  it.each([
    [
      'documents read from the bytes',
      '{"AssumeRolePolicyDocument":{"a":1},"RolePolicyList":[{"PolicyDocument":[]}]}',
      true,
    ],
    ['no document', '{"RoleName":"r","RolePolicyList":[]}', true],
    ['documents that are text already', '{"AssumeRolePolicyDocument":"%7B%7D"}', true],
    ['a document key repeated', '{"AssumeRolePolicyDocument":{"a":1},"AssumeRolePolicyDocument":{}}', false],
    ['a key written with an escape', '{"Assume\\u0052olePolicyDocument":{"a":1}}', false],
    ['an entry that is not an object', '[{"AssumeRolePolicyDocument":{"a":1}}]', false],
  ])('says whether an entry with %s has its documents as text already', (_what, entry, asText) => {
    const said: boolean[] = []
    parseExportText(
      Buffer.from(`{"RoleDetailList":[${entry}]}`),
      DOCUMENT_PLACES,
      (_list, read, _index, text) => {
        said.push(text)
        return read
      },
    )
    expect(said).toEqual([asText])
  })

  it('reads entries made mostly of the smallest documents, which their placeholders outgrow', () => {
    const role = { RolePolicyList: Array.from({ length: 500 }, () => ({ PolicyDocument: {} })) }
    const text = JSON.stringify({ RoleDetailList: [role, { ...role, AssumeRolePolicyDocument: [] }] })
    expect(readDocuments(text)).toEqual(expected(text))
  })

  it('never reads a document JSON.parse would refuse: a broken document leaves the whole text to JSON.parse', () => {
    const document = { Version: '2012-10-17', Sid: 'ab', Statement: [], N: 1 }
    const text = JSON.stringify({ RoleDetailList: [{ RoleName: 'r', AssumeRolePolicyDocument: document }] })
    const at = text.indexOf('"Statement"')
    for (const broken of [
      `${text.slice(0, at)}${text.slice(at + 1)}`,
      text.replace('"ab"', '"a\u0001b"'),
      text.replace('"a', '"a\\x'),
      text.replace('[],', '[],,'),
      text.replace(':1}', ':01}'),
    ]) {
      expect(() => JSON.parse(broken)).toThrow(SyntaxError)
      expect(readDocuments(broken)).toBeUndefined()
    }
  })
})

/** A string holding JSON as what it holds; anything else as it is. */
function tryDecode(value: unknown): unknown {
  if (typeof value !== 'string') return value
  try {
    return JSON.parse(value)
  } catch {
    return value
  }
}
