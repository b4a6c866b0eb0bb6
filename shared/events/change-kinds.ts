import type { ChangeKind } from './types.ts'

export const IAM_EVENT_SOURCE = 'iam.amazonaws.com'
export const SUPPORT_APP_EVENT_SOURCE = 'supportapp.amazonaws.com'
/** AWS Support authorization: support permits (CloudTrail logs every call as a management event). */
export const SUPPORT_AUTHZ_EVENT_SOURCE = 'supportauthz.amazonaws.com'
export const SUPPORT_PLANS_EVENT_SOURCE = 'supportplans.amazonaws.com'
/** IAM Identity Center's administration API (permission sets, account assignments). */
export const IDENTITY_CENTER_EVENT_SOURCE = 'sso.amazonaws.com'

/** Event sources whose calls the guard reads; any other source is not its business. */
export const HANDLED_EVENT_SOURCES: ReadonlySet<string> = new Set([
  IAM_EVENT_SOURCE,
  SUPPORT_APP_EVENT_SOURCE,
  SUPPORT_AUTHZ_EVENT_SOURCE,
  SUPPORT_PLANS_EVENT_SOURCE,
  IDENTITY_CENTER_EVENT_SOURCE,
])

/**
 * Kinds judged from the event alone: the call writes nothing in IAM the posture rules could
 * read (a permit or plan lives in another service; a permission set reaches IAM only through
 * Identity Center's own later IAM calls, which arrive as IAM events of their own).
 */
export const EVENT_ONLY_KINDS: ReadonlySet<ChangeKind> = new Set([
  'support-permit',
  'support-plan',
  'identity-center',
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
  // Federation: a role that trusts a provider is only as safe as the provider.
  ['CreateSAMLProvider', 'identity-provider'],
  ['UpdateSAMLProvider', 'identity-provider'],
  ['DeleteSAMLProvider', 'identity-provider'],
  ['CreateOpenIDConnectProvider', 'identity-provider'],
  ['DeleteOpenIDConnectProvider', 'identity-provider'],
  ['AddClientIDToOpenIDConnectProvider', 'identity-provider'],
  ['RemoveClientIDFromOpenIDConnectProvider', 'identity-provider'],
  ['UpdateOpenIDConnectProviderThumbprint', 'identity-provider'],
]

const SUPPORT_APP_CHANGE_KINDS: ReadonlyArray<readonly [string, ChangeKind]> = [
  ['CreateSlackChannelConfiguration', 'support-app-channel'],
  ['UpdateSlackChannelConfiguration', 'support-app-channel'],
  ['DeleteSlackChannelConfiguration', 'support-app-channel'],
]

/**
 * The supportauthz writes. `SupportPermitRequestCreated`, the service event AWS records when an
 * operator asks for a permit, is not here: it arrives with detail-type `AWS Service Event via
 * CloudTrail` and without request parameters, which the parser does not accept as a change.
 */
const SUPPORT_AUTHZ_CHANGE_KINDS: ReadonlyArray<readonly [string, ChangeKind]> = [
  ['CreateSupportPermit', 'support-permit'],
  ['DeleteSupportPermit', 'support-permit'],
  ['RejectSupportPermitRequest', 'support-permit'],
  ['RegisterKey', 'support-permit'],
]

/** Calls that change the Support plan or its agreements. */
const SUPPORT_PLANS_CHANGE_KINDS: ReadonlyArray<readonly [string, ChangeKind]> = [
  ['StartSupportPlanUpdate', 'support-plan'],
  ['CreateSupportPlanSchedule', 'support-plan'],
  ['CancelSupportAgreement', 'support-plan'],
  ['AcceptSupportAgreement', 'support-plan'],
  ['CreateSupportAgreement', 'support-plan'],
  ['UpdateSupportAgreement', 'support-plan'],
  ['RejectSupportAgreement', 'support-plan'],
]

const IDENTITY_CENTER_CHANGE_KINDS: ReadonlyArray<readonly [string, ChangeKind]> = [
  ['CreatePermissionSet', 'identity-center'],
  ['DeletePermissionSet', 'identity-center'],
  ['PutInlinePolicyToPermissionSet', 'identity-center'],
  ['DeleteInlinePolicyFromPermissionSet', 'identity-center'],
  ['AttachManagedPolicyToPermissionSet', 'identity-center'],
  ['DetachManagedPolicyFromPermissionSet', 'identity-center'],
  ['AttachCustomerManagedPolicyReferenceToPermissionSet', 'identity-center'],
  ['DetachCustomerManagedPolicyReferenceFromPermissionSet', 'identity-center'],
  ['PutPermissionsBoundaryToPermissionSet', 'identity-center'],
  ['DeletePermissionsBoundaryFromPermissionSet', 'identity-center'],
  ['ProvisionPermissionSet', 'identity-center'],
  ['CreateAccountAssignment', 'identity-center'],
  ['DeleteAccountAssignment', 'identity-center'],
]

// Maps, not object literals: event names come from untrusted input (`constructor`, `__proto__`).
const KINDS_BY_SOURCE: ReadonlyMap<string, ReadonlyMap<string, ChangeKind>> = new Map([
  [IAM_EVENT_SOURCE, new Map(IAM_CHANGE_KINDS)],
  [SUPPORT_APP_EVENT_SOURCE, new Map(SUPPORT_APP_CHANGE_KINDS)],
  [SUPPORT_AUTHZ_EVENT_SOURCE, new Map(SUPPORT_AUTHZ_CHANGE_KINDS)],
  [SUPPORT_PLANS_EVENT_SOURCE, new Map(SUPPORT_PLANS_CHANGE_KINDS)],
  [IDENTITY_CENTER_EVENT_SOURCE, new Map(IDENTITY_CENTER_CHANGE_KINDS)],
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
