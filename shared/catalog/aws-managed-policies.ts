import { toCommercialPartition } from '#shared/policy/arn.ts'

/**
 * Documents of AWS managed policies that decide Support access, for exports that list an
 * attachment but not the policy (e.g. `get-account-authorization-details --filter Role`).
 * Content as AWS publishes it (default versions); the snapshot's own copy always wins.
 */
const KNOWN: Readonly<Record<string, unknown>> = {
  'arn:aws:iam::aws:policy/AWSSupportAccess': {
    Statement: [{ Action: ['support:*', 'support-console:*'], Effect: 'Allow', Resource: '*' }],
    Version: '2012-10-17',
  },
  'arn:aws:iam::aws:policy/AWSSupportAppFullAccess': {
    Statement: [
      {
        Action: [
          'servicequotas:GetRequestedServiceQuotaChange',
          'servicequotas:GetServiceQuota',
          'servicequotas:RequestServiceQuotaIncrease',
          'support:AddAttachmentsToSet',
          'support:AddCommunicationToCase',
          'support:CreateCase',
          'support:DescribeCases',
          'support:DescribeCommunications',
          'support:DescribeSeverityLevels',
          'support:InitiateChatForCase',
          'support:ResolveCase',
        ],
        Effect: 'Allow',
        Resource: '*',
      },
      {
        Action: 'iam:CreateServiceLinkedRole',
        Condition: { StringEquals: { 'iam:AWSServiceName': 'servicequotas.amazonaws.com' } },
        Effect: 'Allow',
        Resource: '*',
      },
    ],
    Version: '2012-10-17',
  },
  'arn:aws:iam::aws:policy/AWSSupportAppReadOnlyAccess': {
    Statement: [
      { Action: ['support:DescribeCases', 'support:DescribeCommunications'], Effect: 'Allow', Resource: '*' },
    ],
    Version: '2012-10-17',
  },
  'arn:aws:iam::aws:policy/AdministratorAccess': {
    Statement: [{ Action: '*', Effect: 'Allow', Resource: '*' }],
    Version: '2012-10-17',
  },
  'arn:aws:iam::aws:policy/PowerUserAccess': {
    Statement: [
      { Effect: 'Allow', NotAction: ['iam:*', 'organizations:*', 'account:*'], Resource: '*' },
      {
        Action: [
          'account:GetAccountInformation',
          'account:GetGovCloudAccountInformation',
          'account:GetPrimaryEmail',
          'account:ListRegions',
          'iam:CreateServiceLinkedRole',
          'iam:DeleteServiceLinkedRole',
          'iam:ListRoles',
          'organizations:DescribeEffectivePolicy',
          'organizations:DescribeOrganization',
        ],
        Effect: 'Allow',
        Resource: '*',
      },
    ],
    Version: '2012-10-17',
  },
}

/** The known document of an AWS managed policy (in any partition), or undefined. */
export function findKnownAwsManagedPolicy(arn: string): unknown {
  return KNOWN[toCommercialPartition(arn)]
}
