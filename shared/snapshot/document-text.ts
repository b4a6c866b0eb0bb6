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
  if (typeof value === 'object' && value !== null) holder[field] = JSON.stringify(value)
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
