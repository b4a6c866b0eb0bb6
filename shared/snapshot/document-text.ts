import type { DocumentPlaces } from './export-text.ts'

/**
 * Where each list of an export holds policy documents: per entry, the document fields of the
 * entry itself and of the items of its lists.
 */
export const DOCUMENT_PLACES: Readonly<Record<string, DocumentPlaces>> = {
  UserDetailList: { own: [], items: [['UserPolicyList', 'PolicyDocument']] },
  GroupDetailList: { own: [], items: [['GroupPolicyList', 'PolicyDocument']] },
  RoleDetailList: { own: ['AssumeRolePolicyDocument'], items: [['RolePolicyList', 'PolicyDocument']] },
  Policies: { own: [], items: [['PolicyVersionList', 'Document']] },
  ServiceControlPolicies: { own: ['Content', 'PolicyDocument'], items: [] },
}

/**
 * Turns the decoded policy documents of one freshly parsed export entry into their JSON text,
 * in place: those parseExportText left as objects (see there). A document is read the same
 * either way (the snapshot takes objects and JSON text alike), but as text it takes a fraction
 * of the memory of its objects, and equal documents are found by comparing text. Anything that
 * is not where an export puts a document is left as it is, for the snapshot reader to judge.
 */
export function documentsToText(list: string, entry: unknown): unknown {
  const where = Object.hasOwn(DOCUMENT_PLACES, list) ? DOCUMENT_PLACES[list] : undefined
  if (!where || !isRecord(entry)) return entry
  for (const field of where.own) toText(entry, field)
  for (const [itemsField, field] of where.items) {
    const items = entry[itemsField]
    if (Array.isArray(items)) for (const item of items) if (isRecord(item)) toText(item, field)
  }
  return entry
}

function toText(holder: Record<string, unknown>, field: string): void {
  const value = holder[field]
  if (typeof value === 'object' && value !== null) holder[field] = documentJson(value)
}

/**
 * The JSON text of a document JSON.parse has read, which JSON.parse reads back to the same
 * value, as parseExportText's text does. JSON.stringify alone would not: a number too large
 * for a double (read as Infinity) would become `null`, and -0 would become `0`. Those are
 * written `1e400`, `-1e400` and `-0`.
 */
export function documentJson(value: object): string {
  let odd = false
  const text = JSON.stringify(value, (_key, item: unknown) => {
    if (typeof item === 'number' && isOdd(item)) odd = true
    return item
  })
  return odd ? withOddNumbers(value, text) : text
}

/** NaN, which JSON never holds, stays JSON.stringify's `null`. */
function isOdd(number: number): boolean {
  return number === Number.POSITIVE_INFINITY || number === Number.NEGATIVE_INFINITY || Object.is(number, -0)
}

/**
 * `value` written with each odd number first as a marked string, then as its number. The mark
 * is a run of NUL characters, which JSON writes `\u0000`, made longer until `plain` (the value's
 * text) does not hold it: no string of the document can then be taken for a marked number.
 */
function withOddNumbers(value: object, plain: string): string {
  let length = 1
  while (plain.includes('\\u0000'.repeat(length))) length++
  const mark = '\u0000'.repeat(length)
  const written = `"${'\\u0000'.repeat(length)}`
  const marked = JSON.stringify(value, (_key, item: unknown) =>
    typeof item === 'number' && isOdd(item) ? `${mark}${item > 0 ? '+' : item < 0 ? '-' : '0'}` : item,
  )
  return marked
    .replaceAll(`${written}+"`, '1e400')
    .replaceAll(`${written}-"`, '-1e400')
    .replaceAll(`${written}0"`, '-0')
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
