import type { ChangeKind } from '#shared/events/types.ts'

export const ACCT = '123456789012'
export const role = (name: string) => `arn:aws:iam::${ACCT}:role/${name}`
const user = (name: string) => `arn:aws:iam::${ACCT}:user/${name}`
const group = (name: string) => `arn:aws:iam::${ACCT}:group/${name}`
export const policy = (name: string) => `arn:aws:iam::${ACCT}:policy/${name}`
const aws = (name: string) => `arn:aws:iam::aws:policy/${name}`
const slr = (service: string, name: string) => role(`aws-service-role/${service}/${name}`)

const SUPPORT_SLR = slr('support.amazonaws.com', 'AWSServiceRoleForSupport')
export const QUOTAS_SLR = slr('servicequotas.amazonaws.com', 'AWSServiceRoleForServiceQuotas')
const ADVISOR_SLR = slr('trustedadvisor.amazonaws.com', 'AWSServiceRoleForTrustedAdvisor')
const SSO = role('aws-reserved/sso.amazonaws.com/AWSReservedSSO_AdministratorAccess_5f2c6a1d8e3b4c70')
const OPS = user('ops-admin')
const CONTRACTOR = user('contractor-temp')
const PIPELINE = role('deploy-pipeline')
const ROOT = `arn:aws:iam::${ACCT}:root`
const APP_ROLE = role('AWSSupportAppRole')
const TEAM = role('SupportTeam')
const ENGINEER = user('support-engineer')
const ENGINEERS = group('SupportEngineers')
const SUPPORT_ACCESS = aws('AWSSupportAccess')
const TEAM_POLICY = policy('SupportTeamAccess')

/** What a file in events/ must parse to. */
export interface ExpectedChange {
  readonly file: string
  /** Omitted when the file is named after the event (`attach-role-policy.json` holds AttachRolePolicy). */
  readonly eventName?: string
  readonly kind: ChangeKind
  readonly targets: readonly string[]
  readonly actorArn: string
  readonly errorCode?: string
}

export const EXPECTED_CHANGES: readonly ExpectedChange[] = [
  {
    file: 'create-policy.json',
    kind: 'managed-policy',
    targets: [policy('SupportCasesScoped')],
    actorArn: SSO,
  },
  { file: 'create-policy-version.json', kind: 'policy-version', targets: [TEAM_POLICY], actorArn: OPS },
  { file: 'set-default-policy-version.json', kind: 'policy-version', targets: [TEAM_POLICY], actorArn: OPS },
  { file: 'delete-policy-version.json', kind: 'policy-version', targets: [TEAM_POLICY], actorArn: OPS },
  {
    file: 'delete-policy.json',
    kind: 'managed-policy',
    targets: [policy('SupportAppSlackAccess')],
    actorArn: SSO,
  },
  {
    file: 'attach-role-policy.json',
    kind: 'policy-attachment',
    targets: [APP_ROLE, aws('AdministratorAccess')],
    actorArn: SSO,
  },
  {
    file: 'attach-user-policy.json',
    kind: 'policy-attachment',
    targets: [CONTRACTOR, SUPPORT_ACCESS],
    actorArn: OPS,
  },
  {
    file: 'attach-group-policy.json',
    kind: 'policy-attachment',
    targets: [group('Developers'), SUPPORT_ACCESS],
    actorArn: SSO,
  },
  {
    file: 'detach-role-policy.json',
    kind: 'policy-attachment',
    targets: [TEAM, SUPPORT_ACCESS],
    actorArn: OPS,
  },
  {
    file: 'detach-user-policy.json',
    kind: 'policy-attachment',
    targets: [ENGINEER, SUPPORT_ACCESS],
    actorArn: OPS,
  },
  {
    file: 'detach-group-policy.json',
    kind: 'policy-attachment',
    targets: [ENGINEERS, SUPPORT_ACCESS],
    actorArn: SSO,
  },
  { file: 'put-role-policy.json', kind: 'inline-policy', targets: [TEAM], actorArn: OPS },
  { file: 'put-user-policy.json', kind: 'inline-policy', targets: [CONTRACTOR], actorArn: SSO },
  { file: 'put-group-policy.json', kind: 'inline-policy', targets: [ENGINEERS], actorArn: OPS },
  { file: 'delete-role-policy.json', kind: 'inline-policy', targets: [TEAM], actorArn: OPS },
  { file: 'delete-user-policy.json', kind: 'inline-policy', targets: [ENGINEER], actorArn: OPS },
  { file: 'delete-group-policy.json', kind: 'inline-policy', targets: [ENGINEERS], actorArn: SSO },
  {
    file: 'create-role.json',
    kind: 'principal-lifecycle',
    targets: [role('PartnerSupportAccess')],
    actorArn: PIPELINE,
  },
  { file: 'delete-role.json', kind: 'principal-lifecycle', targets: [TEAM], actorArn: ROOT },
  { file: 'update-assume-role-policy.json', kind: 'trust-policy', targets: [APP_ROLE], actorArn: OPS },
  {
    file: 'put-role-permissions-boundary.json',
    kind: 'permissions-boundary',
    targets: [TEAM, policy('NoSupportBoundary')],
    actorArn: SSO,
  },
  {
    file: 'put-user-permissions-boundary.json',
    kind: 'permissions-boundary',
    targets: [ENGINEER, policy('DeveloperBoundary')],
    actorArn: OPS,
  },
  {
    file: 'delete-role-permissions-boundary.json',
    kind: 'permissions-boundary',
    targets: [APP_ROLE],
    actorArn: SSO,
  },
  {
    file: 'delete-user-permissions-boundary.json',
    kind: 'permissions-boundary',
    targets: [CONTRACTOR],
    actorArn: OPS,
  },
  {
    file: 'add-user-to-group.json',
    kind: 'group-membership',
    targets: [CONTRACTOR, ENGINEERS],
    actorArn: SSO,
  },
  {
    file: 'remove-user-from-group.json',
    kind: 'group-membership',
    targets: [ENGINEER, ENGINEERS],
    actorArn: OPS,
  },
  { file: 'delete-group.json', kind: 'principal-lifecycle', targets: [ENGINEERS], actorArn: OPS },
  { file: 'delete-user.json', kind: 'principal-lifecycle', targets: [ENGINEER], actorArn: OPS },
  { file: 'tag-role.json', kind: 'tagging', targets: [TEAM], actorArn: PIPELINE },
  { file: 'untag-role.json', kind: 'tagging', targets: [APP_ROLE], actorArn: OPS },
  {
    file: 'create-service-linked-role.json',
    kind: 'service-linked-role',
    targets: [QUOTAS_SLR],
    actorArn: OPS,
  },
  {
    file: 'create-service-linked-role-trusted-advisor.json',
    eventName: 'CreateServiceLinkedRole',
    kind: 'service-linked-role',
    targets: [ADVISOR_SLR],
    actorArn: 'trustedadvisor.amazonaws.com',
  },
  {
    file: 'delete-service-linked-role.json',
    kind: 'service-linked-role',
    targets: [QUOTAS_SLR],
    actorArn: SSO,
  },
  {
    file: 'get-service-linked-role-deletion-status.json',
    kind: 'service-linked-role',
    targets: [QUOTAS_SLR],
    actorArn: SSO,
  },
  {
    file: 'create-slack-channel-configuration.json',
    kind: 'support-app-channel',
    targets: [APP_ROLE],
    actorArn: SSO,
  },
  {
    file: 'update-slack-channel-configuration.json',
    kind: 'support-app-channel',
    targets: [role('Admin')],
    actorArn: OPS,
  },
  {
    file: 'delete-slack-channel-configuration.json',
    kind: 'support-app-channel',
    targets: [],
    actorArn: SSO,
  },
  {
    file: 'delete-service-linked-role-support-failed.json',
    eventName: 'DeleteServiceLinkedRole',
    kind: 'service-linked-role',
    targets: [SUPPORT_SLR],
    actorArn: CONTRACTOR,
    errorCode: 'UnmodifiableEntity',
  },
  {
    file: 'detach-role-policy-support-slr-failed.json',
    eventName: 'DetachRolePolicy',
    kind: 'policy-attachment',
    targets: [SUPPORT_SLR, aws('aws-service-role/AWSSupportServiceRolePolicy')],
    actorArn: CONTRACTOR,
    errorCode: 'UnmodifiableEntity',
  },
  {
    file: 'update-assume-role-policy-trusted-advisor-failed.json',
    eventName: 'UpdateAssumeRolePolicy',
    kind: 'trust-policy',
    targets: [ADVISOR_SLR],
    actorArn: CONTRACTOR,
    errorCode: 'UnmodifiableEntity',
  },
  {
    file: 'attach-user-policy-access-denied-failed.json',
    eventName: 'AttachUserPolicy',
    kind: 'policy-attachment',
    // CloudTrail records requestParameters as null for calls IAM denied.
    targets: [],
    actorArn: CONTRACTOR,
    errorCode: 'AccessDenied',
  },
]

/** Folder of events/ with the calls of supportauthz, supportplans, IAM identity providers and Identity Center. */
export const SERVICE_SAMPLE_DIR = 'support-and-federation'
const service = (file: string) => `${SERVICE_SAMPLE_DIR}/${file}`

const PERMIT = `arn:aws:supportauthz:us-east-1:${ACCT}:supportpermit/a1c4e7f0-93b2-4d68-8e15-2f7b9c0d4e61`
const SCOPED_PERMIT = `arn:aws:supportauthz:us-east-1:${ACCT}:supportpermit/5b8d2f60-1e47-4c93-a0b8-7d6e3f2a9c15`
const PERMIT_REQUEST = `arn:aws:supportauthz:us-east-1:${ACCT}:supportpermitrequest/c2f9a6d1-7b30-4e85-9a14-6d0e8b3f5c27`
const SAML = `arn:aws:iam::${ACCT}:saml-provider/PartnerIdP`
const OIDC = `arn:aws:iam::${ACCT}:oidc-provider/token.actions.githubusercontent.com`
const INSTANCE = 'arn:aws:sso:::instance/ssoins-7223a1b2c3d4e5f6'
const PERMISSION_SET = 'arn:aws:sso:::permissionSet/ssoins-7223a1b2c3d4e5f6/ps-4e9a1b2c3d4e5f60'

/** What a file of events/support-and-federation/ must parse to. */
export type ExpectedServiceChange = ExpectedChange

export const EXPECTED_SERVICE_CHANGES: readonly ExpectedServiceChange[] = [
  {
    file: service('create-support-permit-unbounded.json'),
    eventName: 'CreateSupportPermit',
    kind: 'support-permit',
    targets: [PERMIT],
    actorArn: OPS,
  },
  {
    file: service('create-support-permit-scoped.json'),
    eventName: 'CreateSupportPermit',
    kind: 'support-permit',
    targets: [SCOPED_PERMIT],
    actorArn: SSO,
  },
  { file: service('delete-support-permit.json'), kind: 'support-permit', targets: [PERMIT], actorArn: OPS },
  {
    file: service('reject-support-permit-request.json'),
    kind: 'support-permit',
    targets: [PERMIT_REQUEST],
    actorArn: SSO,
  },
  { file: service('start-support-plan-update.json'), kind: 'support-plan', targets: [], actorArn: SSO },
  { file: service('create-support-plan-schedule.json'), kind: 'support-plan', targets: [], actorArn: SSO },
  { file: service('cancel-support-agreement.json'), kind: 'support-plan', targets: [], actorArn: ROOT },
  { file: service('accept-support-agreement.json'), kind: 'support-plan', targets: [], actorArn: SSO },
  { file: service('create-support-agreement.json'), kind: 'support-plan', targets: [], actorArn: SSO },
  { file: service('update-support-agreement.json'), kind: 'support-plan', targets: [], actorArn: SSO },
  { file: service('reject-support-agreement.json'), kind: 'support-plan', targets: [], actorArn: SSO },
  {
    file: service('create-saml-provider.json'),
    eventName: 'CreateSAMLProvider',
    kind: 'identity-provider',
    targets: [SAML],
    actorArn: OPS,
  },
  {
    file: service('update-saml-provider.json'),
    eventName: 'UpdateSAMLProvider',
    kind: 'identity-provider',
    targets: [SAML],
    actorArn: SSO,
  },
  {
    file: service('delete-saml-provider.json'),
    eventName: 'DeleteSAMLProvider',
    kind: 'identity-provider',
    targets: [SAML],
    actorArn: OPS,
  },
  {
    file: service('create-open-id-connect-provider.json'),
    eventName: 'CreateOpenIDConnectProvider',
    kind: 'identity-provider',
    targets: [OIDC],
    actorArn: OPS,
  },
  {
    file: service('delete-open-id-connect-provider.json'),
    eventName: 'DeleteOpenIDConnectProvider',
    kind: 'identity-provider',
    targets: [OIDC],
    actorArn: OPS,
  },
  {
    file: service('add-client-id-to-open-id-connect-provider.json'),
    eventName: 'AddClientIDToOpenIDConnectProvider',
    kind: 'identity-provider',
    targets: [OIDC],
    actorArn: OPS,
  },
  {
    file: service('remove-client-id-from-open-id-connect-provider.json'),
    eventName: 'RemoveClientIDFromOpenIDConnectProvider',
    kind: 'identity-provider',
    targets: [OIDC],
    actorArn: OPS,
  },
  {
    file: service('update-open-id-connect-provider-thumbprint.json'),
    eventName: 'UpdateOpenIDConnectProviderThumbprint',
    kind: 'identity-provider',
    targets: [OIDC],
    actorArn: OPS,
  },
  ...[
    'create-permission-set.json',
    'delete-permission-set.json',
    'put-inline-policy-to-permission-set.json',
    'delete-inline-policy-from-permission-set.json',
    'attach-managed-policy-to-permission-set.json',
    'detach-managed-policy-from-permission-set.json',
    'attach-customer-managed-policy-reference-to-permission-set.json',
    'detach-customer-managed-policy-reference-from-permission-set.json',
    'delete-permissions-boundary-from-permission-set.json',
    'provision-permission-set.json',
    'create-account-assignment.json',
    'delete-account-assignment.json',
  ].map((file) => ({
    file: service(file),
    kind: 'identity-center' as const,
    targets: [PERMISSION_SET, INSTANCE],
    actorArn: SSO,
  })),
  {
    file: service('put-permissions-boundary-to-permission-set.json'),
    kind: 'identity-center',
    targets: [PERMISSION_SET, INSTANCE],
    actorArn: SSO,
    // Identity Center sends the boundary as an object; IAM's calls send a string.
  },
]

/**
 * Samples that are not classified changes, with what the parser answers. AWS delivers
 * `SupportPermitRequestCreated` as `AWS Service Event via CloudTrail` with no request: the
 * guard does not read service events.
 */
export const EXPECTED_NOT_CHANGES: readonly { readonly file: string; readonly reason: string }[] = [
  { file: service('support-permit-request-created.json'), reason: 'not-cloudtrail' },
]

/**
 * Classified calls without a sample: `supportauthz:RegisterKey` is listed as a permission of
 * AWS Support authorization, but no API operation of that name is documented, so there is no
 * record shape to show.
 */
export const CLASSIFIED_WITHOUT_SAMPLE: readonly string[] = ['RegisterKey']

/** `attach-role-policy.json` -> `AttachRolePolicy`, unless the row names its event. */
export function readExpectedEventName(row: ExpectedChange): string {
  if (row.eventName) return row.eventName
  return (row.file.split('/').pop() ?? row.file)
    .replace(/\.json$/, '')
    .split('-')
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('')
}
