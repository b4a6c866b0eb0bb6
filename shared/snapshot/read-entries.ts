import type * as z from 'zod'
import type { SnapshotIssue } from './types.ts'

/** How issues name the entries of one list of the export. */
export interface EntryKind {
  /** Key of the list in the export, e.g. `RoleDetailList`. */
  readonly list: string
  /** What one entry is, in words: `role`. */
  readonly noun: string
  /** Fields that name an entry, best first: `RoleName`, then `Arn`. */
  readonly nameFields: readonly string[]
  /** What leaving an entry out means for the audit, said after "skipped". */
  readonly consequence: string
}

/** One list inside an entry (its inline policies, groups, versions): what losing an item means. */
export interface ItemKind {
  /** Key of the list in the entry, e.g. `RolePolicyList`. */
  readonly field: string
  /** What the entry keeps doing without the item, said after the problem. */
  readonly consequence: string
}

/** An entry that passed its schema, with how issues name it. */
export interface ReadEntry<T> {
  readonly value: T
  /** The entry in plain words: `role SupportTeam`. */
  readonly subject: string
  /** Where it sits in the export: `RoleDetailList[17]`. */
  readonly path: string
  readonly kind: EntryKind
}

/** A read entry whose words are made only when an issue needs them: most entries raise none. */
class LazyEntry<T> implements ReadEntry<T> {
  constructor(
    readonly value: T,
    private readonly raw: unknown,
    private readonly index: number,
    readonly kind: EntryKind,
  ) {}
  get subject(): string {
    return nameEntry(this.raw, this.kind)
  }
  get path(): string {
    return `${this.kind.list}[${this.index}]`
  }
}

/** Plain words for the fields that matter most; others are named by their JSON path. */
const FIELD_LABELS: Readonly<Record<string, string>> = {
  UserName: 'the user name (UserName)',
  RoleName: 'the role name (RoleName)',
  GroupName: 'the group name (GroupName)',
  Arn: 'the ARN (Arn)',
  AssumeRolePolicyDocument: 'the trust policy (AssumeRolePolicyDocument)',
  GroupList: 'the list of its groups (GroupList)',
  UserPolicyList: 'the list of its inline policies (UserPolicyList)',
  RolePolicyList: 'the list of its inline policies (RolePolicyList)',
  GroupPolicyList: 'the list of its inline policies (GroupPolicyList)',
  AttachedManagedPolicies: 'the list of its attached policies (AttachedManagedPolicies)',
  PermissionsBoundary: 'the permissions boundary (PermissionsBoundary)',
  PolicyVersionList: 'the list of its versions (PolicyVersionList)',
  Content: 'the policy document (Content)',
}

const EXPECTED: Readonly<Record<string, string>> = {
  array: 'is not a list',
  object: 'is not an object',
  string: 'is not text',
  boolean: 'is not true or false',
  number: 'is not a number',
}

/**
 * Checks each entry of one list of the export on its own. An entry that fails its schema is
 * left out and becomes an issue that names it (by name, else by ARN) and says what is wrong in
 * plain words; the others are returned.
 */
export function readEntries<T>(
  entries: readonly unknown[],
  kind: EntryKind,
  schema: z.ZodType<T>,
  issues: SnapshotIssue[],
): ReadEntry<T>[] {
  const read: ReadEntry<T>[] = []
  entries.forEach((entry, index) => {
    const parsed = schema.safeParse(entry)
    if (parsed.success) {
      read.push(new LazyEntry(parsed.data, entry, index, kind))
      return
    }
    const subject = nameEntry(entry, kind)
    const path = `${kind.list}[${index}]`
    const first = parsed.error.issues[0]
    const problem = first ? describeProblem(entry, first, []) : 'the entry is not valid'
    issues.push({ policy: subject, path, message: `${problem}; skipped: ${kind.consequence}`, skipped: true })
  })
  return read
}

/**
 * Checks each item of one list inside an entry on its own: a malformed item (an inline policy
 * without a name, an attached policy without an ARN) is left out and noted on the entry, which
 * stays in the audit.
 */
export function readItems<T>(
  items: readonly unknown[] | undefined,
  kind: ItemKind,
  schema: z.ZodType<T>,
  owner: { readonly subject: string; readonly path: string },
  issues: SnapshotIssue[],
): T[] {
  const read: T[] = []
  if (items === undefined) return read
  for (let index = 0; index < items.length; index++) {
    const item = items[index]
    const parsed = schema.safeParse(item)
    if (parsed.success) {
      read.push(parsed.data)
      continue
    }
    const first = parsed.error.issues[0]
    const at = [kind.field, index]
    const problem = first ? describeProblem(item, first, at) : `${formatPath(at)} is not valid`
    issues.push({
      policy: owner.subject,
      path: owner.path,
      message: `${problem}; ${kind.consequence}`,
      skipped: false,
    })
  }
  return read
}

/** `role SupportTeam`, `role arn:aws:iam::…:role/x` when the name is unreadable, else what is missing. */
function nameEntry(entry: unknown, kind: EntryKind): string {
  if (typeof entry === 'object' && entry !== null && !Array.isArray(entry)) {
    for (const field of kind.nameFields) {
      const value = (entry as Record<string, unknown>)[field]
      if (typeof value === 'string' && value.trim() !== '') return `${kind.noun} ${value}`
    }
  }
  return `${kind.noun} with no ${kind.nameFields.join(' or ')}`
}

/** `the trust policy (AssumeRolePolicyDocument) is missing`; `prefix` is where `value` sits in its entry. */
function describeProblem(value: unknown, issue: z.core.$ZodIssue, prefix: readonly PropertyKey[]): string {
  const path = [...prefix, ...issue.path]
  if (path.length === 0) return 'the entry is not a JSON object'
  const field = describeField(path)
  const found = valueAt(value, issue.path)
  if (found === undefined) return `${field} is missing`
  if (issue.code === 'invalid_type')
    return `${field} ${EXPECTED[issue.expected] ?? `is not ${issue.expected}`}`
  if (issue.code === 'too_small' && typeof found === 'string') return `${field} is empty`
  return `${field}: ${issue.message}`
}

function describeField(path: readonly PropertyKey[]): string {
  const [only] = path
  if (path.length === 1 && typeof only === 'string' && FIELD_LABELS[only]) return FIELD_LABELS[only]
  return formatPath(path)
}

function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  let current = value
  for (const key of path) {
    if (typeof current !== 'object' || current === null) return undefined
    current = (current as Record<PropertyKey, unknown>)[key]
  }
  return current
}

/** `UserPolicyList[0].PolicyName` for `['UserPolicyList', 0, 'PolicyName']`. */
function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (text, part) =>
      typeof part === 'number' ? `${text}[${part}]` : text ? `${text}.${String(part)}` : String(part),
    '',
  )
}
