import { checkJsonValue, compactJsonText } from './json-bytes.ts'

/**
 * Where the entries of one list of an export hold policy documents: fields of the entry itself,
 * and fields of the items of its lists (`[list field, document field]`).
 */
export interface DocumentPlaces {
  readonly own: readonly string[]
  readonly items: readonly (readonly [string, string])[]
}

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
  mapEntry: (list: string, entry: unknown, index: number) => unknown,
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

const QUOTE = 0x22
const BACKSLASH = 0x5c
const COMMA = 0x2c
const COLON = 0x3a
const OPEN_OBJECT = 0x7b
const CLOSE_OBJECT = 0x7d
const OPEN_ARRAY = 0x5b
const CLOSE_ARRAY = 0x5d

class Scanner {
  #at = 0
  constructor(private readonly bytes: Buffer) {}

  readTop(
    lists: Readonly<Record<string, DocumentPlaces>>,
    mapEntry: (list: string, entry: unknown, index: number) => unknown,
  ): Record<string, unknown> {
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

  #readList(
    list: string,
    layout: EntryLayout,
    mapEntry: (list: string, entry: unknown, index: number) => unknown,
  ): unknown[] {
    const entries: unknown[] = []
    this.#expect(OPEN_ARRAY)
    if (this.#peek() === CLOSE_ARRAY) {
      this.#at++
      return entries
    }
    for (;;) {
      entries.push(mapEntry(list, this.#readEntry(this.#skipSpace(), layout), entries.length))
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
    if (documents === undefined) return this.#parseValue(start)
    const end = this.#at
    if (documents.length === 0) return JSON.parse(this.#text(start, end))
    let text = ''
    let from = start
    for (const document of documents) {
      text += `${this.#text(from, document.start)}null`
      from = document.end
    }
    const entry: unknown = JSON.parse(text + this.#text(from, end))
    for (const document of documents) document.place(entry)
    return entry
  }

  /**
   * The documents of the entry at `start`, where the layout puts them, and moves past the entry;
   * undefined when the entry must be parsed whole (see readEntry).
   */
  #findDocuments(start: number, layout: EntryLayout): FoundDocument[] | undefined {
    const found: FoundDocument[] = []
    const seen = new Set<KeyName>()
    const end = this.#walkObject(start, (keyStart, keyEnd, valueStart) => {
      const key = this.#nameOf(keyStart, keyEnd, layout.keys)
      if (key === undefined) return this.#endOfValue(valueStart)
      if (seen.has(key)) return undefined
      seen.add(key)
      if (key.field === undefined) return this.#document(valueStart, found, (entry) => entry, key.text)
      return this.bytes[valueStart] === OPEN_ARRAY
        ? this.#itemDocuments(valueStart, key.text, key.field, found)
        : this.#endOfValue(valueStart)
    })
    if (end === undefined) return undefined
    this.#at = end
    return found
  }

  /** The documents in the field `field` of the items of the list `list`, which starts at `start`. */
  #itemDocuments(start: number, list: string, field: KeyName, found: FoundDocument[]): number | undefined {
    const fields = [field]
    let index = 0
    this.#at = start + 1
    if (this.#peek() === CLOSE_ARRAY) return this.#at + 1
    for (;;) {
      const itemStart = this.#skipSpace()
      const position = index++
      const itemOf = (entry: unknown) => ((entry as Record<string, unknown[]>)[list] as unknown[])[position]
      let seen = false
      const itemEnd =
        this.bytes[itemStart] === OPEN_OBJECT
          ? this.#walkObject(itemStart, (keyStart, keyEnd, valueStart) => {
              if (this.#nameOf(keyStart, keyEnd, fields) === undefined) return this.#endOfValue(valueStart)
              if (seen) return undefined
              seen = true
              return this.#document(valueStart, found, itemOf, field.text)
            })
          : this.#endOfValue(itemStart)
      if (itemEnd === undefined) return undefined
      this.#at = itemEnd
      const next = this.#next()
      if (next === CLOSE_ARRAY) return this.#at
      if (next !== COMMA) throw new LayoutError()
    }
  }

  /** Which of `names` the key written between `start` and `end` (its quotes left out) is. */
  #nameOf(start: number, end: number, names: readonly KeyName[]): KeyName | undefined {
    const { bytes } = this
    search: for (const name of names) {
      if (name.bytes.length !== end - start) continue
      for (let index = 0; index < name.bytes.length; index++)
        if (bytes[start + index] !== name.bytes[index]) continue search
      return name
    }
    return undefined
  }

  /**
   * Notes the value at `start` as a document when it is an object or a list, checked as JSON;
   * any other value is left to JSON.parse. Returns the end of the value.
   */
  #document(
    start: number,
    found: FoundDocument[],
    holderOf: (entry: unknown) => unknown,
    key: string,
  ): number {
    const first = this.bytes[start]
    if (first !== OPEN_OBJECT && first !== OPEN_ARRAY) return this.#endOfValue(start)
    const span = checkJsonValue(this.bytes, start)
    if (span === undefined) throw new SyntaxError('a policy document is not valid JSON')
    const text = compactJsonText(this.bytes, start, span)
    found.push({
      start,
      end: span.end,
      place: (entry) => {
        const holder = holderOf(entry) as Record<string, unknown>
        if (holder[key] !== null) throw new Error(`the placeholder of ${key} is not where it was put`)
        holder[key] = text
      },
    })
    return span.end
  }

  /**
   * Walks the members of the object at `start`, handing where each key's text lies (its quotes
   * left out) and where its value starts to `member`, which returns the end of the value, or
   * undefined to stop the walk. Returns the end of the object, or undefined when the walk was
   * stopped or a key is written with escapes.
   */
  #walkObject(
    start: number,
    member: (keyStart: number, keyEnd: number, valueStart: number) => number | undefined,
  ): number | undefined {
    this.#at = start + 1
    if (this.#peek() === CLOSE_OBJECT) return this.#at + 1
    for (;;) {
      const keyStart = this.#skipSpace()
      const keyEnd = this.#endOfString(keyStart)
      if (this.#hasBackslash(keyStart + 1, keyEnd - 1)) return undefined
      this.#at = keyEnd
      this.#expect(COLON)
      const valueEnd = member(keyStart + 1, keyEnd - 1, this.#skipSpace())
      if (valueEnd === undefined) return undefined
      this.#at = valueEnd
      const next = this.#next()
      if (next === CLOSE_OBJECT) return this.#at
      if (next !== COMMA) throw new LayoutError()
    }
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

/** A document found in an entry's bytes, and how to put its text where JSON.parse put `null`. */
interface FoundDocument {
  readonly start: number
  readonly end: number
  readonly place: (entry: unknown) => void
}

function isSpace(byte: number): boolean {
  return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09
}

function isDelimiter(byte: number): boolean {
  return byte === COMMA || byte === CLOSE_OBJECT || byte === CLOSE_ARRAY || isSpace(byte)
}
