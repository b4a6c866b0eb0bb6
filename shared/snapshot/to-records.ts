import { nameOfArn } from '#shared/policy/arn.ts'
import {
  ATTACHED_ITEM,
  GROUP_NAME_ITEM,
  INLINE_ITEM,
  type RawChannelShape,
  type RawGroupShape,
  type RawPolicyShape,
  type RawRoleShape,
  type RawScpShape,
  type RawUserShape,
  VERSION_ITEM,
} from './entry-schemas.ts'
import { type ReadEntry, readItems } from './read-entries.ts'
import type {
  AttachedPolicyRef,
  GroupRecord,
  InlinePolicy,
  ManagedPolicyRecord,
  RoleRecord,
  ServiceControlPolicy,
  SlackChannelConfiguration,
  SnapshotIssue,
  UserRecord,
} from './types.ts'

/*
 * Entries of the export that passed their schema, as the records the guard works on. Malformed
 * items of their lists (an inline policy without a name) are left out and noted in `issues`.
 */

export function toUser(entry: ReadEntry<RawUserShape>, issues: SnapshotIssue[]): UserRecord {
  const user = entry.value
  return {
    kind: 'user',
    arn: user.Arn,
    name: user.UserName,
    path: user.Path ?? '/',
    ...(user.UserId === undefined ? {} : { id: user.UserId }),
    inline: inline(user.UserPolicyList, 'UserPolicyList', entry, issues),
    attached: attached(user.AttachedManagedPolicies, entry, issues),
    groups: readItems(
      user.GroupList,
      { field: 'GroupList', consequence: 'the user is audited without that group' },
      GROUP_NAME_ITEM,
      entry,
      issues,
    ),
    ...boundary(user.PermissionsBoundary),
    ...tags(user.Tags),
  }
}

export function toGroup(entry: ReadEntry<RawGroupShape>, issues: SnapshotIssue[]): GroupRecord {
  const group = entry.value
  return {
    arn: group.Arn,
    name: group.GroupName,
    path: group.Path ?? '/',
    inline: inline(group.GroupPolicyList, 'GroupPolicyList', entry, issues),
    attached: attached(group.AttachedManagedPolicies, entry, issues),
  }
}

export function toRole(entry: ReadEntry<RawRoleShape>, issues: SnapshotIssue[]): RoleRecord {
  const role = entry.value
  return {
    kind: 'role',
    arn: role.Arn,
    name: role.RoleName,
    path: role.Path ?? '/',
    ...(role.RoleId === undefined ? {} : { id: role.RoleId }),
    trustPolicy: role.AssumeRolePolicyDocument,
    inline: inline(role.RolePolicyList, 'RolePolicyList', entry, issues),
    attached: attached(role.AttachedManagedPolicies, entry, issues),
    ...boundary(role.PermissionsBoundary),
    ...tags(role.Tags),
  }
}

export function toManagedPolicy(
  entry: ReadEntry<RawPolicyShape>,
  issues: SnapshotIssue[],
): ManagedPolicyRecord {
  const policy = entry.value
  const versions = readItems(
    policy.PolicyVersionList,
    { field: 'PolicyVersionList', consequence: 'that version is ignored' },
    VERSION_ITEM,
    entry,
    issues,
  ).map((version) => ({
    versionId: version.VersionId,
    isDefault: version.IsDefaultVersion ?? version.VersionId === policy.DefaultVersionId,
    document: version.Document,
  }))
  const current =
    versions.find((version) => version.versionId === policy.DefaultVersionId) ??
    versions.find((version) => version.isDefault)
  return {
    arn: policy.Arn,
    name: policy.PolicyName ?? nameOfArn(policy.Arn),
    path: policy.Path ?? '/',
    defaultVersionId: policy.DefaultVersionId ?? current?.versionId ?? 'v1',
    document: current?.document,
    versions,
  }
}

export function toChannel(channel: RawChannelShape): SlackChannelConfiguration {
  return {
    teamId: channel.teamId,
    channelId: channel.channelId,
    ...(channel.channelName === undefined ? {} : { channelName: channel.channelName }),
    channelRoleArn: channel.channelRoleArn,
  }
}

export function toScp(scp: RawScpShape, index: number): ServiceControlPolicy {
  return {
    id: scp.Arn ?? scp.Id ?? `scp:${scp.Name ?? index}`,
    name: scp.Name ?? scp.Id ?? `scp-${index}`,
    document: scp.Content ?? scp.PolicyDocument,
  }
}

function inline(
  list: readonly unknown[] | undefined,
  field: string,
  owner: ReadEntry<unknown>,
  issues: SnapshotIssue[],
): InlinePolicy[] {
  return readItems(
    list,
    { field, consequence: 'that inline policy is evaluated as granting nothing' },
    INLINE_ITEM,
    owner,
    issues,
  ).map((policy) => ({ name: policy.PolicyName, document: policy.PolicyDocument }))
}

function attached(
  list: readonly unknown[] | undefined,
  owner: ReadEntry<unknown>,
  issues: SnapshotIssue[],
): AttachedPolicyRef[] {
  return readItems(
    list,
    {
      field: 'AttachedManagedPolicies',
      consequence: 'that attached policy is evaluated as granting nothing',
    },
    ATTACHED_ITEM,
    owner,
    issues,
  ).map((ref) => ({
    arn: ref.PolicyArn,
    name: ref.PolicyName ?? nameOfArn(ref.PolicyArn),
  }))
}

function boundary(value: { PermissionsBoundaryArn?: string | undefined } | undefined): {
  boundaryArn?: string
} {
  return value?.PermissionsBoundaryArn ? { boundaryArn: value.PermissionsBoundaryArn } : {}
}

function tags(list: readonly { Key: string; Value: string }[] | undefined): {
  tags?: Record<string, string>
} {
  return list && list.length > 0 ? { tags: Object.fromEntries(list.map((tag) => [tag.Key, tag.Value])) } : {}
}
