import { decodePolicyDocumentOrKeep } from '#shared/policy/decode-document.ts'

/** Characters of a policy document a notification shows; the rest is read where the notification says. */
export const EXCERPT_LIMIT = 300

/** How far back from the limit an excerpt may end to stop at a JSON element boundary. */
const BOUNDARY_WINDOW = 80

/**
 * A policy document as one line of compact JSON, whether it arrived as an object, a JSON
 * string or the URL-encoded JSON IAM's Get* APIs return; text that is none of these is shown
 * as it is, with its whitespace runs folded to one space.
 */
export function compactDocument(document: unknown): string {
  const value = decodePolicyDocumentOrKeep(document)
  if (typeof value === 'string') return value.replace(/\s+/g, ' ').trim()
  return JSON.stringify(value) ?? String(value)
}

/**
 * The start of a policy document's compact JSON, at most `limit` characters, ended at an
 * element boundary (after a closing brace or bracket, or before a comma) when one is near,
 * followed by `… (N more characters)`. A document that fits is returned whole.
 */
export function excerptDocument(document: unknown, limit = EXCERPT_LIMIT): string {
  return excerptText(compactDocument(document), limit)
}

/** `excerptDocument` for text already in compact form. */
export function excerptText(text: string, limit = EXCERPT_LIMIT): string {
  if (text.length <= limit) return text
  const cut = cutAtBoundary(text, limit)
  return `${cut}… (${(text.length - cut.length).toLocaleString('en-US')} more characters)`
}

function cutAtBoundary(text: string, limit: number): string {
  const floor = Math.max(1, limit - BOUNDARY_WINDOW)
  for (let index = limit - 1; index >= floor; index--) {
    const char = text[index]
    if (char === ',') return text.slice(0, index)
    if (char === '}' || char === ']') return text.slice(0, index + 1)
  }
  // No boundary near: cut at the limit, without splitting a surrogate pair.
  const code = text.charCodeAt(limit - 1)
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? limit - 1 : limit)
}
