import {
  DeleteGroupCommand,
  DeleteGroupPolicyCommand,
  DeletePolicyCommand,
  DeletePolicyVersionCommand,
  DeleteRoleCommand,
  DeleteRolePolicyCommand,
  DeleteUserCommand,
  DeleteUserPolicyCommand,
  DetachGroupPolicyCommand,
  DetachRolePolicyCommand,
  DetachUserPolicyCommand,
  type IAMClient,
  RemoveUserFromGroupCommand,
} from '@aws-sdk/client-iam'
import type {
  AccountSnapshot,
  GroupRecord,
  ManagedPolicyRecord,
  RoleRecord,
  UserRecord,
} from '#shared/snapshot/types.ts'
import { isAwsManaged, seedSnapshot, step } from './seed-snapshot.ts'

/** What differs between two states, closed over IAM's delete dependencies. */
export interface SyncPlan {
  readonly policies: ReadonlySet<string>
  readonly groups: ReadonlySet<string>
  readonly roles: ReadonlySet<string>
  readonly users: ReadonlySet<string>
}

/**
 * The entities to delete and re-create to turn `current` into `desired`: those that differ,
 * and those IAM will not let go otherwise: the holders of a changed customer managed policy
 * (attached or as boundary) and the members of a changed group.
 */
export function planSync(current: AccountSnapshot, desired: AccountSnapshot): SyncPlan {
  const customer = (snapshot: AccountSnapshot) =>
    snapshot.policies.filter((entry) => !isAwsManaged(entry.arn))
  const policies = differing(customer(current), customer(desired), (entry) => entry.arn)
  const usesPolicy = (entry: { attached: readonly { arn: string }[]; boundaryArn?: string }) =>
    entry.attached.some((ref) => policies.has(ref.arn)) ||
    (entry.boundaryArn !== undefined && policies.has(entry.boundaryArn))
  const groups = differing(current.groups, desired.groups, (entry) => entry.name)
  const roles = differing(current.roles, desired.roles, (entry) => entry.name)
  const users = differing(current.users, desired.users, (entry) => entry.name)
  for (const snapshot of [current, desired]) {
    for (const group of snapshot.groups) if (usesPolicy(group)) groups.add(group.name)
    for (const role of snapshot.roles) if (usesPolicy(role)) roles.add(role.name)
  }
  for (const snapshot of [current, desired]) {
    for (const user of snapshot.users) {
      if (usesPolicy(user) || user.groups.some((name) => groups.has(name))) users.add(user.name)
    }
  }
  return { policies, groups, roles, users }
}

/**
 * Brings an IAM that holds `current` to `desired` by deleting and re-creating only what
 * `planSync` names: much cheaper than a reset of the emulator and a full seed.
 */
export async function syncSnapshot(
  iam: IAMClient,
  current: AccountSnapshot,
  desired: AccountSnapshot,
): Promise<SyncPlan> {
  const plan = planSync(current, desired)
  const currentGroups = new Set(current.groups.map((group) => group.name))
  await Promise.all(
    current.users
      .filter((user) => plan.users.has(user.name))
      .map((user) => deleteUser(iam, user, currentGroups)),
  )
  await Promise.all(
    current.roles.filter((role) => plan.roles.has(role.name)).map((role) => deleteRole(iam, role)),
  )
  await Promise.all(
    current.groups.filter((group) => plan.groups.has(group.name)).map((group) => deleteGroup(iam, group)),
  )
  await Promise.all(
    current.policies
      .filter((policy) => plan.policies.has(policy.arn))
      .map((policy) => deletePolicy(iam, policy)),
  )
  await seedSnapshot(
    iam,
    {
      ...desired,
      policies: desired.policies.filter((policy) => plan.policies.has(policy.arn)),
      groups: desired.groups.filter((group) => plan.groups.has(group.name)),
      roles: desired.roles.filter((role) => plan.roles.has(role.name)),
      users: desired.users.filter((user) => plan.users.has(user.name)),
    },
    new Set(desired.groups.map((group) => group.name)),
  )
  return plan
}

function differing<T>(current: readonly T[], desired: readonly T[], key: (entry: T) => string): Set<string> {
  const text = (entries: readonly T[]) => new Map(entries.map((entry) => [key(entry), JSON.stringify(entry)]))
  const before = text(current)
  const after = text(desired)
  const keys = new Set([...before.keys(), ...after.keys()])
  return new Set([...keys].filter((name) => before.get(name) !== after.get(name)))
}

async function deleteUser(iam: IAMClient, user: UserRecord, groups: ReadonlySet<string>): Promise<void> {
  const UserName = user.name
  for (const GroupName of user.groups.filter((name) => groups.has(name))) {
    await step(`user ${UserName} out of ${GroupName}`, () =>
      iam.send(new RemoveUserFromGroupCommand({ UserName, GroupName })),
    )
  }
  for (const ref of user.attached) {
    await step(`user ${UserName} detach ${ref.arn}`, () =>
      iam.send(new DetachUserPolicyCommand({ UserName, PolicyArn: ref.arn })),
    )
  }
  for (const inline of user.inline) {
    await step(`user ${UserName} delete inline ${inline.name}`, () =>
      iam.send(new DeleteUserPolicyCommand({ UserName, PolicyName: inline.name })),
    )
  }
  await step(`delete user ${UserName}`, () => iam.send(new DeleteUserCommand({ UserName })))
}

async function deleteRole(iam: IAMClient, role: RoleRecord): Promise<void> {
  const RoleName = role.name
  for (const ref of role.attached) {
    await step(`role ${RoleName} detach ${ref.arn}`, () =>
      iam.send(new DetachRolePolicyCommand({ RoleName, PolicyArn: ref.arn })),
    )
  }
  for (const inline of role.inline) {
    await step(`role ${RoleName} delete inline ${inline.name}`, () =>
      iam.send(new DeleteRolePolicyCommand({ RoleName, PolicyName: inline.name })),
    )
  }
  await step(`delete role ${RoleName}`, () => iam.send(new DeleteRoleCommand({ RoleName })))
}

async function deleteGroup(iam: IAMClient, group: GroupRecord): Promise<void> {
  const GroupName = group.name
  for (const ref of group.attached) {
    await step(`group ${GroupName} detach ${ref.arn}`, () =>
      iam.send(new DetachGroupPolicyCommand({ GroupName, PolicyArn: ref.arn })),
    )
  }
  for (const inline of group.inline) {
    await step(`group ${GroupName} delete inline ${inline.name}`, () =>
      iam.send(new DeleteGroupPolicyCommand({ GroupName, PolicyName: inline.name })),
    )
  }
  await step(`delete group ${GroupName}`, () => iam.send(new DeleteGroupCommand({ GroupName })))
}

/** IAM deletes a managed policy only once its non-default versions are gone. */
async function deletePolicy(iam: IAMClient, policy: ManagedPolicyRecord): Promise<void> {
  const PolicyArn = policy.arn
  for (const version of policy.versions.filter((entry) => entry.versionId !== policy.defaultVersionId)) {
    await step(`${PolicyArn} delete ${version.versionId}`, () =>
      iam.send(new DeletePolicyVersionCommand({ PolicyArn, VersionId: version.versionId })),
    )
  }
  await step(`delete ${PolicyArn}`, () => iam.send(new DeletePolicyCommand({ PolicyArn })))
}
