import { findKnownAwsManagedPolicy } from '#shared/catalog/aws-managed-policies.ts'
import { nameOfArn, sameIamName } from '#shared/policy/arn.ts'
import type { AccountReader } from '#shared/snapshot/account-reader.ts'
import type { AccountSnapshot, GroupRecord, ManagedPolicyRecord, RoleRecord, UserRecord } from './types.ts'

/**
 * Reads an account export the way the detect function reads IAM, so `replay` and tests run
 * the same code path as the Lambda. IAM names are unique regardless of case.
 */
export class SnapshotReader implements AccountReader {
  constructor(private readonly snapshot: AccountSnapshot) {}

  async readAccount(_accountId: string): Promise<AccountSnapshot> {
    return this.snapshot
  }

  async readRole(name: string): Promise<RoleRecord | undefined> {
    return this.snapshot.roles.find((role) => sameIamName(role.name, name))
  }

  async readUser(name: string): Promise<UserRecord | undefined> {
    return this.snapshot.users.find((user) => sameIamName(user.name, name))
  }

  async readGroup(name: string): Promise<GroupRecord | undefined> {
    return this.snapshot.groups.find((group) => sameIamName(group.name, name))
  }

  async listGroupMembers(name: string): Promise<readonly string[]> {
    return this.snapshot.users
      .filter((user) => user.groups.some((group) => sameIamName(group, name)))
      .map((user) => user.name)
  }

  async readManagedPolicy(arn: string): Promise<ManagedPolicyRecord | undefined> {
    const policy = this.snapshot.policies.find((entry) => entry.arn === arn)
    if (policy) return policy
    const known = findKnownAwsManagedPolicy(arn)
    if (known === undefined) return undefined
    return {
      arn,
      name: nameOfArn(arn),
      path: '/',
      defaultVersionId: 'v1',
      document: known,
      versions: [{ versionId: 'v1', isDefault: true, document: known }],
    }
  }

  async readPolicyVersion(arn: string, versionId: string): Promise<unknown> {
    return this.snapshot.policies
      .find((entry) => entry.arn === arn)
      ?.versions.find((version) => version.versionId === versionId)?.document
  }

  async listPolicyHolders(arn: string): Promise<{ roles: string[]; users: string[]; groups: string[] }> {
    const holds = (entity: { attached: readonly { arn: string }[] }) =>
      entity.attached.some((ref) => ref.arn === arn)
    return {
      roles: this.snapshot.roles.filter(holds).map((role) => role.name),
      users: this.snapshot.users.filter(holds).map((user) => user.name),
      groups: this.snapshot.groups.filter(holds).map((group) => group.name),
    }
  }
}
