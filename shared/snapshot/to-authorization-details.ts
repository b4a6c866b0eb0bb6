import type { AccountSnapshot, AttachedPolicyRef, InlinePolicy } from './types.ts'

const inline = (list: readonly InlinePolicy[]) =>
  list.map((policy) => ({ PolicyName: policy.name, PolicyDocument: policy.document }))
const attached = (list: readonly AttachedPolicyRef[]) =>
  list.map((ref) => ({ PolicyName: ref.name, PolicyArn: ref.arn }))
const boundary = (arn: string | undefined) =>
  arn ? { PermissionsBoundary: { PermissionsBoundaryType: 'Policy', PermissionsBoundaryArn: arn } } : {}
const tags = (record: Readonly<Record<string, string>> | undefined) =>
  record ? { Tags: Object.entries(record).map(([Key, Value]) => ({ Key, Value })) } : {}

/** The inverse of `parseAccountSnapshot`: the export shape, so a written snapshot reads back the same. */
export function toAuthorizationDetails(snapshot: AccountSnapshot): Record<string, unknown> {
  return {
    AccountId: snapshot.accountId,
    UserDetailList: snapshot.users.map((user) => ({
      UserName: user.name,
      Arn: user.arn,
      Path: user.path,
      ...(user.id ? { UserId: user.id } : {}),
      UserPolicyList: inline(user.inline),
      GroupList: user.groups,
      AttachedManagedPolicies: attached(user.attached),
      ...boundary(user.boundaryArn),
      ...tags(user.tags),
    })),
    GroupDetailList: snapshot.groups.map((group) => ({
      GroupName: group.name,
      Arn: group.arn,
      Path: group.path,
      GroupPolicyList: inline(group.inline),
      AttachedManagedPolicies: attached(group.attached),
    })),
    RoleDetailList: snapshot.roles.map((role) => ({
      RoleName: role.name,
      Arn: role.arn,
      Path: role.path,
      ...(role.id ? { RoleId: role.id } : {}),
      AssumeRolePolicyDocument: role.trustPolicy,
      RolePolicyList: inline(role.inline),
      AttachedManagedPolicies: attached(role.attached),
      ...boundary(role.boundaryArn),
      ...tags(role.tags),
    })),
    Policies: snapshot.policies.map((policy) => ({
      PolicyName: policy.name,
      Arn: policy.arn,
      Path: policy.path,
      DefaultVersionId: policy.defaultVersionId,
      PolicyVersionList: policy.versions.map((version) => ({
        VersionId: version.versionId,
        IsDefaultVersion: version.isDefault,
        Document: version.document,
      })),
    })),
    SupportAppSlackChannelConfigurations: snapshot.slackChannelConfigurations,
    ...(snapshot.serviceControlPolicies
      ? {
          ServiceControlPolicies: snapshot.serviceControlPolicies.map((scp) => ({
            Id: scp.id,
            Name: scp.name,
            Content: scp.document,
          })),
        }
      : {}),
    ...(snapshot.organization ? { Organization: snapshot.organization } : {}),
  }
}
