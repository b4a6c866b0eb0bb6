import fc from 'fast-check'
import { DOCUMENT_PLACES } from '#shared/snapshot/document-text.ts'

/** One character of a JSON text dropped, or replaced by one of the bytes its grammar turns on. */
export interface Damage {
  readonly at: number
  readonly inserted: string
}

export const damageArbitrary: fc.Arbitrary<Damage> = fc.record({
  at: fc.nat(),
  inserted: fc.constantFrom('', '"', ',', '{', '}', '[', ']', ':', '\\', '\u0001', ' ', '0', 'e'),
})

/** `text` with the damage done (the position taken modulo its length): JSON still, or not. */
export function damage(text: string, { at, inserted }: Damage): string {
  if (text.length === 0) return inserted
  const where = at % text.length
  return text.slice(0, where) + inserted + text.slice(where + 1)
}

/** What JSON.parse reads from `text`, or undefined where it throws. */
export function jsonOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text) as unknown
  } catch {
    return undefined
  }
}

/**
 * A copy of an export read by parseExportText (or by JSON.parse) with each document where the
 * reader makes it text decoded, so both can be compared: a document's text keeps numbers and
 * escapes as the export wrote them (`1e159`), which JSON.parse reads as it reads the whole.
 */
export function documentsDecoded(exported: unknown): unknown {
  const copy = structuredClone(exported)
  if (!isRecord(copy)) return copy
  for (const [list, places] of Object.entries(DOCUMENT_PLACES)) {
    const entries = copy[list]
    if (!Array.isArray(entries)) continue
    for (const entry of entries) {
      for (const field of places.own) decodeAt(entry, field)
      for (const [itemsField, field] of places.items) {
        const items = isRecord(entry) ? entry[itemsField] : undefined
        if (Array.isArray(items)) for (const item of items) decodeAt(item, field)
      }
    }
  }
  return copy
}

function decodeAt(holder: unknown, field: string): void {
  if (!isRecord(holder) || typeof holder[field] !== 'string') return
  try {
    holder[field] = JSON.parse(holder[field])
  } catch {
    // Text that is not JSON (URL-encoded) stays as it is, on both sides.
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
