/**
 * Where each list of an export holds policy documents: per entry, the document fields of the
 * entry itself and of the items of its lists.
 */
const DOCUMENTS: Readonly<
  Record<string, { readonly own: readonly string[]; readonly items: readonly (readonly [string, string])[] }>
> = {
  UserDetailList: { own: [], items: [['UserPolicyList', 'PolicyDocument']] },
  GroupDetailList: { own: [], items: [['GroupPolicyList', 'PolicyDocument']] },
  RoleDetailList: { own: ['AssumeRolePolicyDocument'], items: [['RolePolicyList', 'PolicyDocument']] },
  Policies: { own: [], items: [['PolicyVersionList', 'Document']] },
  ServiceControlPolicies: { own: ['Content', 'PolicyDocument'], items: [] },
}

/** The export lists whose entries hold policy documents. */
export const DOCUMENT_LISTS: ReadonlySet<string> = new Set(Object.keys(DOCUMENTS))

/**
 * Turns the decoded policy documents of one freshly parsed export entry into their JSON text,
 * in place. A document is read the same either way (the snapshot takes objects and JSON text
 * alike), but as text it takes a fraction of the memory of its objects, and equal documents
 * are found by comparing text. Anything that is not where an export puts a document is left
 * as it is, for the snapshot reader to judge.
 */
export function documentsToText(list: string, entry: unknown): unknown {
  const where = DOCUMENTS[list]
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
