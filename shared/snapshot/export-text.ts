/**
 * Reads the JSON text of an export list entry by list entry, so a large export never exists
 * as one tree of objects: each entry of the known lists is parsed on its own and handed to
 * `mapEntry` with its index in the list, whose result replaces it, and the parsed entry can be collected at once. What
 * comes out is what `JSON.parse` of the whole text gives, with each entry mapped.
 *
 * Only the layout IAM exports have is read this way: a top-level object whose lists are
 * arrays. Anything else (another top-level value, text that is not JSON) gives undefined, and
 * the caller parses the whole text, so that its errors are worded by `JSON.parse` as always.
 */
export function parseExportText(
  bytes: Buffer,
  lists: ReadonlySet<string>,
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
    lists: ReadonlySet<string>,
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
        const value =
          lists.has(key) && this.bytes[start] === OPEN_ARRAY
            ? this.#readList(key, mapEntry)
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

  #readList(list: string, mapEntry: (list: string, entry: unknown, index: number) => unknown): unknown[] {
    const entries: unknown[] = []
    this.#expect(OPEN_ARRAY)
    if (this.#peek() === CLOSE_ARRAY) {
      this.#at++
      return entries
    }
    for (;;) {
      entries.push(mapEntry(list, this.#parseValue(this.#skipSpace()), entries.length))
      const next = this.#next()
      if (next === CLOSE_ARRAY) return entries
      if (next !== COMMA) throw new LayoutError()
    }
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

function isSpace(byte: number): boolean {
  return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09
}

function isDelimiter(byte: number): boolean {
  return byte === COMMA || byte === CLOSE_OBJECT || byte === CLOSE_ARRAY || isSpace(byte)
}
