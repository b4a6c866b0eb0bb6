/**
 * JSON text read straight from the bytes of a file, without building any value: where a value
 * ends, whether `JSON.parse` would take it, and the value as compact text. The export reader uses
 * it for policy documents, which the audit keeps as text (see parseExportText): building each
 * document's objects only to write them back as text cost about as much as parsing the rest of
 * the export, and the objects were garbage at once.
 */

/** The bytes of JSON's structure, for the readers of JSON bytes. */
export const QUOTE = 0x22
export const BACKSLASH = 0x5c
export const COMMA = 0x2c
export const COLON = 0x3a
export const OPEN_OBJECT = 0x7b
export const CLOSE_OBJECT = 0x7d
export const OPEN_ARRAY = 0x5b
export const CLOSE_ARRAY = 0x5d
const MINUS = 0x2d
const PLUS = 0x2b
const DOT = 0x2e
const ZERO = 0x30
const NINE = 0x39
const LOWER_E = 0x65
const UPPER_E = 0x45
const LOWER_U = 0x75

/** The bytes each literal is spelled with, by its first byte. */
const LITERALS: ReadonlyMap<number, Uint8Array> = new Map(
  ['true', 'false', 'null'].map((word) => [word.charCodeAt(0), Buffer.from(word)]),
)

/** The letters that may follow a backslash in a JSON string, other than `u`. */
const SIMPLE_ESCAPES = new Set([...'"\\/bfnrt'].map((letter) => letter.charCodeAt(0)))

/** One JSON value found in a buffer: where it ends, and how much space between its tokens. */
export interface JsonValueSpan {
  /** Index just past the value's last byte. */
  readonly end: number
  /** Bytes of white space between its tokens: 0 for compact text. */
  readonly spaces: number
}

/**
 * Checks the JSON value that starts at `start` (its first byte, not space) as `JSON.parse`
 * does: the same grammar, the same four white-space bytes. Any byte of 0x80 and above is taken
 * inside a string, as `JSON.parse` takes the text `toString('utf8')` makes of it. Returns
 * undefined where `JSON.parse` would throw. Nesting is followed with a list, not recursion, so a
 * deeply nested value cannot overflow the stack.
 */
export function checkJsonValue(bytes: Uint8Array, start: number): JsonValueSpan | undefined {
  return new JsonChecker(bytes).check(start)
}

/** checkJsonValue over one buffer, value after value, with nothing allocated per value but its span. */
export class JsonChecker {
  /** The closing bytes of the objects and lists the value being checked is inside. */
  readonly #containers: number[] = []
  #spaces = 0

  constructor(private readonly bytes: Uint8Array) {}

  /** As checkJsonValue. */
  check(start: number): JsonValueSpan | undefined {
    const { bytes } = this
    const containers = this.#containers
    containers.length = 0
    this.#spaces = 0
    let at = start
    for (;;) {
      // A value starts at `at`.
      const first = bytes[at]
      if (first === OPEN_OBJECT || first === OPEN_ARRAY) {
        const inside = this.#skip(at + 1)
        const close = first === OPEN_OBJECT ? CLOSE_OBJECT : CLOSE_ARRAY
        if (bytes[inside] === close) at = inside + 1
        else {
          containers.push(close)
          at = first === OPEN_ARRAY ? inside : this.#afterKey(inside)
          if (at < 0) return undefined
          continue
        }
      } else {
        at = endOfScalar(bytes, at)
        if (at < 0) return undefined
      }
      // A value ends at `at`: what follows it closes containers, or leads to the next value.
      for (;;) {
        if (containers.length === 0) return { end: at, spaces: this.#spaces }
        const close = containers[containers.length - 1]
        const next = this.#skip(at)
        if (bytes[next] === close) {
          containers.pop()
          at = next + 1
          continue
        }
        if (bytes[next] !== COMMA) return undefined
        const following = this.#skip(next + 1)
        at = close === CLOSE_ARRAY ? following : this.#afterKey(following)
        if (at < 0) return undefined
        break
      }
    }
  }

  /** Past the space from `from`, counted. */
  #skip(from: number): number {
    const past = skipSpace(this.bytes, from)
    this.#spaces += past - from
    return past
  }

  /** Past the key at `from`, its colon and the space around them: where the value starts, or -1. */
  #afterKey(from: number): number {
    const { bytes } = this
    if (bytes[from] !== QUOTE) return -1
    const keyEnd = endOfString(bytes, from)
    if (keyEnd < 0) return -1
    const colon = this.#skip(keyEnd)
    return bytes[colon] === COLON ? this.#skip(colon + 1) : -1
  }
}

/** The end of the string, number or literal at `start`, or -1 if there is none. */
function endOfScalar(bytes: Uint8Array, start: number): number {
  const first = bytes[start]
  if (first === QUOTE) return endOfString(bytes, start)
  if (first === MINUS || isDigit(first)) return endOfNumber(bytes, start)
  const literal = first === undefined ? undefined : LITERALS.get(first)
  if (literal === undefined) return -1
  for (let index = 1; index < literal.length; index++) if (bytes[start + index] !== literal[index]) return -1
  return start + literal.length
}

/** Just past the closing quote of the string at `start`, or -1: control bytes and bad escapes are refused. */
function endOfString(bytes: Uint8Array, start: number): number {
  let at = start + 1
  for (;;) {
    const byte = bytes[at]
    if (byte === undefined || byte < 0x20) return -1
    if (byte === QUOTE) return at + 1
    if (byte !== BACKSLASH) {
      at++
      continue
    }
    const escaped = bytes[at + 1]
    if (escaped === LOWER_U) {
      for (let digit = 2; digit < 6; digit++) if (!isHexDigit(bytes[at + digit])) return -1
      at += 6
    } else if (escaped !== undefined && SIMPLE_ESCAPES.has(escaped)) at += 2
    else return -1
  }
}

/** `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`, or -1. */
function endOfNumber(bytes: Uint8Array, start: number): number {
  let at = bytes[start] === MINUS ? start + 1 : start
  if (bytes[at] === ZERO) at++
  else if (isDigit(bytes[at])) at = skipDigits(bytes, at)
  else return -1
  if (bytes[at] === DOT) {
    if (!isDigit(bytes[at + 1])) return -1
    at = skipDigits(bytes, at + 1)
  }
  if (bytes[at] === LOWER_E || bytes[at] === UPPER_E) {
    at++
    if (bytes[at] === PLUS || bytes[at] === MINUS) at++
    if (!isDigit(bytes[at])) return -1
    at = skipDigits(bytes, at)
  }
  return at
}

function skipDigits(bytes: Uint8Array, start: number): number {
  let at = start
  while (isDigit(bytes[at])) at++
  return at
}

function isDigit(byte: number | undefined): boolean {
  return byte !== undefined && byte >= ZERO && byte <= NINE
}

function isHexDigit(byte: number | undefined): boolean {
  if (byte === undefined) return false
  const lower = byte | 0x20
  return isDigit(byte) || (lower >= 0x61 && lower <= 0x66)
}

/** Past the white space (as JSON has it: space, tab, line feed, carriage return) from `start`. */
export function skipSpace(bytes: Uint8Array, start: number): number {
  let at = start
  for (;;) {
    const byte = bytes[at]
    if (byte !== 0x20 && byte !== 0x0a && byte !== 0x0d && byte !== 0x09) return at
    at++
  }
}

/**
 * The JSON text of the value checkJsonValue found at `start`, without the space between its
 * tokens: what `JSON.parse` reads from it is what it reads from the original. The bytes inside
 * strings are kept as they are, escapes included. `scratch`, when given and large enough, holds
 * the compact bytes on their way to text, so that a reader of many values allocates one buffer.
 */
export function compactJsonText(
  bytes: Uint8Array,
  start: number,
  span: JsonValueSpan,
  scratch?: Uint8Array,
): string {
  if (span.spaces === 0) return asBuffer(bytes).toString('utf8', start, span.end)
  const size = span.end - start - span.spaces
  const compact = scratch !== undefined && scratch.length >= size ? scratch : new Uint8Array(size)
  // Byte by byte: strings are short, and a native copy per string costs more than the loop.
  let length = 0
  let inString = false
  for (let at = start; at < span.end; at++) {
    const byte = bytes[at] as number
    if (inString) {
      compact[length++] = byte
      if (byte === BACKSLASH) compact[length++] = bytes[++at] as number
      else if (byte === QUOTE) inString = false
    } else if (byte !== 0x20 && byte !== 0x0a && byte !== 0x0d && byte !== 0x09) {
      compact[length++] = byte
      if (byte === QUOTE) inString = true
    }
  }
  return asBuffer(compact).toString('utf8', 0, length)
}

/** The bytes as a Buffer, whose `toString` decodes UTF-8: a view, never a copy. */
function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
}
