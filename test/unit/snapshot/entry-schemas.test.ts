import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type * as z from 'zod'
import {
  ATTACHED_ITEM,
  GROUP_NAME_ITEM,
  INLINE_ITEM,
  RawGroup,
  RawPolicy,
  RawRole,
  RawUser,
  takenAsIs,
  VERSION_ITEM,
} from '#shared/snapshot/entry-schemas.ts'
import type { EntryKind, ReadEntry } from '#shared/snapshot/read-entries.ts'
import { toGroup, toManagedPolicy, toRole, toUser } from '#shared/snapshot/to-records.ts'
import type { SnapshotIssue } from '#shared/snapshot/types.ts'
import { generateAccount } from '#test-support/synthetic/synthetic-account.ts'

const ACCOUNT = 'arn:aws:iam::111122223333'
const BOUNDARY = { PermissionsBoundaryArn: `${ACCOUNT}:policy/b`, PermissionsBoundaryType: 'Policy' }
const INLINE = { PolicyName: 'p', PolicyDocument: '{"Statement":[]}' }
const ATTACHED = { PolicyName: 'a', PolicyArn: 'arn:aws:iam::aws:policy/A' }
const VERSION = { VersionId: 'v1', IsDefaultVersion: true, Document: '{}', CreateDate: '2024-01-01' }

/** Values each field may take instead of a good one: wrong types, empty, malformed lists. */
const ODD = fc.constantFrom<unknown>(
  '',
  'x',
  0,
  true,
  null,
  [],
  {},
  ['g', ''],
  [{ Key: 'k', Value: 1 }],
  [{ Key: 'k', Value: 'v', Extra: 1 }],
  [null],
  { PermissionsBoundaryArn: '' },
  { PermissionsBoundaryArn: 5 },
  [INLINE, { PolicyDocument: '{}' }],
  [ATTACHED, { PolicyArn: '' }],
  [VERSION, { VersionId: 'v2', IsDefaultVersion: 'yes' }],
)

/** `base` with some of its fields (and one unknown) replaced by odd values or removed. */
function noisy(base: Record<string, unknown>): fc.Arbitrary<unknown> {
  const keys = [...Object.keys(base), 'Extra']
  const change = fc.tuple(fc.constantFrom(...keys), fc.option(ODD, { nil: undefined, freq: 4 }))
  return fc.oneof(
    { weight: 8, arbitrary: fc.array(change, { maxLength: 3 }).map((changes) => apply(base, changes)) },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
  )
}

function apply(base: Record<string, unknown>, changes: readonly (readonly [string, unknown])[]) {
  const copy: Record<string, unknown> = structuredClone(base)
  for (const [key, value] of changes) {
    if (value === undefined) delete copy[key]
    else copy[key] = value
  }
  return copy
}

const KIND: EntryKind = { list: 'List', noun: 'entry', nameFields: [], consequence: 'left out' }

function entryOf<T>(value: T): ReadEntry<T> {
  return { value, subject: 'entry x', path: 'List[0]', kind: KIND }
}

/** What the record builder reads of each field the schema has: a tag's Key and Value, a boundary's ARN. */
function asRead(schema: z.ZodType, value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value
  const shape = (schema as unknown as { shape: Record<string, unknown> }).shape
  const record = value as Record<string, unknown>
  return Object.fromEntries(
    Object.keys(shape).map((key) => {
      const field = record[key]
      if (key === 'Tags' && Array.isArray(field))
        return [key, field.map((tag: { Key: string; Value: string }) => [tag.Key, tag.Value])]
      if (key === 'PermissionsBoundary' && field !== undefined)
        return [key, (field as { PermissionsBoundaryArn?: string }).PermissionsBoundaryArn]
      return [key, field]
    }),
  )
}

const ENTRIES = [
  {
    name: 'users',
    schema: RawUser,
    build: toUser,
    base: {
      UserName: 'u',
      Arn: `${ACCOUNT}:user/u`,
      Path: '/',
      UserId: 'AIDA',
      UserPolicyList: [INLINE],
      GroupList: ['g'],
      AttachedManagedPolicies: [ATTACHED],
      PermissionsBoundary: BOUNDARY,
      Tags: [{ Key: 'team', Value: 'support' }],
      CreateDate: '2024-01-01',
    },
  },
  {
    name: 'groups',
    schema: RawGroup,
    build: toGroup,
    base: {
      GroupName: 'g',
      Arn: `${ACCOUNT}:group/g`,
      Path: '/',
      GroupPolicyList: [INLINE],
      AttachedManagedPolicies: [ATTACHED],
    },
  },
  {
    name: 'roles',
    schema: RawRole,
    build: toRole,
    base: {
      RoleName: 'r',
      Arn: `${ACCOUNT}:role/r`,
      Path: '/',
      RoleId: 'AROA',
      AssumeRolePolicyDocument: '{"Statement":[]}',
      RolePolicyList: [INLINE],
      AttachedManagedPolicies: [ATTACHED],
      PermissionsBoundary: BOUNDARY,
      Tags: [{ Key: 'team', Value: 'support' }],
      RoleLastUsed: {},
    },
  },
  {
    name: 'managed policies',
    schema: RawPolicy,
    build: toManagedPolicy,
    base: {
      PolicyName: 'm',
      Arn: `${ACCOUNT}:policy/m`,
      Path: '/',
      DefaultVersionId: 'v1',
      PolicyVersionList: [VERSION],
      AttachmentCount: 1,
    },
  },
] as const

const ITEMS = [
  { name: 'inline policies', schema: INLINE_ITEM, base: INLINE },
  { name: 'attached policies', schema: ATTACHED_ITEM, base: ATTACHED },
  { name: 'policy versions', schema: VERSION_ITEM, base: VERSION },
] as const

describe('takenAsIs', () => {
  it.each(ENTRIES)(
    'takes only $name the schema accepts, read to the same record as its copy',
    ({ schema, build, base }) => {
      const make = build as (entry: ReadEntry<unknown>, issues: SnapshotIssue[]) => unknown
      let taken = 0
      fc.assert(
        fc.property(noisy(base), (value) => {
          if (!takenAsIs(schema, value)) return
          taken++
          const copy = schema.safeParse(value)
          expect(copy.success).toBe(true)
          expect(asRead(schema, value)).toEqual(asRead(schema, copy.data))
          const asIs: SnapshotIssue[] = []
          const copied: SnapshotIssue[] = []
          expect(make(entryOf(value), asIs)).toEqual(make(entryOf(copy.data), copied))
          expect(asIs).toEqual(copied)
        }),
        { numRuns: 1500 },
      )
      expect(taken).toBeGreaterThan(100)
    },
  )

  it.each(ITEMS)('takes only $name the schema accepts, with the fields it keeps', ({ schema, base }) => {
    fc.assert(
      fc.property(noisy(base), (value) => {
        if (!takenAsIs(schema, value)) return
        const copy = schema.safeParse(value)
        expect(copy.success).toBe(true)
        expect(asRead(schema, value)).toEqual(asRead(schema, copy.data))
      }),
      { numRuns: 1500 },
    )
  })

  it('takes a group name the schema accepts, and nothing else', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 3 }), fc.jsonValue({ maxDepth: 1 })), (value) => {
        expect(takenAsIs(GROUP_NAME_ITEM, value)).toBe(GROUP_NAME_ITEM.safeParse(value).success)
      }),
    )
  })

  it('leaves malformed tags to the schema, which drops them, and an object that is not plain', () => {
    const role = ENTRIES[2].base
    expect(takenAsIs(RawRole, role)).toBe(true)
    expect(takenAsIs(RawRole, { ...role, Tags: [{ Key: 'k', Value: 1 }] })).toBe(false)
    expect(RawRole.parse({ ...role, Tags: [{ Key: 'k', Value: 1 }] }).Tags).toBeUndefined()
    expect(takenAsIs(RawRole, Object.assign(Object.create(null), role))).toBe(false)
    // A sparse list of tags, built in code: zod reads the hole as a malformed tag.
    // biome-ignore lint/suspicious/noSparseArray: the hole is the case
    const sparse = { ...role, Tags: [, { Key: 'k', Value: 'v' }] }
    expect(takenAsIs(RawRole, sparse)).toBe(false)
    expect(RawRole.parse(sparse).Tags).toBeUndefined()
    expect(takenAsIs(RawScpLike, {})).toBe(false)
  })

  it('takes every entry and item of a generated account as it is', () => {
    const account = generateAccount({ seed: 5, principals: 300 }) as unknown as Record<string, unknown[]>
    const lists = [
      ['UserDetailList', RawUser, ['UserPolicyList', INLINE_ITEM], ['GroupList', GROUP_NAME_ITEM]],
      [
        'RoleDetailList',
        RawRole,
        ['RolePolicyList', INLINE_ITEM],
        ['AttachedManagedPolicies', ATTACHED_ITEM],
      ],
      ['GroupDetailList', RawGroup, ['GroupPolicyList', INLINE_ITEM]],
      ['Policies', RawPolicy, ['PolicyVersionList', VERSION_ITEM]],
    ] as const
    let count = 0
    for (const [list, schema, ...itemLists] of lists) {
      for (const entry of account[list] ?? []) {
        expect(takenAsIs(schema, entry)).toBe(true)
        count++
        for (const [field, itemSchema] of itemLists)
          for (const item of (entry as Record<string, unknown[]>)[field] ?? [])
            expect(takenAsIs(itemSchema, item)).toBe(true)
      }
    }
    expect(count).toBeGreaterThan(300)
  })
})

/** A schema the check does not know: always left to zod. */
const RawScpLike = INLINE_ITEM.partial()
