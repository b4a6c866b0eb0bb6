import {
  BACKSLASH,
  CLOSE_ARRAY,
  CLOSE_OBJECT,
  COLON,
  COMMA,
  compactJsonText,
  JsonChecker,
  OPEN_ARRAY,
  OPEN_OBJECT,
  QUOTE,
  skipSpace,
} from './json-bytes.ts'

/**
 * Where the entries of one list of an export hold policy documents: fields of the entry itself,
 * and fields of the items of its lists (`[list field, document field]`).
 */
export interface DocumentPlaces {
  readonly own: readonly string[]
  readonly items: readonly (readonly [string, string])[]
}

/**
 * What parseExportText hands each entry to: `documentsAsText` is true when every document the
 * entry holds where its list's places say is already text (read straight from the bytes), false
 * when the entry was parsed whole and its documents may still be objects.
 */
export type EntryMapper = (list: string, entry: unknown, index: number, documentsAsText: boolean) => unknown

/**
 * Reads the JSON text of an export list entry by list entry, so a large export never exists
 * as one tree of objects: each entry of the lists `lists` names is parsed on its own and handed
 * to `mapEntry` with its index in the list, whose result replaces it, and the parsed entry can be
 * collected at once. The policy documents an entry holds where its list's places say (objects
 * or lists, not text) come out as their JSON text without the space between tokens, read
 * straight from the bytes: their objects are never built. Otherwise what comes out is what
 * `JSON.parse` of the whole text gives, with each entry mapped.
 *
 * Only the layout IAM exports have is read this way: a top-level object whose lists are
 * arrays. Anything else (another top-level value, text that is not JSON) gives undefined, and
 * the caller parses the whole text, so that its errors are worded by `JSON.parse` as always.
 */
export function parseExportText(
  bytes: Buffer,
  lists: Readonly<Record<string, DocumentPlaces>>,
  mapEntry: EntryMapper,
): Record<string, unknown> | undefined {
  const scanner = new Scanner(bytes)
  try {
    return scanner.readTop(lists, mapEntry)
  } catch (error) {
    if (error instanceof LayoutError || error instanceof SyntaxError) return undefined
    throw error
  }
}

class LayoutError extends Error {}

class Scanner {
  #at = 0
  readonly #documents: JsonChecker
  /** Each distinct document text read. */
  readonly #texts = new Map<string, string>()
  /** Where compactJsonText puts an indented document's bytes without its indentation. */
  #compact = new Uint8Array(0)
  /** Where readEntry copies an entry's bytes with its documents left out. */
  #spliced = Buffer.alloc(0)
  /** Whether the entry readEntry parsed last has its documents as text (see EntryMapper). */
  #documentsAsText = false
  constructor(private readonly bytes: Buffer) {
    this.#documents = new JsonChecker(bytes)
  }

  readTop(lists: Readonly<Record<string, DocumentPlaces>>, mapEntry: EntryMapper): Record<string, unknown> {
    const result: Record<string, unknown> = {}
    this.#expect(OPEN_OBJECT)
    if (this.#peek() === CLOSE_OBJECT) {
      this.#at++
    } else {
      for (;;) {
        const keyStart = this.#skipSpace()
        const keyEnd = this.#endOfString(keyStart)
        const key: unknown = JSON.parse(this.#text(keyStart, keyEnd))
        if (typeof key !== 'string') throw new LayoutError()
        this.#at = keyEnd
        this.#expect(COLON)
        const start = this.#skipSpace()
        const places = Object.hasOwn(lists, key) ? lists[key] : undefined
        const value =
          places !== undefined && this.bytes[start] === OPEN_ARRAY
            ? this.#readList(key, new EntryLayout(places), mapEntry)
            : this.#parseValue(start)
        Object.defineProperty(result, key, { value, enumerable: true, writable: true, configurable: true })
        const next = this.#next()
        if (next === CLOSE_OBJECT) break
        if (next !== COMMA) throw new LayoutError()
      }
    }
    if (this.#skipSpace() !== this.bytes.length) throw new LayoutError()
    return result
  }

  #readList(list: string, layout: EntryLayout, mapEntry: EntryMapper): unknown[] {
    const entries: unknown[] = []
    this.#expect(OPEN_ARRAY)
    if (this.#peek() === CLOSE_ARRAY) {
      this.#at++
      return entries
    }
    for (;;) {
      const entry = this.#readEntry(this.#skipSpace(), layout)
      entries.push(mapEntry(list, entry, entries.length, this.#documentsAsText))
      const next = this.#next()
      if (next === CLOSE_ARRAY) return entries
      if (next !== COMMA) throw new LayoutError()
    }
  }

  /**
   * Parses the entry starting at `start` and moves past it, with its documents as text: the
   * entry's text is parsed with `null` where each document is, and each `null` is then replaced
   * by the document's text. An entry whose keys are written with escapes, or that repeats a key
   * holding documents, is parsed whole: JSON.parse would read such keys otherwise than the bytes
   * spell them. Its documents stay objects, for the caller to turn into text.
   */
  #readEntry(start: number, layout: EntryLayout): unknown {
    const documents = this.bytes[start] === OPEN_OBJECT ? this.#findDocuments(start, layout) : undefined
    this.#documentsAsText = documents !== undefined
    if (documents === undefined) return this.#parseValue(start)
    const end = this.#at
    if (documents.length === 0) return JSON.parse(this.#text(start, end))
    // The entry's bytes with `null` for each document, copied into a buffer kept for the next.
    // A document takes 2 bytes at least (`{}`), `null` 4.
    const needed = end - start + 2 * documents.length
    if (this.#spliced.length < needed)
      this.#spliced = Buffer.allocUnsafe(Math.max(needed, 2 * this.#spliced.length))
    const spliced = this.#spliced
    let length = 0
    let from = start
    for (const document of documents) {
      length += this.bytes.copy(spliced, length, from, document.start)
      length += spliced.write('null', length, 'latin1')
      from = document.end
    }
    length += this.bytes.copy(spliced, length, from, end)
    const entry: unknown = JSON.parse(spliced.toString('utf8', 0, length))
    for (const document of documents) placeDocument(entry, document)
    return entry
  }

  /**
   * The documents of the entry at `start`, where the layout puts them, and moves past the entry;
   * undefined when the entry must be parsed whole (see readEntry). One pass over the entry's
   * bytes, as endOfValue makes: keys are looked at only at the depths documents sit at, the
   * entry's own (1) and that of the items of a list holding them (3).
   */
  #findDocuments(start: number, layout: EntryLayout): FoundDocument[] | undefined {
    const { bytes } = this
    const found: FoundDocument[] = []
    /** One bit per key of the layout met in the entry: a key met twice leaves the entry whole. */
    let seen = 0
    let depth = 0
    /**
     * The list of items holding documents that is being read (at depth 2), which of its items,
     * and whether that item had its document yet.
     */
    let list: KeyName | undefined
    let index = 0
    let itemHasDocument = false
    for (let at = start; at < bytes.length; at++) {
      const byte = bytes[at] as number
      // Space, and the control bytes JSON.parse refuses outside strings: nothing to follow.
      if (byte <= 0x20) continue
      if (byte === QUOTE) {
        // The key or string value runs from `open` to `end`, quotes included.
        const open = at
        const end = this.#endOfString(open)
        at = end - 1
        const field = depth === 3 ? list?.field : undefined
        if (depth !== 1 && field === undefined) continue
        const colon = skipSpace(bytes, end)
        // A string followed by a colon is a key.
        if (bytes[colon] !== COLON) continue
        if (this.#hasBackslash(open + 1, end - 1)) return undefined
        const valueStart = skipSpace(bytes, colon + 1)
        if (field !== undefined) {
          if (!this.#isName(open + 1, end - 1, field)) continue
          if (itemHasDocument) return undefined
          itemHasDocument = true
          at = this.#document(valueStart, found, list?.text, index, field.text) - 1
          continue
        }
        const which = this.#nameOf(open + 1, end - 1, layout.keys)
        if (which < 0) continue
        if (seen & (1 << which)) return undefined
        seen |= 1 << which
        const key = layout.keys[which] as KeyName
        if (key.field === undefined) at = this.#document(valueStart, found, undefined, 0, key.text) - 1
        else if (bytes[valueStart] === OPEN_ARRAY) {
          list = key
          index = 0
          depth = 2
          at = valueStart
        }
      } else if (byte === OPEN_OBJECT || byte === OPEN_ARRAY) {
        depth++
        if (depth === 3) itemHasDocument = false
      } else if (byte === CLOSE_OBJECT || byte === CLOSE_ARRAY) {
        depth--
        if (depth === 0) {
          this.#at = at + 1
          return found
        }
        if (depth === 1) list = undefined
      } else if (byte === COMMA && depth === 2) index++
    }
    throw new LayoutError()
  }

  /** Which of `names` the key written between `start` and `end` (its quotes left out) is: its index, or -1. */
  #nameOf(start: number, end: number, names: readonly KeyName[]): number {
    for (let index = 0; index < names.length; index++)
      if (this.#isName(start, end, names[index] as KeyName)) return index
    return -1
  }

  #isName(start: number, end: number, name: KeyName): boolean {
    const { bytes } = this
    if (name.bytes.length !== end - start) return false
    for (let index = 0; index < name.bytes.length; index++)
      if (bytes[start + index] !== name.bytes[index]) return false
    return true
  }

  /**
   * Notes the value at `start` as a document when it is an object or a list, checked as JSON;
   * any other value is left to JSON.parse. Returns the end of the document, or `start` for
   * another value, whose bytes are then read as the rest of the entry's.
   */
  #document(
    start: number,
    found: FoundDocument[],
    list: string | undefined,
    index: number,
    key: string,
  ): number {
    const first = this.bytes[start]
    if (first !== OPEN_OBJECT && first !== OPEN_ARRAY) return start
    const span = this.#documents.check(start)
    if (span === undefined) throw new SyntaxError('a policy document is not valid JSON')
    const size = span.end - start
    if (span.spaces > 0 && this.#compact.length < size)
      this.#compact = new Uint8Array(Math.max(size, 2 * this.#compact.length))
    const text = compactJsonText(this.bytes, start, span, this.#compact)
    // Equal documents share one string: accounts repeat documents, and the copies would be held.
    let shared = this.#texts.get(text)
    if (shared === undefined) {
      shared = text
      this.#texts.set(text, text)
    }
    found.push({ start, end: span.end, text: shared, list, index, key })
    return span.end
  }

  #hasBackslash(start: number, end: number): boolean {
    for (let at = start; at < end; at++) if (this.bytes[at] === BACKSLASH) return true
    return false
  }

  /** Parses the value starting at `start` and moves past it. */
  #parseValue(start: number): unknown {
    const end = this.#endOfValue(start)
    this.#at = end
    return JSON.parse(this.#text(start, end))
  }

  #endOfValue(start: number): number {
    const { bytes } = this
    const first = bytes[start]
    if (first === QUOTE) return this.#endOfString(start)
    if (first !== OPEN_OBJECT && first !== OPEN_ARRAY) {
      // A number, true, false or null: JSON.parse checks it.
      let end = start
      while (end < bytes.length && !isDelimiter(bytes[end] as number)) end++
      if (end === start) throw new LayoutError()
      return end
    }
    let depth = 0
    for (let at = start; at < bytes.length; at++) {
      const byte = bytes[at]
      if (byte === QUOTE) at = this.#endOfString(at) - 1
      else if (byte === OPEN_OBJECT || byte === OPEN_ARRAY) depth++
      else if (byte === CLOSE_OBJECT || byte === CLOSE_ARRAY) {
        depth--
        if (depth === 0) return at + 1
      }
    }
    throw new LayoutError()
  }

  /** The index just past the closing quote of the string that opens at `start`. */
  #endOfString(start: number): number {
    const { bytes } = this
    if (bytes[start] !== QUOTE) throw new LayoutError()
    let at = start + 1
    for (;;) {
      const quote = bytes.indexOf(QUOTE, at)
      if (quote < 0) throw new LayoutError()
      let backslashes = 0
      while (bytes[quote - 1 - backslashes] === BACKSLASH) backslashes++
      if (backslashes % 2 === 0) return quote + 1
      at = quote + 1
    }
  }

  #text(start: number, end: number): string {
    return this.bytes.toString('utf8', start, end)
  }

  #skipSpace(): number {
    const { bytes } = this
    while (this.#at < bytes.length && isSpace(bytes[this.#at] as number)) this.#at++
    return this.#at
  }

  #peek(): number | undefined {
    return this.bytes[this.#skipSpace()]
  }

  #next(): number | undefined {
    const byte = this.#peek()
    this.#at++
    return byte
  }

  #expect(byte: number): void {
    if (this.#next() !== byte) throw new LayoutError()
  }
}

/** A key of an entry, as text and as the bytes a key is compared with. */
interface KeyName {
  readonly text: string
  readonly bytes: Uint8Array
  /** For a list of items: the key of the document in each item. */
  readonly field?: KeyName
}

/** A list's document places, as keys to compare an entry's keys with. */
class EntryLayout {
  readonly keys: readonly KeyName[]
  constructor(places: DocumentPlaces) {
    const name = (text: string) => ({ text, bytes: Buffer.from(text) })
    this.keys = [
      ...places.own.map(name),
      ...places.items.map(([list, field]) => ({ ...name(list), field: name(field) })),
    ]
  }
}

/** A document found in an entry's bytes, and where JSON.parse of the entry puts its `null`. */
interface FoundDocument {
  readonly start: number
  readonly end: number
  readonly text: string
  /** The list of items holding it, and which item; undefined for a field of the entry itself. */
  readonly list: string | undefined
  readonly index: number
  readonly key: string
}

function placeDocument(entry: unknown, document: FoundDocument): void {
  const holder = (
    document.list === undefined
      ? entry
      : (entry as Record<string, unknown[]>)[document.list]?.[document.index]
  ) as Record<string, unknown> | undefined
  if (holder?.[document.key] !== null)
    throw new Error(`the placeholder of ${document.key} is not where it was put`)
  holder[document.key] = document.text
}

function isSpace(byte: number): boolean {
  return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09
}

function isDelimiter(byte: number): boolean {
  return byte === COMMA || byte === CLOSE_OBJECT || byte === CLOSE_ARRAY || isSpace(byte)
}
