import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { DOCUMENT_LISTS, documentsToText } from '#shared/snapshot/document-text.ts'
import { parseExportText } from '#shared/snapshot/export-text.ts'
import { parseAccountSnapshot } from '#shared/snapshot/parse-snapshot.ts'
import { generateAccount } from '#test-support/synthetic/synthetic-account.ts'

const LISTS = new Set(['UserDetailList', 'RoleDetailList', 'Policies'])
const keep = (_list: string, entry: unknown) => entry
const read = (text: string, lists: ReadonlySet<string> = LISTS) =>
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
      new Set(['RoleDetailList']),
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
        let expected: unknown
        try {
          expected = JSON.parse(text)
        } catch {
          expected = undefined
        }
        const parsed = read(text)
        if (parsed !== undefined) expect(parsed).toEqual(expected)
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
    const streamed = parseExportText(Buffer.from(text), DOCUMENT_LISTS, documentsToText)
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
