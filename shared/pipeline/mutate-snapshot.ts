import { findServiceLinkedRoleByService } from '#shared/catalog/service-linked-roles.ts'
import {
  buildServiceLinkedRoleArn,
  nameOfArn,
  sameIamName,
  serviceLinkedRolePath,
} from '#shared/policy/arn.ts'
import type {
  AccountSnapshot,
  GroupRecord,
  ManagedPolicyRecord,
  PrincipalRecord,
  RoleRecord,
  UserRecord,
} from '#shared/snapshot/types.ts'
import type { PrincipalKind, RemediationStep } from './remediation-steps.ts'

/** An IAM change applied in memory: a revert step, or one of the changes only events make. */
export type Mutation =
  | RemediationStep
  | {
      readonly action: 'create-policy-version'
      readonly policyArn: string
      readonly versionId: string
      readonly document: unknown
      readonly setAsDefault: boolean
    }
  | {
      readonly action: 'delete-principal'
      readonly principalType: PrincipalKind
      readonly principalName: string
    }

/**
 * Returns a copy of `snapshot` with `mutation` applied, or the same snapshot when the
 * mutation's target is not in it. Used to replay an event against an export and to check,
 * before writing anything, that a planned revert really clears a finding.
 */
export function applyMutation(snapshot: AccountSnapshot, mutation: Mutation): AccountSnapshot {
  switch (mutation.action) {
    case 'attach-policy':
    case 'detach-policy': {
      const attach = mutation.action === 'attach-policy'
      return updateOwner(snapshot, mutation.principalType, mutation.principalName, (owner) => ({
        ...owner,
        attached: attach
          ? owner.attached.some((ref) => ref.arn === mutation.policyArn)
            ? owner.attached
            : [...owner.attached, { arn: mutation.policyArn, name: nameOfArn(mutation.policyArn) }]
          : owner.attached.filter((ref) => ref.arn !== mutation.policyArn),
      }))
    }
    case 'put-inline-policy':
    case 'delete-inline-policy': {
      const put = mutation.action === 'put-inline-policy' ? mutation.document : undefined
      return updateOwner(snapshot, mutation.principalType, mutation.principalName, (owner) => ({
        ...owner,
        inline: [
          ...owner.inline.filter((policy) => policy.name !== mutation.policyName),
          ...(put === undefined ? [] : [{ name: mutation.policyName, document: put }]),
        ],
      }))
    }
    case 'set-default-policy-version':
      return updatePolicy(snapshot, mutation.policyArn, (policy) => setDefault(policy, mutation.versionId))
    case 'create-policy-version':
      return updatePolicy(snapshot, mutation.policyArn, (policy) => {
        const added = {
          ...policy,
          versions: [
            ...policy.versions.filter((version) => version.versionId !== mutation.versionId),
            { versionId: mutation.versionId, isDefault: false, document: mutation.document },
          ],
        }
        return mutation.setAsDefault ? setDefault(added, mutation.versionId) : added
      })
    case 'update-trust-policy':
      return {
        ...snapshot,
        roles: snapshot.roles.map(
          (role): RoleRecord =>
            role.name === mutation.roleName ? { ...role, trustPolicy: mutation.document } : role,
        ),
      }
    case 'put-permissions-boundary':
    case 'delete-permissions-boundary': {
      const arn = mutation.action === 'put-permissions-boundary' ? mutation.policyArn : undefined
      return updatePrincipal(snapshot, mutation.principalType, mutation.principalName, (principal) => {
        const { boundaryArn: _previous, ...rest } = principal
        return arn ? { ...rest, boundaryArn: arn } : rest
      })
    }
    case 'add-user-to-group':
    case 'remove-user-from-group': {
      const add = mutation.action === 'add-user-to-group'
      return updatePrincipal(snapshot, 'user', mutation.userName, (principal) => {
        const user = principal as UserRecord
        const groups = user.groups.filter((name) => name !== mutation.groupName)
        return { ...user, groups: add ? [...groups, mutation.groupName] : groups }
      })
    }
    case 'create-service-linked-role':
      return addServiceLinkedRole(snapshot, mutation.awsServiceName)
    case 'delete-principal':
      return {
        ...snapshot,
        users:
          mutation.principalType === 'user'
            ? snapshot.users.filter((user) => user.name !== mutation.principalName)
            : snapshot.users,
        roles:
          mutation.principalType === 'role'
            ? snapshot.roles.filter((role) => role.name !== mutation.principalName)
            : snapshot.roles,
        groups:
          mutation.principalType === 'group'
            ? snapshot.groups.filter((group) => group.name !== mutation.principalName)
            : snapshot.groups,
      }
  }
}

type Owner = PrincipalRecord | GroupRecord

function updateOwner(
  snapshot: AccountSnapshot,
  type: PrincipalKind,
  name: string,
  change: (owner: Owner) => Owner,
): AccountSnapshot {
  if (type === 'group') {
    return {
      ...snapshot,
      groups: snapshot.groups.map((group) => (group.name === name ? (change(group) as GroupRecord) : group)),
    }
  }
  return updatePrincipal(snapshot, type, name, (principal) => change(principal) as PrincipalRecord)
}

function updatePrincipal(
  snapshot: AccountSnapshot,
  type: 'role' | 'user',
  name: string,
  change: (principal: PrincipalRecord) => PrincipalRecord,
): AccountSnapshot {
  if (type === 'role') {
    return {
      ...snapshot,
      roles: snapshot.roles.map((role) => (role.name === name ? (change(role) as RoleRecord) : role)),
    }
  }
  return {
    ...snapshot,
    users: snapshot.users.map((user) => (user.name === name ? (change(user) as UserRecord) : user)),
  }
}

function updatePolicy(
  snapshot: AccountSnapshot,
  arn: string,
  change: (policy: ManagedPolicyRecord) => ManagedPolicyRecord,
): AccountSnapshot {
  return {
    ...snapshot,
    policies: snapshot.policies.map((policy) => (policy.arn === arn ? change(policy) : policy)),
  }
}

function setDefault(policy: ManagedPolicyRecord, versionId: string): ManagedPolicyRecord {
  const target = policy.versions.find((version) => version.versionId === versionId)
  if (!target) return policy
  return {
    ...policy,
    defaultVersionId: versionId,
    document: target.document,
    versions: policy.versions.map((version) => ({ ...version, isDefault: version.versionId === versionId })),
  }
}

/** A protected service-linked role as IAM creates it (path `/aws-service-role/<service>/`); others are not modelled. */
function addServiceLinkedRole(snapshot: AccountSnapshot, service: string): AccountSnapshot {
  const role = findServiceLinkedRoleByService(service)
  if (!role || snapshot.roles.some((entry) => sameIamName(entry.name, role.roleName))) return snapshot
  const path = serviceLinkedRolePath(role.service)
  const record: RoleRecord = {
    kind: 'role',
    arn: buildServiceLinkedRoleArn(snapshot.accountId, role),
    name: role.roleName,
    path,
    inline: [],
    attached: [],
    trustPolicy: {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { Service: role.service }, Action: 'sts:AssumeRole' }],
    },
  }
  return { ...snapshot, roles: [...snapshot.roles, record] }
}
