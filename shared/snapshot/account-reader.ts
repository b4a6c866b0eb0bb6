import type { AccountSnapshot, GroupRecord, ManagedPolicyRecord, RoleRecord, UserRecord } from './types.ts'

/** Reads the IAM state a change touches. Absent entities are `undefined`, not errors. */
export interface AccountReader {
  readRole(name: string): Promise<RoleRecord | undefined>
  readUser(name: string): Promise<UserRecord | undefined>
  readGroup(name: string): Promise<GroupRecord | undefined>
  /** User names of a group's members. */
  listGroupMembers(name: string): Promise<readonly string[]>
  readManagedPolicy(arn: string): Promise<ManagedPolicyRecord | undefined>
  /** Document of one version of a managed policy (undefined when the version is gone). */
  readPolicyVersion(arn: string, versionId: string): Promise<unknown>
  /** Names of the roles, users and groups a managed policy is attached to. */
  listPolicyHolders(
    arn: string,
  ): Promise<{ roles: readonly string[]; users: readonly string[]; groups: readonly string[] }>
  /**
   * The whole account in a few paged calls (GetAccountAuthorizationDetails): cheaper than reading
   * principals one by one once a change fans out to many of them. Optional: without it every
   * principal is read one by one.
   */
  readAccount?(accountId: string): Promise<AccountSnapshot>
}
