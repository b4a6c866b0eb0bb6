import type { ChangeKind } from './types.ts'

export const IAM_EVENT_SOURCE = 'iam.amazonaws.com'
export const SUPPORT_APP_EVENT_SOURCE = 'supportapp.amazonaws.com'

/** Event sources whose calls the guard reads; any other source is not its business. */
export const HANDLED_EVENT_SOURCES: ReadonlySet<string> = new Set([
  IAM_EVENT_SOURCE,
  SUPPORT_APP_EVENT_SOURCE,
])

const IAM_CHANGE_KINDS: ReadonlyArray<readonly [string, ChangeKind]> = [
  ['AttachRolePolicy', 'policy-attachment'],
  ['AttachUserPolicy', 'policy-attachment'],
  ['AttachGroupPolicy', 'policy-attachment'],
  ['DetachRolePolicy', 'policy-attachment'],
  ['DetachUserPolicy', 'policy-attachment'],
  ['DetachGroupPolicy', 'policy-attachment'],
  ['PutRolePolicy', 'inline-policy'],
  ['PutUserPolicy', 'inline-policy'],
  ['PutGroupPolicy', 'inline-policy'],
  ['DeleteRolePolicy', 'inline-policy'],
  ['DeleteUserPolicy', 'inline-policy'],
  ['DeleteGroupPolicy', 'inline-policy'],
  ['CreatePolicyVersion', 'policy-version'],
  ['SetDefaultPolicyVersion', 'policy-version'],
  ['DeletePolicyVersion', 'policy-version'],
  ['CreatePolicy', 'managed-policy'],
  ['DeletePolicy', 'managed-policy'],
  ['UpdateAssumeRolePolicy', 'trust-policy'],
  ['PutRolePermissionsBoundary', 'permissions-boundary'],
  ['PutUserPermissionsBoundary', 'permissions-boundary'],
  ['DeleteRolePermissionsBoundary', 'permissions-boundary'],
  ['DeleteUserPermissionsBoundary', 'permissions-boundary'],
  ['AddUserToGroup', 'group-membership'],
  ['RemoveUserFromGroup', 'group-membership'],
  ['CreateRole', 'principal-lifecycle'],
  ['DeleteRole', 'principal-lifecycle'],
  ['DeleteUser', 'principal-lifecycle'],
  ['DeleteGroup', 'principal-lifecycle'],
  ['TagRole', 'tagging'],
  ['UntagRole', 'tagging'],
  ['CreateServiceLinkedRole', 'service-linked-role'],
  ['DeleteServiceLinkedRole', 'service-linked-role'],
  // A read, but its answer reveals that a service-linked role deletion is under way.
  ['GetServiceLinkedRoleDeletionStatus', 'service-linked-role'],
]

const SUPPORT_APP_CHANGE_KINDS: ReadonlyArray<readonly [string, ChangeKind]> = [
  ['CreateSlackChannelConfiguration', 'support-app-channel'],
  ['UpdateSlackChannelConfiguration', 'support-app-channel'],
  ['DeleteSlackChannelConfiguration', 'support-app-channel'],
]

// Maps, not object literals: event names come from untrusted input (`constructor`, `__proto__`).
const KINDS_BY_SOURCE: ReadonlyMap<string, ReadonlyMap<string, ChangeKind>> = new Map([
  [IAM_EVENT_SOURCE, new Map(IAM_CHANGE_KINDS)],
  [SUPPORT_APP_EVENT_SOURCE, new Map(SUPPORT_APP_CHANGE_KINDS)],
])

/** The kind of change a call makes, or undefined when the guard does not classify the call. */
export function findChangeKind(eventSource: string, eventName: string): ChangeKind | undefined {
  return KINDS_BY_SOURCE.get(eventSource)?.get(eventName)
}

/** Every classified call, for documentation and exhaustive tests. */
export function listClassifiedEvents(): ReadonlyArray<{
  readonly eventSource: string
  readonly eventName: string
  readonly kind: ChangeKind
}> {
  return [...KINDS_BY_SOURCE].flatMap(([eventSource, kinds]) =>
    [...kinds].map(([eventName, kind]) => ({ eventSource, eventName, kind })),
  )
}
