import { constants } from 'node:buffer'
import { readFileSync, statSync } from 'node:fs'
import { DOCUMENT_PLACES, documentsToText } from '#shared/snapshot/document-text.ts'
import { parseExportText } from '#shared/snapshot/export-text.ts'
import { readExportEntry } from '#shared/snapshot/parse-snapshot.ts'
import { InputFileError } from './errors.ts'

const MB = 1_048_576

/**
 * The largest file read: a file that is not an export in IAM's layout is held as one
 * JavaScript string, and V8 caps a string just under 512 MB (`buffer.constants.MAX_STRING_LENGTH`);
 * a larger file could not be parsed at all. IAM's quotas keep a real account's export far
 * below it (the resource bounds measure 50 MB for 54,000 principals), and the audit needs
 * several times the export in memory, so a file near the limit also needs a heap raised with
 * NODE_OPTIONS=--max-old-space-size.
 */
export const MAX_INPUT_BYTES = Math.min(512 * MB, constants.MAX_STRING_LENGTH)

/**
 * Reads and parses a JSON file, turning every failure into one clear InputFileError: a
 * missing file, a directory, a file it may not read, one too large to hold, an empty one, or
 * text that is not JSON. The size is checked before anything is read.
 */
export async function readJsonFile(path: string, what: string): Promise<unknown> {
  return parseJsonText(decodeText(readFileBytes(path, what), path, what), path, what)
}

/**
 * Reads an account export as readJsonFile does, entry by entry where the export has IAM's
 * layout: the whole text is never one tree of objects, policy documents are kept as their
 * JSON text (see parseExportText and documentsToText), and each user, group, role and managed
 * policy is read into its record as soon as it is parsed (readExportEntry), for
 * parseAccountSnapshot to take. Any other layout, and any text that is not JSON, goes the way
 * of readJsonFile, with the same errors.
 */
export async function readExportFile(path: string, what: string): Promise<unknown> {
  return readExportBytes(readFileBytes(path, what), path, what)
}

/**
 * readExportFile once the file is read: `bytes` are the file's, and are released once read
 * entry by entry (see release).
 */
export function readExportBytes(bytes: Buffer, path: string, what: string): unknown {
  const streamed = bytes.length > 0 ? parseExportText(bytes, DOCUMENT_PLACES, readEntryOfExport) : undefined
  if (streamed === undefined) return parseJsonText(decodeText(bytes, path, what), path, what)
  release(bytes)
  return streamed
}

/**
 * Gives the file's bytes back as soon as they are read. The Buffer has lived through the whole
 * read, so V8 has moved it to its old generation, and its bytes (outside the heap, the size of
 * the file) would stay until a full collection, which may come after the audit's peak: 28 MB
 * of the peak for a 12,000-principal export. Its ArrayBuffer is detached instead, by
 * transferring it to a copy dropped at once, and the next minor collection frees the bytes.
 * Only a Buffer that owns its whole ArrayBuffer is detached: a slice of Node's shared pool is
 * not this reader's to free. Everything read from the bytes is a string or object of its own.
 */
export function release(bytes: Buffer): void {
  const whole = bytes.buffer
  if (!(whole instanceof ArrayBuffer) || bytes.byteOffset !== 0 || bytes.byteLength !== whole.byteLength)
    return
  structuredClone(whole, { transfer: [whole] })
}

function readEntryOfExport(list: string, entry: unknown, index: number, documentsAsText: boolean): unknown {
  return readExportEntry(list, documentsAsText ? entry : documentsToText(list, entry), index)
}

/**
 * The file's bytes, read at once: the CLI has nothing else to do meanwhile, and an asynchronous
 * read goes back and forth with the thread pool for each 512 KB, idle in between (about 10 ms
 * of a 20 MB export).
 */
function readFileBytes(path: string, what: string): Buffer {
  try {
    const info = statSync(path)
    if (info.isDirectory()) throw new InputFileError(`${what} ${path} is a directory, not a file`)
    if (info.isFile() && info.size > MAX_INPUT_BYTES) throw tooLarge(path, what, info.size)
    return readFileSync(path)
  } catch (error) {
    if (error instanceof InputFileError) throw error
    if (error instanceof RangeError) throw tooLarge(path, what, undefined, error)
    throw new InputFileError(`cannot read ${what} ${path}: ${describeReadError(error)}`, { cause: error })
  }
}

function decodeText(bytes: Buffer, path: string, what: string): string {
  try {
    return bytes.toString('utf8')
  } catch (error) {
    // Decoded text longer than V8 allows (a file that grew after the size was checked).
    if (error instanceof RangeError || (isErrno(error) && error.code === 'ERR_STRING_TOO_LONG'))
      throw tooLarge(path, what, undefined, error)
    throw error
  }
}

function parseJsonText(text: string, path: string, what: string): unknown {
  if (text.trim() === '') throw new InputFileError(`${what} ${path} is empty`)
  try {
    return JSON.parse(text) as unknown
  } catch (error) {
    throw new InputFileError(`${what} ${path} is not valid JSON: ${(error as Error).message}`, {
      cause: error,
    })
  }
}

/** Why a file could not be read, in words: the system error code says it only to a programmer. */
export function describeReadError(error: unknown): string {
  const code = isErrno(error) ? error.code : undefined
  switch (code) {
    case 'ENOENT':
      return 'no such file'
    case 'ENOTDIR':
      return 'no such file (a part of the path is not a directory)'
    case 'EACCES':
    case 'EPERM':
      return 'permission denied'
    case 'EISDIR':
      return 'it is a directory, not a file'
    case 'ELOOP':
      return 'too many symbolic links'
    case 'ENAMETOOLONG':
      return 'the path is too long'
    case 'EMFILE':
    case 'ENFILE':
      return 'too many open files'
    case undefined:
      return error instanceof Error ? error.message : 'read failed'
    default:
      return `${code}${error instanceof Error ? ` (${error.message})` : ''}`
  }
}

function tooLarge(path: string, what: string, size: number | undefined, cause?: unknown): InputFileError {
  const options = cause === undefined ? {} : { cause }
  const limit = Math.round(MAX_INPUT_BYTES / MB)
  if (size === undefined)
    return new InputFileError(`${what} ${path} is too large to read; the limit is ${limit} MB`, options)
  const megabytes = Math.round(size / MB)
  // Just above the limit, megabytes would read "512 MB; the limit is 512 MB": count bytes there.
  const sizes =
    megabytes > limit
      ? `${megabytes} MB; the limit is ${limit} MB`
      : `${size.toLocaleString('en-US')} bytes; the limit is ${MAX_INPUT_BYTES.toLocaleString('en-US')} bytes`
  return new InputFileError(`${what} ${path} is ${sizes}`, options)
}

function isErrno(error: unknown): error is NodeJS.ErrnoException {
  return error instanceof Error && typeof (error as NodeJS.ErrnoException).code === 'string'
}
