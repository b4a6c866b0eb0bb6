/**
 * The account as the guard sees it: users, groups, roles and managed policies with their
 * documents, normalized from `get-account-authorization-details` output (CLI JSON or SDK).
 * Policy documents stay as received (object, JSON string or URL-encoded JSON string) and
 * are parsed once by the evaluator.
 */

import type { PolicyIssue } from '#shared/policy/types.ts'
import type { OrganizationFile } from './organization.ts'

export interface InlinePolicy {
  readonly name: string
  readonly document: unknown
}

export interface AttachedPolicyRef {
  readonly arn: string
  readonly name: string
}

interface PrincipalBase {
  readonly arn: string
  readonly name: string
  readonly path: string
  readonly id?: string
  readonly inline: readonly InlinePolicy[]
  readonly attached: readonly AttachedPolicyRef[]
  /** ARN of the managed policy set as permissions boundary, if any. */
  readonly boundaryArn?: string
  readonly tags?: Readonly<Record<string, string>>
}

export interface UserRecord extends PrincipalBase {
  readonly kind: 'user'
  /** Group names (not ARNs), as IAM lists them. */
  readonly groups: readonly string[]
}

export interface RoleRecord extends PrincipalBase {
  readonly kind: 'role'
  readonly trustPolicy: unknown
}

export interface GroupRecord {
  readonly arn: string
  readonly name: string
  readonly path: string
  readonly inline: readonly InlinePolicy[]
  readonly attached: readonly AttachedPolicyRef[]
}

export interface PolicyVersionRecord {
  readonly versionId: string
  readonly isDefault: boolean
  readonly document: unknown
}

export interface ManagedPolicyRecord {
  readonly arn: string
  readonly name: string
  readonly path: string
  readonly defaultVersionId: string
  /** Document of the default version. */
  readonly document: unknown
  readonly versions: readonly PolicyVersionRecord[]
}

/** One Support App Slack channel configuration (`aws support-app list-slack-channel-configurations`). */
export interface SlackChannelConfiguration {
  readonly teamId: string
  readonly channelId: string
  readonly channelName?: string
  readonly channelRoleArn: string
}

/** A service control policy of the organization that applies to the account (optional input). */
export interface ServiceControlPolicy {
  /** Policy ARN or ID as Organizations names it; `scp:<name>` when only a name is given. */
  readonly id: string
  readonly name: string
  readonly document: unknown
}

/**
 * An entry of the export the guard could not use as it stands, named for a person: `policy`
 * holds the entry in plain words (`role SupportTeam`, `user dev`), `path` where it sits in the
 * export (`RoleDetailList[17]`), `message` what is wrong and what the guard did about it.
 */
export interface SnapshotIssue extends PolicyIssue {
  /** True when the entry was left out of the audit; false when it is audited with the flaw noted. */
  readonly skipped: boolean
}

export interface AccountSnapshot {
  readonly accountId: string
  readonly users: readonly UserRecord[]
  readonly groups: readonly GroupRecord[]
  readonly roles: readonly RoleRecord[]
  readonly policies: readonly ManagedPolicyRecord[]
  readonly slackChannelConfigurations: readonly SlackChannelConfiguration[]
  /**
   * SCPs that apply to the account, when the export includes them (`ServiceControlPolicies`).
   * Evaluated as one layer: an action must be allowed by one of them and denied by none.
   */
  readonly serviceControlPolicies?: readonly ServiceControlPolicy[]
  /**
   * The organisation the account belongs to, when the export includes it (`Organization`, or
   * the CLI's `--org FILE`): its SCPs are evaluated level by level along the account's path.
   */
  readonly organization?: OrganizationFile
  /** Entries of the export that were skipped or read with a flaw; absent when there were none. */
  readonly issues?: readonly SnapshotIssue[]
}

export type PrincipalRecord = UserRecord | RoleRecord
