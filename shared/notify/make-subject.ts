/**
 * SNS Publish rejects a Subject that is not ASCII, holds line breaks or control characters,
 * does not begin with a letter, number or punctuation mark, or is 100 characters or longer.
 */
export const MAX_SUBJECT_LENGTH = 99

const ELLIPSIS = '...'
const FALLBACK_SUBJECT = 'Support Access Guard notification'

/**
 * Makes an SNS-safe subject from free text: accents are folded to their base letter, any other
 * non-printable or non-ASCII character becomes `?`, whitespace runs (line breaks included) become
 * one space and the ends are trimmed, so it starts with a printable character. Text longer than
 * the limit is cut, at a word boundary when one is near, and ends with `...`.
 */
export function makeSubject(text: string): string {
  const ascii = text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/\s+/gu, ' ')
    .replace(/[^\x20-\x7e]/gu, '?')
    .trim()
  if (ascii === '') return FALLBACK_SUBJECT
  if (ascii.length <= MAX_SUBJECT_LENGTH) return ascii
  return `${cutAtWord(ascii, MAX_SUBJECT_LENGTH - ELLIPSIS.length)}${ELLIPSIS}`
}

function cutAtWord(text: string, limit: number): string {
  const cut = text.slice(0, limit)
  const lastSpace = cut.lastIndexOf(' ')
  // Only back off to a word boundary when it costs little; long ARNs have no spaces.
  const trimmed = lastSpace >= limit - 20 ? cut.slice(0, lastSpace) : cut
  return trimmed.trimEnd()
}
