import * as z from 'zod'
import type {
  AccountSnapshot,
  AttachedPolicyRef,
  GroupRecord,
  InlinePolicy,
  ManagedPolicyRecord,
  RoleRecord,
  SlackChannelConfiguration,
  UserRecord,
} from './types.ts'

/** The input is not an account export the guard can read; `path` names the offending field. */
export class SnapshotError extends Error {
  override readonly name = 'SnapshotError'
  constructor(
    message: string,
    readonly path: string,
  ) {
    super(message)
  }
}

const Name = z.string().min(1)
const Tags = z.array(z.object({ Key: z.string(), Value: z.string() })).optional()
const InlineList = z.array(z.object({ PolicyName: Name, PolicyDocument: z.unknown() })).optional()
const AttachedList = z.array(z.object({ PolicyName: z.string().optional(), PolicyArn: Name })).optional()
const Boundary = z.object({ PermissionsBoundaryArn: Name }).partial().optional()

const RawUser = z.object({
  UserName: Name,
  Arn: Name,
  Path: z.string().optional(),
  UserId: z.string().optional(),
  UserPolicyList: InlineList,
  GroupList: z.array(Name).optional(),
  AttachedManagedPolicies: AttachedList,
  PermissionsBoundary: Boundary,
  Tags,
})
const RawGroup = z.object({
  GroupName: Name,
  Arn: Name,
  Path: z.string().optional(),
  GroupPolicyList: InlineList,
  AttachedManagedPolicies: AttachedList,
})
const RawRole = z.object({
  RoleName: Name,
  Arn: Name,
  Path: z.string().optional(),
  RoleId: z.string().optional(),
  AssumeRolePolicyDocument: z.unknown(),
  RolePolicyList: InlineList,
  AttachedManagedPolicies: AttachedList,
  PermissionsBoundary: Boundary,
  Tags,
})
const RawPolicy = z.object({
  PolicyName: z.string().optional(),
  Arn: Name,
  Path: z.string().optional(),
  DefaultVersionId: z.string().optional(),
  PolicyVersionList: z
    .array(z.object({ VersionId: Name, IsDefaultVersion: z.boolean().optional(), Document: z.unknown() }))
    .optional(),
})
const RawChannel = z.object({
  teamId: Name,
  channelId: Name,
  channelName: z.string().optional(),
  channelRoleArn: Name,
})
const RawScp = z
  .object({
    Id: z.string().optional(),
    Arn: z.string().optional(),
    Name: z.string().optional(),
    Content: z.unknown().optional(),
    PolicyDocument: z.unknown().optional(),
  })
  .refine(
    (scp) => scp.Content !== undefined || scp.PolicyDocument !== undefined,
    'needs Content (the policy document)',
  )
const RawSnapshot = z.object({
  AccountId: z
    .string()
    .regex(/^\d{12}$/, 'must be a 12-digit account ID')
    .optional(),
  UserDetailList: z.array(RawUser).optional(),
  GroupDetailList: z.array(RawGroup).optional(),
  RoleDetailList: z.array(RawRole).optional(),
  Policies: z.array(RawPolicy).optional(),
  SupportAppSlackChannelConfigurations: z
    .union([z.array(RawChannel), z.object({ slackChannelConfigurations: z.array(RawChannel) })])
    .optional(),
  /** SCPs as `aws organizations describe-policy` prints `Policy` (PolicySummary fields flattened) */
  ServiceControlPolicies: z.array(RawScp).optional(),
})

type RawSnapshotShape = z.infer<typeof RawSnapshot>
const LISTS = ['UserDetailList', 'GroupDetailList', 'RoleDetailList', 'Policies'] as const

/**
 * Reads an `aws iam get-account-authorization-details` export (CLI JSON or SDK output),
 * optionally with `AccountId` and `SupportAppSlackChannelConfigurations`.
 * @throws SnapshotError naming the first offending field.
 */
export function parseAccountSnapshot(input: unknown): AccountSnapshot {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new SnapshotError('snapshot must be a JSON object (get-account-authorization-details output)', '')
  }
  if (!LISTS.some((key) => key in input)) {
    throw new SnapshotError(
      `snapshot has none of ${LISTS.join(', ')}: not a get-account-authorization-details export`,
      '',
    )
  }
  const parsed = RawSnapshot.safeParse(input)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    const path = formatPath(issue?.path ?? [])
    throw new SnapshotError(`snapshot.${path}: ${issue?.message ?? 'invalid'}`, path)
  }
  return normalize(parsed.data)
}

function normalize(raw: RawSnapshotShape): AccountSnapshot {
  const accountId = raw.AccountId ?? inferAccountId(raw)
  const channels = raw.SupportAppSlackChannelConfigurations
  const slackChannelConfigurations: SlackChannelConfiguration[] = (
    Array.isArray(channels) ? channels : (channels?.slackChannelConfigurations ?? [])
  ).map((channel) => ({
    teamId: channel.teamId,
    channelId: channel.channelId,
    ...(channel.channelName === undefined ? {} : { channelName: channel.channelName }),
    channelRoleArn: channel.channelRoleArn,
  }))
  return {
    accountId,
    users: (raw.UserDetailList ?? []).map(
      (user): UserRecord => ({
        kind: 'user',
        arn: user.Arn,
        name: user.UserName,
        path: user.Path ?? '/',
        ...(user.UserId === undefined ? {} : { id: user.UserId }),
        inline: inline(user.UserPolicyList),
        attached: attached(user.AttachedManagedPolicies),
        groups: user.GroupList ?? [],
        ...boundary(user.PermissionsBoundary),
        ...tags(user.Tags),
      }),
    ),
    groups: (raw.GroupDetailList ?? []).map(
      (group): GroupRecord => ({
        arn: group.Arn,
        name: group.GroupName,
        path: group.Path ?? '/',
        inline: inline(group.GroupPolicyList),
        attached: attached(group.AttachedManagedPolicies),
      }),
    ),
    roles: (raw.RoleDetailList ?? []).map(
      (role): RoleRecord => ({
        kind: 'role',
        arn: role.Arn,
        name: role.RoleName,
        path: role.Path ?? '/',
        ...(role.RoleId === undefined ? {} : { id: role.RoleId }),
        trustPolicy: role.AssumeRolePolicyDocument,
        inline: inline(role.RolePolicyList),
        attached: attached(role.AttachedManagedPolicies),
        ...boundary(role.PermissionsBoundary),
        ...tags(role.Tags),
      }),
    ),
    policies: (raw.Policies ?? []).map(managedPolicy),
    slackChannelConfigurations,
    ...(raw.ServiceControlPolicies
      ? {
          serviceControlPolicies: raw.ServiceControlPolicies.map((scp, index) => ({
            id: scp.Arn ?? scp.Id ?? `scp:${scp.Name ?? index}`,
            name: scp.Name ?? scp.Id ?? `scp-${index}`,
            document: scp.Content ?? scp.PolicyDocument,
          })),
        }
      : {}),
  }
}

function managedPolicy(policy: z.infer<typeof RawPolicy>): ManagedPolicyRecord {
  const versions = (policy.PolicyVersionList ?? []).map((version) => ({
    versionId: version.VersionId,
    isDefault: version.IsDefaultVersion ?? version.VersionId === policy.DefaultVersionId,
    document: version.Document,
  }))
  const current =
    versions.find((version) => version.versionId === policy.DefaultVersionId) ??
    versions.find((version) => version.isDefault)
  return {
    arn: policy.Arn,
    name: policy.PolicyName ?? policy.Arn.split('/').pop() ?? policy.Arn,
    path: policy.Path ?? '/',
    defaultVersionId: policy.DefaultVersionId ?? current?.versionId ?? 'v1',
    document: current?.document,
    versions,
  }
}

function inline(list: { PolicyName: string; PolicyDocument: unknown }[] | undefined): InlinePolicy[] {
  return (list ?? []).map((policy) => ({ name: policy.PolicyName, document: policy.PolicyDocument }))
}

function attached(
  list: { PolicyName?: string | undefined; PolicyArn: string }[] | undefined,
): AttachedPolicyRef[] {
  return (list ?? []).map((ref) => ({
    arn: ref.PolicyArn,
    name: ref.PolicyName ?? ref.PolicyArn.split('/').pop() ?? '',
  }))
}

function boundary(value: { PermissionsBoundaryArn?: string | undefined } | undefined): {
  boundaryArn?: string
} {
  return value?.PermissionsBoundaryArn ? { boundaryArn: value.PermissionsBoundaryArn } : {}
}

function tags(list: { Key: string; Value: string }[] | undefined): { tags?: Record<string, string> } {
  return list && list.length > 0 ? { tags: Object.fromEntries(list.map((tag) => [tag.Key, tag.Value])) } : {}
}

/** Account of the first principal ARN (`arn:aws:iam::ACCOUNT:…`), else a placeholder. */
function inferAccountId(raw: RawSnapshotShape): string {
  const arns = [
    ...(raw.RoleDetailList ?? []),
    ...(raw.UserDetailList ?? []),
    ...(raw.GroupDetailList ?? []),
  ].map((entry) => entry.Arn)
  for (const arn of arns) {
    const account = arn.split(':')[4]
    if (account && /^\d{12}$/.test(account)) return account
  }
  return '000000000000'
}

function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (text, part) =>
      typeof part === 'number' ? `${text}[${part}]` : text ? `${text}.${String(part)}` : String(part),
    '',
  )
}
