import { mkdirSync, rmSync, symlinkSync, truncateSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseAccountSnapshot } from '#shared/snapshot/parse-snapshot.ts'
import { InputFileError } from '../../../bin/cli/errors.ts'
import {
  describeReadError,
  MAX_INPUT_BYTES,
  readExportBytes,
  readExportFile,
  readJsonFile,
  release,
} from '../../../bin/cli/read-json.ts'
import { writeTempFiles } from './run-built-cli.ts'

/** A role with an object trust policy, a malformed user and a list the reader leaves as it is. */
const EXPORT = {
  AccountId: '111122223333',
  RoleDetailList: [
    {
      RoleName: 'r',
      Arn: 'arn:aws:iam::111122223333:role/r',
      AssumeRolePolicyDocument: { Version: '2012-10-17', Statement: [] },
      RolePolicyList: [{ PolicyName: 'p', PolicyDocument: { Statement: [] } }, { PolicyDocument: {} }],
    },
  ],
  UserDetailList: [{ UserName: 'u' }],
  SupportAppSlackChannelConfigurations: [],
}

let dir = ''
const file = (name: string) => join(dir, name)

beforeAll(() => {
  dir = writeTempFiles({
    'huge.json': '',
    'past-limit.json': '',
    'edge.json': '',
    'ok.json': { a: 1 },
    'blank.json': ' \n\t',
    'bom-only.json': '\uFEFF',
    'bom.json': '\uFEFF{"UserDetailList": []}',
    'broken.json': '{"UserDetailList": [{"UserName": "a"},]}',
    'export.json': EXPORT,
  })
  // Sparse files: as long as stated, no disk space used.
  truncateSync(file('huge.json'), 3 * 1024 * 1_048_576)
  truncateSync(file('past-limit.json'), 630 * 1_048_576)
  truncateSync(file('edge.json'), MAX_INPUT_BYTES + 1)
  mkdirSync(file('folder.json'))
  symlinkSync(file('loop'), file('loop'))
})

afterAll(() => {
  rmSync(dir, { recursive: true, force: true })
})

type Reader = typeof readJsonFile

async function failureOfWith(path: string, reader: Reader): Promise<InputFileError> {
  const error = await reader(path, 'snapshot').then(
    () => undefined,
    (thrown: unknown) => thrown,
  )
  expect(error).toBeInstanceOf(InputFileError)
  return error as InputFileError
}

describe.each([
  ['readJsonFile', readJsonFile],
  ['readExportFile', readExportFile],
])('%s', (_name, reader) => {
  const failureOf = (path: string) => failureOfWith(path, reader)

  it('reads and parses a JSON file', async () => {
    expect(await reader(file('ok.json'), 'snapshot')).toEqual({ a: 1 })
  })

  it.each([
    ['blank.json', /^snapshot \S+blank\.json is empty$/],
    ['bom-only.json', /^snapshot \S+bom-only\.json is empty$/],
    ['bom.json', /^snapshot \S+bom\.json is not valid JSON: Unexpected token/],
    ['broken.json', /^snapshot \S+broken\.json is not valid JSON: /],
  ])('words %s as JSON.parse and the emptiness check always did', async (name, message) => {
    expect((await failureOf(file(name))).message).toMatch(message)
  })

  it('says how large a file over the limit is, and the limit', async () => {
    expect((await failureOf(file('past-limit.json'))).message).toBe(
      `snapshot ${file('past-limit.json')} is 630 MB; the limit is 512 MB`,
    )
  })

  it('checks the size before reading: a 3 GB file, which Node could not even read, gets the same message', async () => {
    expect((await failureOf(file('huge.json'))).message).toMatch(/ is 3072 MB; the limit is 512 MB$/)
  })

  it('counts bytes just past the limit, where megabytes would round to the limit itself', async () => {
    expect((await failureOf(file('edge.json'))).message).toMatch(
      new RegExp(
        ` is ${(MAX_INPUT_BYTES + 1).toLocaleString('en-US')} bytes; the limit is ${MAX_INPUT_BYTES.toLocaleString('en-US')} bytes$`,
      ),
    )
  })

  it.each([
    ['a missing file', 'absent.json', /^cannot read snapshot \S+absent\.json: no such file$/],
    ['a directory', 'folder.json', /^snapshot \S+folder\.json is a directory, not a file$/],
    ['a symbolic link to itself', 'loop', /^cannot read snapshot \S+loop: too many symbolic links$/],
    [
      'a path through a file',
      'ok.json/inner.json',
      /: no such file \(a part of the path is not a directory\)$/,
    ],
  ])('names %s in words', async (_name, path, message) => {
    expect((await failureOf(file(path))).message).toMatch(message)
  })
})

describe('readExportFile', () => {
  it('reads into the snapshot JSON.parse of the whole file reads into, with the documents as their JSON text', async () => {
    const streamed = parseAccountSnapshot(await readExportFile(file('export.json'), 'snapshot'))
    expect(streamed).toEqual(parseAccountSnapshot(JSON.parse(JSON.stringify(EXPORT), documentsAsText)))
    expect(streamed.roles[0]?.trustPolicy).toBe('{"Version":"2012-10-17","Statement":[]}')
    expect(streamed.issues?.map((issue) => issue.path)).toEqual(['UserDetailList[0]', 'RoleDetailList[0]'])
  })
})

describe('readExportBytes', () => {
  it('releases the bytes of an export it read entry by entry, and what it read stands without them', () => {
    const bytes = Buffer.from(new TextEncoder().encode(JSON.stringify(EXPORT)).buffer)
    const read = parseAccountSnapshot(readExportBytes(bytes, 'export.json', 'snapshot'))
    expect(bytes.length).toBe(0)
    expect(read).toEqual(parseAccountSnapshot(JSON.parse(JSON.stringify(EXPORT), documentsAsText)))
  })

  it('keeps the bytes of a file it reads whole (not an object), which are then its text', () => {
    const bytes = Buffer.from(new TextEncoder().encode('[1, 2]').buffer)
    expect(readExportBytes(bytes, 'other.json', 'snapshot')).toEqual([1, 2])
    expect(bytes.toString()).toBe('[1, 2]')
  })
})

describe('release', () => {
  it("frees the bytes of a Buffer that owns its whole ArrayBuffer, as a file's Buffer does", () => {
    const bytes = Buffer.from(new ArrayBuffer(1024))
    release(bytes)
    expect(bytes.buffer.byteLength).toBe(0)
    expect(bytes.length).toBe(0)
  })

  it("leaves a Buffer that shares its ArrayBuffer (a slice of Node's pool, a view) as it is", () => {
    const pooled = Buffer.from('{"UserDetailList": []}')
    expect(pooled.byteLength).toBeLessThan(pooled.buffer.byteLength)
    const whole = Buffer.alloc(64, 1)
    const view = whole.subarray(0, 32)
    release(pooled)
    release(view)
    expect(pooled.toString()).toBe('{"UserDetailList": []}')
    expect(whole.length).toBe(64)
    expect(whole.every((byte) => byte === 1)).toBe(true)
    expect(view.length).toBe(32)
  })
})

/** What documentsToText does, as a JSON.parse reviver: the documents of EXPORT as text. */
function documentsAsText(key: string, value: unknown): unknown {
  return ['AssumeRolePolicyDocument', 'PolicyDocument'].includes(key) && typeof value === 'object'
    ? JSON.stringify(value)
    : value
}

describe('describeReadError', () => {
  const errno = (code: string) => Object.assign(new Error(`${code}: raw system message`), { code })

  it.each([
    ['ENOENT', 'no such file'],
    ['EACCES', 'permission denied'],
    ['EPERM', 'permission denied'],
    ['EISDIR', 'it is a directory, not a file'],
    ['EMFILE', 'too many open files'],
    ['EIO', 'EIO (EIO: raw system message)'],
  ])('%s reads as "%s"', (code, words) => {
    expect(describeReadError(errno(code))).toBe(words)
  })

  it('keeps the message of an error without a code', () => {
    expect(describeReadError(new Error('disk on fire'))).toBe('disk on fire')
    expect(describeReadError('?')).toBe('read failed')
  })
})
