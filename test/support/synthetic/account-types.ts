/**
 * The JSON shape of `aws iam get-account-authorization-details` (all pages merged) as the
 * benchmark produces it. Unlike the SDK-typed shape in shared/aws, a document here is either
 * the decoded object (what the CLI prints) or the URL-encoded JSON string IAM's API returns.
 */

export type StringOrList = string | string[]

export interface StatementJson {
  Sid?: string
  Effect: 'Allow' | 'Deny'
  Principal?: '*' | Record<string, StringOrList>
  Action?: StringOrList
  NotAction?: StringOrList
  Resource?: StringOrList
  NotResource?: StringOrList
  Condition?: Record<string, Record<string, StringOrList>>
}

export interface PolicyDocumentJson {
  Version: '2012-10-17'
  Statement: StatementJson | StatementJson[]
}

/** A document as it appears in an export: decoded object or URL-encoded JSON text. */
export type PolicyDocumentValue = PolicyDocumentJson | string

export interface RawInlinePolicy {
  PolicyName: string
  PolicyDocument: PolicyDocumentValue
}

export interface RawAttachedPolicy {
  PolicyName: string
  PolicyArn: string
}

export interface RawBoundary {
  PermissionsBoundaryType: 'Policy'
  PermissionsBoundaryArn: string
}

export interface RawTag {
  Key: string
  Value: string
}

export interface RawUser {
  Path: string
  UserName: string
  UserId: string
  Arn: string
  CreateDate: string
  UserPolicyList: RawInlinePolicy[]
  GroupList: string[]
  AttachedManagedPolicies: RawAttachedPolicy[]
  PermissionsBoundary?: RawBoundary
  Tags: RawTag[]
}

export interface RawGroup {
  Path: string
  GroupName: string
  GroupId: string
  Arn: string
  CreateDate: string
  GroupPolicyList: RawInlinePolicy[]
  AttachedManagedPolicies: RawAttachedPolicy[]
}

export interface RawRole {
  Path: string
  RoleName: string
  RoleId: string
  Arn: string
  CreateDate: string
  AssumeRolePolicyDocument: PolicyDocumentValue
  RolePolicyList: RawInlinePolicy[]
  AttachedManagedPolicies: RawAttachedPolicy[]
  PermissionsBoundary?: RawBoundary
  Tags: RawTag[]
}

export interface RawPolicyVersion {
  Document: PolicyDocumentValue
  VersionId: string
  IsDefaultVersion: boolean
  CreateDate: string
}

export interface RawManagedPolicy {
  PolicyName: string
  PolicyId: string
  Arn: string
  Path: string
  DefaultVersionId: string
  AttachmentCount: number
  PermissionsBoundaryUsageCount: number
  IsAttachable: boolean
  CreateDate: string
  UpdateDate: string
  PolicyVersionList: RawPolicyVersion[]
}

/** One entry of `aws support-app list-slack-channel-configurations`. */
export interface RawSlackChannel {
  teamId: string
  channelId: string
  channelName: string
  channelRoleArn: string
  notifyOnCaseSeverity: 'none' | 'all' | 'high'
}

export interface RawAuthorizationDetails {
  AccountId: string
  UserDetailList: RawUser[]
  GroupDetailList: RawGroup[]
  RoleDetailList: RawRole[]
  Policies: RawManagedPolicy[]
  SupportAppSlackChannelConfigurations: RawSlackChannel[]
}
