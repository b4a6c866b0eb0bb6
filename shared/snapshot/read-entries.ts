import type * as z from 'zod'
import { takenAsIs } from './entry-schemas.ts'
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
  // A loop, not forEach: a hole of a sparse list (built in code, never JSON) is an entry too.
  for (let index = 0; index < entries.length; index++) {
    const entry = entries[index]
    const parsed = readWith(schema, entry)
    if (parsed.success) read.push(new LazyEntry(parsed.data, entry, index, kind))
    else issues.push(entryIssue(entry, index, kind, parsed.error))
  }
  return read
}

function entryIssue(entry: unknown, index: number, kind: EntryKind, error: z.ZodError): SnapshotIssue {
  const subject = nameEntry(entry, kind)
  const path = `${kind.list}[${index}]`
  const first = error.issues[0]
  const problem = first ? describeProblem(entry, first, []) : 'the entry is not valid'
  return { policy: subject, path, message: `${problem}; skipped: ${kind.consequence}`, skipped: true }
}

const NO_ISSUES: readonly SnapshotIssue[] = Object.freeze([])

/** What `schema` reads from `value`: the value itself where it can be taken as it is. */
function readWith<T>(
  schema: z.ZodType<T>,
  value: unknown,
): { readonly success: true; readonly data: T } | z.ZodSafeParseResult<T> {
  return takenAsIs(schema, value) ? { success: true, data: value as T } : schema.safeParse(value)
}

/**
 * One entry of a list, read as soon as it is parsed: checked against its schema and turned into
 * the record the guard works on, or into the issue that says why it is left out. The parsed
 * entry and what the schema made of it are not kept, so a large export never holds both its
 * entries and their records.
 */
export class PreparedEntry<R> {
  readonly #name: string | undefined
  private constructor(
    readonly kind: EntryKind,
    readonly index: number,
    /** The record, or undefined when the entry failed its schema (see `issue`). */
    readonly record: R | undefined,
    /** The entry's ARN: which account it belongs to. Empty when it failed its schema. */
    readonly arn: string,
    /** Why the entry is left out, when it failed its schema. */
    readonly issue: SnapshotIssue | undefined,
    /** Items of its lists that were left out (an inline policy without a name). */
    readonly itemIssues: readonly SnapshotIssue[],
    name: string | undefined,
  ) {
    this.#name = name
  }

  /**
   * Reads `entry`, the `index`th of the list `kind` describes, with `schema`, and turns it into
   * a record with `convert` (which notes the items it leaves out in the issues it is given).
   */
  static read<T extends { readonly Arn: string }, R>(
    entry: unknown,
    index: number,
    kind: EntryKind,
    schema: z.ZodType<T>,
    convert: (entry: ReadEntry<T>, issues: SnapshotIssue[]) => R,
  ): PreparedEntry<R> {
    const parsed = readWith(schema, entry)
    if (!parsed.success) {
      const issue = entryIssue(entry, index, kind, parsed.error)
      return new PreparedEntry<R>(kind, index, undefined, '', issue, NO_ISSUES, undefined)
    }
    const itemIssues: SnapshotIssue[] = []
    const record = convert(new LazyEntry(parsed.data, entry, index, kind), itemIssues)
    const issues = itemIssues.length === 0 ? NO_ISSUES : itemIssues
    return new PreparedEntry(kind, index, record, parsed.data.Arn, undefined, issues, nameOf(entry, kind))
  }

  /** The entry in plain words, as `ReadEntry.subject`: `role SupportTeam`. */
  get subject(): string {
    return this.#name === undefined ? unnamed(this.kind) : `${this.kind.noun} ${this.#name}`
  }

  get path(): string {
    return `${this.kind.list}[${this.index}]`
  }
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
    const parsed = readWith(schema, item)
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
  const name = nameOf(entry, kind)
  return name === undefined ? unnamed(kind) : `${kind.noun} ${name}`
}

/** The first of the entry's name fields that holds text other than spaces. */
function nameOf(entry: unknown, kind: EntryKind): string | undefined {
  if (typeof entry === 'object' && entry !== null && !Array.isArray(entry)) {
    for (const field of kind.nameFields) {
      const value = (entry as Record<string, unknown>)[field]
      if (typeof value === 'string' && !BLANK.test(value)) return value
    }
  }
  return undefined
}

/** What `trim` leaves empty: `\s` is the set of characters `trim` removes. */
const BLANK = /^\s*$/

function unnamed(kind: EntryKind): string {
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
