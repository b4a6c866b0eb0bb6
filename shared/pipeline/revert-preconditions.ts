import { sameIamName } from '#shared/policy/arn.ts'
import { canonicalDocument } from '#shared/policy/canonical-document.ts'
import type { AccountSnapshot, GroupRecord, PrincipalRecord } from '#shared/snapshot/types.ts'
import type { Mutation } from './mutate-snapshot.ts'

/**
 * True when the element a change wrote still holds the value the change gave it in `state`.
 * A revert answers that change only: once someone (an operator, a later change) has written
 * the element again, undoing the change would undo their work instead, so the revert is stale.
 * Unknown elements (the principal is not in `state`) count as changed since.
 */
export function elementStillAsChanged(mutation: Mutation, state: AccountSnapshot): boolean {
  switch (mutation.action) {
    case 'attach-policy':
    case 'detach-policy': {
      const owner = findOwner(state, mutation.principalType, mutation.principalName)
      if (!owner) return false
      const attached = owner.attached.some((ref) => ref.arn === mutation.policyArn)
      return attached === (mutation.action === 'attach-policy')
    }
    case 'put-inline-policy':
    case 'delete-inline-policy': {
      const owner = findOwner(state, mutation.principalType, mutation.principalName)
      if (!owner) return false
      const current = owner.inline.find((policy) => policy.name === mutation.policyName)
      if (mutation.action === 'delete-inline-policy') return current === undefined
      return (
        current !== undefined && canonicalDocument(current.document) === canonicalDocument(mutation.document)
      )
    }
    case 'update-trust-policy': {
      const role = findByName(state.roles, mutation.roleName)
      return (
        role !== undefined && canonicalDocument(role.trustPolicy) === canonicalDocument(mutation.document)
      )
    }
    case 'put-permissions-boundary':
    case 'delete-permissions-boundary': {
      const owner = findOwner(state, mutation.principalType, mutation.principalName)
      if (!owner) return false
      const boundary = 'kind' in owner ? owner.boundaryArn : undefined
      return mutation.action === 'put-permissions-boundary'
        ? boundary === mutation.policyArn
        : boundary === undefined
    }
    case 'create-policy-version':
    case 'set-default-policy-version': {
      const policy = state.policies.find((entry) => entry.arn === mutation.policyArn)
      return policy !== undefined && policy.defaultVersionId === mutation.versionId
    }
    case 'add-user-to-group':
    case 'remove-user-from-group': {
      const user = findByName(state.users, mutation.userName)
      if (user === undefined) return false
      const member = user.groups.some((group) => sameIamName(group, mutation.groupName))
      return member === (mutation.action === 'add-user-to-group')
    }
    case 'delete-principal':
      return findOwner(state, mutation.principalType, mutation.principalName) === undefined
    case 'create-service-linked-role':
      return true
  }
}

function findOwner(
  state: AccountSnapshot,
  type: 'role' | 'user' | 'group',
  name: string,
): PrincipalRecord | GroupRecord | undefined {
  return type === 'role'
    ? findByName(state.roles, name)
    : type === 'user'
      ? findByName(state.users, name)
      : findByName(state.groups, name)
}

function findByName<T extends { readonly name: string }>(
  entities: readonly T[],
  name: string,
): T | undefined {
  return entities.find((entity) => sameIamName(entity.name, name))
}
