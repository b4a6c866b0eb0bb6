import type { ChangeEvent } from '#shared/events/types.ts'
import { decodePolicyDocument } from '#shared/policy/decode-document.ts'
import type { Mutation } from './mutate-snapshot.ts'
import type { PrincipalKind } from './remediation-steps.ts'

const OWNED = /^(Attach|Detach|Put|Delete)(Role|User|Group)(Policy|PermissionsBoundary)$/

/** The principal type and name a `…Role…`/`…User…`/`…Group…` event acts on. */
export function ownerOfChange(change: ChangeEvent): { type: PrincipalKind; name: string } | undefined {
  const type = OWNED.exec(change.eventName)?.[2]?.toLowerCase() as PrincipalKind | undefined
  const { roleName, userName, groupName } = change.parameters
  if (type) {
    const name = type === 'role' ? roleName : type === 'user' ? userName : groupName
    return name ? { type, name } : undefined
  }
  if (roleName) return { type: 'role', name: roleName }
  if (userName) return { type: 'user', name: userName }
  if (groupName) return { type: 'group', name: groupName }
  return undefined
}

/**
 * What a successful change did to IAM, as an in-memory mutation (for `replay` against an
 * export). Failed calls changed nothing; calls the guard does not model return undefined.
 */
export function mutationOfChange(change: ChangeEvent): Mutation | undefined {
  if (change.failed) return undefined
  const owner = ownerOfChange(change)
  const p = change.parameters
  const match = OWNED.exec(change.eventName)
  if (match && owner) {
    const [, verb, , object] = match
    if (object === 'Policy' && p.policyArn && (verb === 'Attach' || verb === 'Detach')) {
      return {
        action: verb === 'Attach' ? 'attach-policy' : 'detach-policy',
        principalType: owner.type,
        principalName: owner.name,
        policyArn: p.policyArn,
      }
    }
    if (object === 'Policy' && p.policyName && verb === 'Put') {
      const document = decodePolicyDocument(p.policyDocument)
      return {
        action: 'put-inline-policy',
        principalType: owner.type,
        principalName: owner.name,
        policyName: p.policyName,
        document: document.ok ? document.value : p.policyDocument,
      }
    }
    if (object === 'Policy' && p.policyName && verb === 'Delete') {
      return {
        action: 'delete-inline-policy',
        principalType: owner.type,
        principalName: owner.name,
        policyName: p.policyName,
      }
    }
    if (object === 'PermissionsBoundary' && owner.type !== 'group') {
      if (verb === 'Put' && p.permissionsBoundary) {
        return {
          action: 'put-permissions-boundary',
          principalType: owner.type,
          principalName: owner.name,
          policyArn: p.permissionsBoundary,
        }
      }
      if (verb === 'Delete')
        return { action: 'delete-permissions-boundary', principalType: owner.type, principalName: owner.name }
    }
    return undefined
  }
  switch (change.eventName) {
    case 'CreatePolicyVersion': {
      if (!p.policyArn) return undefined
      const document = decodePolicyDocument(p.policyDocument)
      return {
        action: 'create-policy-version',
        policyArn: p.policyArn,
        versionId: change.response.versionId ?? 'v-new',
        document: document.ok ? document.value : p.policyDocument,
        setAsDefault: p.setAsDefault === true,
      }
    }
    case 'SetDefaultPolicyVersion':
      return p.policyArn && p.versionId
        ? { action: 'set-default-policy-version', policyArn: p.policyArn, versionId: p.versionId }
        : undefined
    case 'UpdateAssumeRolePolicy': {
      if (!p.roleName) return undefined
      const document = decodePolicyDocument(p.policyDocument)
      return {
        action: 'update-trust-policy',
        roleName: p.roleName,
        document: document.ok ? document.value : p.policyDocument,
      }
    }
    case 'AddUserToGroup':
    case 'RemoveUserFromGroup':
      return p.userName && p.groupName
        ? {
            action: change.eventName === 'AddUserToGroup' ? 'add-user-to-group' : 'remove-user-from-group',
            userName: p.userName,
            groupName: p.groupName,
          }
        : undefined
    case 'DeleteRole':
    case 'DeleteServiceLinkedRole':
      return p.roleName
        ? { action: 'delete-principal', principalType: 'role', principalName: p.roleName }
        : undefined
    case 'DeleteUser':
      return p.userName
        ? { action: 'delete-principal', principalType: 'user', principalName: p.userName }
        : undefined
    case 'DeleteGroup':
      return p.groupName
        ? { action: 'delete-principal', principalType: 'group', principalName: p.groupName }
        : undefined
    default:
      return undefined
  }
}
