import { z } from 'zod'

/** Account of every fixture snapshot. */
export const FIXTURE_ACCOUNT_ID = '123456789012'

const policyDocSchema = z.union([z.string(), z.record(z.string(), z.unknown())])
const decisionSchema = z.enum(['allow', 'deny', 'conditional'])

const groupSchema = z.strictObject({
  inline: z.array(policyDocSchema).optional(),
  managed: z.array(policyDocSchema).optional(),
})

const principalSchema = z
  .strictObject({
    type: z.enum(['user', 'role']),
    inline: z.array(policyDocSchema).optional(),
    managed: z.array(policyDocSchema).optional(),
    groups: z.array(groupSchema).optional(),
    boundary: policyDocSchema.optional(),
  })
  .refine((principal) => principal.type === 'user' || principal.groups === undefined, {
    error: 'only users belong to groups',
  })

const caseSchema = z.strictObject({
  name: z.string().min(1),
  source: z.string().optional(),
  principal: principalSchema,
  expect: z.record(z.string(), decisionSchema).optional(),
  expectIssue: z.strictObject({ path: z.string() }).optional(),
})

const fileSchema = z.strictObject({ cases: z.array(caseSchema).min(1) })

export type FixtureCase = z.infer<typeof caseSchema>
export type FixturePrincipal = FixtureCase['principal']
/** A policy document as the fixture gives it: object, JSON string or URL-encoded JSON string. */
export type FixturePolicyDoc = z.infer<typeof policyDocSchema>

/** Validates one fixture file (`{ "cases": [...] }`); throws naming the file and the bad field. */
export function parseFixtureFile(input: unknown, source: string): FixtureCase[] {
  const result = fileSchema.safeParse(input)
  if (!result.success) throw new Error(`${source}: ${z.prettifyError(result.error)}`)
  return result.data.cases
}

/** ARN of the principal under test, named `subject`. */
export function fixtureSubjectArn(type: FixturePrincipal['type']): string {
  return `arn:aws:iam::${FIXTURE_ACCOUNT_ID}:${type}/subject`
}

const CREATED = '2024-01-15T10:00:00+00:00'

/** Fake but well-formed IAM unique IDs: a type prefix and 17 upper-case characters. */
function makeUniqueId(prefix: 'AIDA' | 'AROA' | 'AGPA' | 'ANPA', n: number): string {
  return `${prefix}FIXTURE${String(n).padStart(10, '0')}`
}

interface RawManagedPolicy {
  readonly PolicyName: string
  readonly PolicyArn: string
}

/**
 * Turns a fixture principal into raw `aws iam get-account-authorization-details` output:
 * the subject with its inline policies, customer managed policies `fixture-N` for every
 * managed document and the boundary, and groups `fixture-group-N`. Documents are passed
 * through untouched, so string and URL-encoded forms reach the snapshot parser as IAM gives them.
 */
export function buildFixtureSnapshot(principal: FixturePrincipal): Record<string, unknown> {
  const policies: Record<string, unknown>[] = []

  const addManagedPolicy = (document: FixturePolicyDoc, usedAsBoundary: boolean): RawManagedPolicy => {
    const n = policies.length + 1
    const name = `fixture-${n}`
    const arn = `arn:aws:iam::${FIXTURE_ACCOUNT_ID}:policy/${name}`
    policies.push({
      PolicyName: name,
      PolicyId: makeUniqueId('ANPA', n),
      Arn: arn,
      Path: '/',
      DefaultVersionId: 'v1',
      AttachmentCount: usedAsBoundary ? 0 : 1,
      PermissionsBoundaryUsageCount: usedAsBoundary ? 1 : 0,
      IsAttachable: true,
      CreateDate: CREATED,
      UpdateDate: CREATED,
      PolicyVersionList: [
        { Document: document, VersionId: 'v1', IsDefaultVersion: true, CreateDate: CREATED },
      ],
    })
    return { PolicyName: name, PolicyArn: arn }
  }

  const listInline = (documents: readonly FixturePolicyDoc[] | undefined, prefix: string) =>
    (documents ?? []).map((document, i) => ({ PolicyName: `${prefix}-${i + 1}`, PolicyDocument: document }))
  const attach = (documents: readonly FixturePolicyDoc[] | undefined) =>
    (documents ?? []).map((document) => addManagedPolicy(document, false))

  const groups = (principal.groups ?? []).map((group, i) => {
    const name = `fixture-group-${i + 1}`
    return {
      Path: '/',
      GroupName: name,
      GroupId: makeUniqueId('AGPA', i + 1),
      Arn: `arn:aws:iam::${FIXTURE_ACCOUNT_ID}:group/${name}`,
      CreateDate: CREATED,
      GroupPolicyList: listInline(group.inline, `${name}-inline`),
      AttachedManagedPolicies: attach(group.managed),
    }
  })

  const attached = attach(principal.managed)
  const boundary =
    principal.boundary === undefined
      ? {}
      : {
          PermissionsBoundary: {
            PermissionsBoundaryType: 'Policy',
            PermissionsBoundaryArn: addManagedPolicy(principal.boundary, true).PolicyArn,
          },
        }
  const common = {
    Path: '/',
    Arn: fixtureSubjectArn(principal.type),
    CreateDate: CREATED,
    AttachedManagedPolicies: attached,
    ...boundary,
    Tags: [],
  }

  const users =
    principal.type === 'user'
      ? [
          {
            ...common,
            UserName: 'subject',
            UserId: makeUniqueId('AIDA', 1),
            UserPolicyList: listInline(principal.inline, 'inline'),
            GroupList: groups.map((group) => group.GroupName),
          },
        ]
      : []
  const roles =
    principal.type === 'role'
      ? [
          {
            ...common,
            RoleName: 'subject',
            RoleId: makeUniqueId('AROA', 1),
            AssumeRolePolicyDocument: {
              Version: '2012-10-17',
              Statement: [
                {
                  Effect: 'Allow',
                  Principal: { AWS: `arn:aws:iam::${FIXTURE_ACCOUNT_ID}:root` },
                  Action: 'sts:AssumeRole',
                },
              ],
            },
            InstanceProfileList: [],
            RolePolicyList: listInline(principal.inline, 'inline'),
            RoleLastUsed: {},
          },
        ]
      : []

  return {
    AccountId: FIXTURE_ACCOUNT_ID,
    UserDetailList: users,
    GroupDetailList: groups,
    RoleDetailList: roles,
    Policies: policies,
  }
}
