/**
 * An account export as `aws iam get-account-authorization-details` prints it, with the long
 * role paths and names real accounts have (Identity Center permission sets, team paths) and
 * principals that reach Support only by assuming a role.
 */

export const ACCOUNT = '210987654321'
const arn = (resource: string) => `arn:aws:iam::${ACCOUNT}:${resource}`

export const SSO_ROLE = arn(
  'role/aws-reserved/sso.amazonaws.com/eu-central-1/AWSReservedSSO_SupportEngineeringOnCallPermissionSet_4f1e2d3c4b5a6978',
)
export const SUPPORT_TEAM = arn('role/teams/support/SupportTeam')
export const PLAN_ADMINS = arn('role/platform/billing-and-support-administration/PlanAdministrators')
export const VENDOR_ROLE = arn('role/partners/VendorEscalationRoleForExternalSupportPartnerWithAVeryLongName')
export const DEPLOY_ROLE = arn('role/pipelines/deploy-pipeline')
export const SCOPED_POLICY = arn(
  'policy/governance/support/SupportCaseManagementForRegionalOperationsTeamsAcrossAllRegions',
)
export const AWS_SUPPORT_ACCESS = 'arn:aws:iam::aws:policy/AWSSupportAccess'
export const userArn = (path: string, name: string) => arn(`user${path}${name}`)

const document = (...statements: Record<string, unknown>[]) => ({
  Version: '2012-10-17',
  Statement: statements,
})
const MFA = { Bool: { 'aws:MultiFactorAuthPresent': 'true' } }
const assume = (resource: string, extra: Record<string, unknown> = {}) => ({
  Effect: 'Allow',
  Action: 'sts:AssumeRole',
  Resource: resource,
  ...extra,
})

function user(path: string, name: string, fields: Record<string, unknown> = {}) {
  return {
    Path: path,
    UserName: name,
    UserId: `AIDA${name.toUpperCase().padEnd(17, 'X')}`,
    Arn: userArn(path, name),
    CreateDate: '2024-01-15T09:00:00Z',
    GroupList: [],
    AttachedManagedPolicies: [],
    UserPolicyList: [],
    ...fields,
  }
}

function role(roleArn: string, trust: Record<string, unknown>, fields: Record<string, unknown> = {}) {
  const resource = roleArn.slice(roleArn.indexOf(':role/') + ':role'.length)
  const name = resource.slice(resource.lastIndexOf('/') + 1)
  return {
    Path: resource.slice(0, resource.lastIndexOf('/') + 1),
    RoleName: name,
    RoleId: `AROA${name.slice(0, 17).toUpperCase().padEnd(17, 'X')}`,
    Arn: roleArn,
    CreateDate: '2024-01-15T09:00:00Z',
    AssumeRolePolicyDocument: encodeURIComponent(JSON.stringify(trust)),
    RolePolicyList: [],
    AttachedManagedPolicies: [],
    ...fields,
  }
}

const trustRoot = document({
  Effect: 'Allow',
  Principal: { AWS: arn('root') },
  Action: 'sts:AssumeRole',
})
const attachSupportAccess = {
  AttachedManagedPolicies: [{ PolicyName: 'AWSSupportAccess', PolicyArn: AWS_SUPPORT_ACCESS }],
}

export const LONG_PATH_EXPORT = {
  AccountId: ACCOUNT,
  UserDetailList: [
    user('/engineering/platform/', 'alice', {
      UserPolicyList: [{ PolicyName: 'BecomeSupportTeam', PolicyDocument: document(assume(SUPPORT_TEAM)) }],
    }),
    user('/engineering/platform/', 'bob', {
      UserPolicyList: [
        { PolicyName: 'AssumeAnyRoleWithMfa', PolicyDocument: document(assume('*', { Condition: MFA })) },
      ],
    }),
    user('/operations/', 'carol', {
      UserPolicyList: [{ PolicyName: 'AssumeAnyRole', PolicyDocument: document(assume('*')) }],
    }),
    user('/operations/', 'dave', {
      UserPolicyList: [{ PolicyName: 'Deploy', PolicyDocument: document(assume(DEPLOY_ROLE)) }],
    }),
    user('/support/', 'erin', attachSupportAccess),
    user('/operations/', 'frank', {
      UserPolicyList: [
        {
          PolicyName: 'AnyRoleButSupport',
          PolicyDocument: document(assume('*'), {
            Effect: 'Deny',
            Action: 'sts:AssumeRole',
            Resource: SUPPORT_TEAM,
          }),
        },
      ],
    }),
    user('/regional/operations/emea/', 'regional-operations-engineer-with-a-long-name', {
      GroupList: ['RegionalOperations'],
    }),
  ],
  GroupDetailList: [
    {
      Path: '/',
      GroupName: 'RegionalOperations',
      GroupId: 'AGPAREGIONALOPSXXXXX',
      Arn: arn('group/RegionalOperations'),
      CreateDate: '2024-01-15T09:00:00Z',
      GroupPolicyList: [],
      AttachedManagedPolicies: [
        {
          PolicyName: 'SupportCaseManagementForRegionalOperationsTeamsAcrossAllRegions',
          PolicyArn: SCOPED_POLICY,
        },
      ],
    },
  ],
  RoleDetailList: [
    role(
      SSO_ROLE,
      document({
        Effect: 'Allow',
        Principal: { Federated: arn('saml-provider/AWSSSO_0123456789abcdef_DO_NOT_DELETE') },
        Action: ['sts:AssumeRoleWithSAML', 'sts:TagSession'],
        Condition: { StringEquals: { 'SAML:aud': 'https://signin.aws.amazon.com/saml' } },
      }),
      attachSupportAccess,
    ),
    role(SUPPORT_TEAM, trustRoot, attachSupportAccess),
    role(
      PLAN_ADMINS,
      document({
        Effect: 'Allow',
        Principal: { AWS: userArn('/operations/', 'carol') },
        Action: 'sts:AssumeRole',
        Condition: MFA,
      }),
      {
        RolePolicyList: [
          {
            PolicyName: 'PlanAndPermits',
            PolicyDocument: document({
              Effect: 'Allow',
              Action: ['supportplans:*', 'supportauthz:CreateSupportPermit'],
              Resource: '*',
            }),
          },
        ],
      },
    ),
    role(
      VENDOR_ROLE,
      document({
        Effect: 'Allow',
        Principal: { AWS: 'arn:aws:iam::999988887777:root' },
        Action: 'sts:AssumeRole',
        Condition: { StringEquals: { 'sts:ExternalId': 'vendor-escalations-2024' } },
      }),
      attachSupportAccess,
    ),
    role(DEPLOY_ROLE, trustRoot, {
      RolePolicyList: [
        {
          PolicyName: 'Deploy',
          PolicyDocument: document({ Effect: 'Allow', Action: 'cloudformation:*', Resource: '*' }),
        },
      ],
    }),
  ],
  Policies: [
    {
      PolicyName: 'SupportCaseManagementForRegionalOperationsTeamsAcrossAllRegions',
      PolicyId: 'ANPASUPPORTCASEMGMTXX',
      Arn: SCOPED_POLICY,
      Path: '/governance/support/',
      DefaultVersionId: 'v1',
      AttachmentCount: 1,
      IsAttachable: true,
      PolicyVersionList: [
        {
          VersionId: 'v1',
          IsDefaultVersion: true,
          Document: document({
            Sid: 'OwnRegionCasesOnly',
            Effect: 'Allow',
            Action: ['support:DescribeCases', 'support:CreateCase'],
            Resource: `arn:aws:support::${ACCOUNT}:case/*`,
          }),
        },
      ],
    },
  ],
}

/** A guard config for the account: one required role that exists, one pattern that matches nobody. */
export const LONG_PATH_CONFIG = {
  supportPrincipals: {
    required: ['arn:aws:iam::*:role/teams/support/SupportTeam', 'arn:aws:iam::*:role/NoSuchEscalationRole'],
    approved: ['arn:aws:iam::*:role/aws-reserved/sso.amazonaws.com/*'],
  },
}
