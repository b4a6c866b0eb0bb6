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

/** `attach-role-policy.json` -> `AttachRolePolicy`, unless the row names its event. */
export function readExpectedEventName(row: ExpectedChange): string {
  if (row.eventName) return row.eventName
  return row.file
    .replace(/\.json$/, '')
    .split('-')
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('')
}
