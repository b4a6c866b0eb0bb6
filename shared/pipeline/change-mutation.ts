import type { ChangeEvent, ChangeSubject } from '#shared/events/types.ts'
import type { Mutation } from './mutate-snapshot.ts'
import type { PrincipalKind } from './remediation-steps.ts'

const OWNED = /^(Attach|Detach|Put|Delete)(Role|User|Group)(Policy|PermissionsBoundary)$/

/**
 * The user, role or group a change acts on: the one of the type a `…Role…`/`…User…`/`…Group…`
 * call names in its event name, else the first the call names (its role, user, group, then a
 * Support App channel's role).
 */
export function ownerOfChange(change: ChangeEvent): ChangeSubject | undefined {
  const type = OWNED.exec(change.eventName)?.[2]?.toLowerCase() as PrincipalKind | undefined
  return type ? change.subjects.find((subject) => subject.type === type) : change.subjects[0]
}

/** The user or role a successful DeleteRole or DeleteUser deleted. */
export function deletedPrincipalOf(change: ChangeEvent): ChangeSubject | undefined {
  if (change.failed) return undefined
  const type =
    change.eventName === 'DeleteRole' ? 'role' : change.eventName === 'DeleteUser' ? 'user' : undefined
  return type && change.subjects.find((subject) => subject.type === type)
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
      return {
        action: 'put-inline-policy',
        principalType: owner.type,
        principalName: owner.name,
        policyName: p.policyName,
        document: change.document,
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
      return {
        action: 'create-policy-version',
        policyArn: p.policyArn,
        versionId: change.response.versionId ?? 'v-new',
        document: change.document,
        setAsDefault: p.setAsDefault === true,
      }
    }
    case 'SetDefaultPolicyVersion':
      return p.policyArn && p.versionId
        ? { action: 'set-default-policy-version', policyArn: p.policyArn, versionId: p.versionId }
        : undefined
    case 'UpdateAssumeRolePolicy':
      return p.roleName
        ? { action: 'update-trust-policy', roleName: p.roleName, document: change.document }
        : undefined
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
