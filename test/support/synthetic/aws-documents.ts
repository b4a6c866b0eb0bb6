import { SUPPORT_APP_FULL_ACTIONS } from '#shared/catalog/support-actions.ts'
import type { PolicyDocumentJson, StatementJson } from './account-types.ts'
import { buildDocument } from './policy-templates.ts'
import type { Random } from './prng.ts'

/** AWS managed policies an export lists when they are attached, and role trust policies. */

export interface AwsManagedPolicy {
  readonly name: string
  readonly path: string
  readonly defaultVersionId: string
  readonly document: PolicyDocumentJson
}

/** Documents as AWS publishes them for the Support-relevant ones; service-role ones abridged. */
export const AWS_MANAGED: readonly AwsManagedPolicy[] = [
  {
    name: 'AWSSupportAccess',
    path: '/',
    defaultVersionId: 'v2',
    document: buildDocument({ Effect: 'Allow', Action: ['support:*', 'support-console:*'], Resource: '*' }),
  },
  {
    name: 'AdministratorAccess',
    path: '/',
    defaultVersionId: 'v1',
    document: buildDocument({ Effect: 'Allow', Action: '*', Resource: '*' }),
  },
  {
    name: 'PowerUserAccess',
    path: '/',
    defaultVersionId: 'v5',
    document: buildDocument(
      { Effect: 'Allow', NotAction: ['iam:*', 'organizations:*', 'account:*'], Resource: '*' },
      {
        Effect: 'Allow',
        Action: ['iam:CreateServiceLinkedRole', 'iam:DeleteServiceLinkedRole', 'iam:ListRoles'],
        Resource: '*',
      },
    ),
  },
  {
    name: 'AWSSupportAppFullAccess',
    path: '/',
    defaultVersionId: 'v1',
    document: buildDocument(
      { Effect: 'Allow', Action: [...SUPPORT_APP_FULL_ACTIONS], Resource: '*' },
      {
        Effect: 'Allow',
        Action: 'iam:CreateServiceLinkedRole',
        Resource: '*',
        Condition: { StringEquals: { 'iam:AWSServiceName': 'servicequotas.amazonaws.com' } },
      },
    ),
  },
  {
    name: 'AWSSupportAppReadOnlyAccess',
    path: '/',
    defaultVersionId: 'v1',
    document: buildDocument({
      Effect: 'Allow',
      Action: ['support:DescribeCases', 'support:DescribeCommunications'],
      Resource: '*',
    }),
  },
  {
    name: 'AWSSupportServiceRolePolicy',
    path: '/aws-service-role/',
    defaultVersionId: 'v30',
    document: buildDocument({
      Effect: 'Allow',
      Action: ['ec2:Describe*', 'iam:GetRole', 'iam:ListRoles', 'cloudtrail:DescribeTrails'],
      Resource: '*',
    }),
  },
  {
    name: 'AWSTrustedAdvisorServiceRolePolicy',
    path: '/aws-service-role/',
    defaultVersionId: 'v12',
    document: buildDocument({
      Effect: 'Allow',
      Action: ['ec2:DescribeInstances', 'iam:GetAccountSummary', 's3:ListAllMyBuckets'],
      Resource: '*',
    }),
  },
  {
    name: 'ServiceQuotasServiceRolePolicy',
    path: '/aws-service-role/',
    defaultVersionId: 'v3',
    document: buildDocument({
      Effect: 'Allow',
      Action: ['cloudwatch:PutMetricAlarm', 'cloudwatch:DescribeAlarms'],
      Resource: '*',
    }),
  },
]

export function awsManagedArn(policy: AwsManagedPolicy): string {
  return `arn:aws:iam::aws:policy${policy.path}${policy.name}`
}

function trustStatement(
  principal: NonNullable<StatementJson['Principal']>,
  action = 'sts:AssumeRole',
): StatementJson {
  return { Effect: 'Allow', Principal: principal, Action: action }
}

export function trustService(service: string): PolicyDocumentJson {
  return buildDocument(trustStatement({ Service: service }))
}

export type TrustKind = 'service' | 'account-root' | 'other-account' | 'federated' | 'anyone'

/** A trust policy of the given kind, with the conditions such policies usually carry. */
export function buildTrustPolicy(kind: TrustKind, random: Random, accountId: string): PolicyDocumentJson {
  switch (kind) {
    case 'service':
      return trustService(
        random.pick(['ec2.amazonaws.com', 'lambda.amazonaws.com', 'ecs-tasks.amazonaws.com']),
      )
    case 'account-root': {
      const statement = trustStatement({ AWS: `arn:aws:iam::${accountId}:root` })
      if (random.chance(0.5)) statement.Condition = { Bool: { 'aws:MultiFactorAuthPresent': 'true' } }
      return buildDocument(statement)
    }
    case 'other-account': {
      const other = String(100000000000 + random.int(0, 899_999_999_999)).padStart(12, '0')
      const statement = trustStatement({ AWS: random.chance(0.7) ? `arn:aws:iam::${other}:root` : other })
      if (random.chance(0.6))
        statement.Condition = { StringEquals: { 'sts:ExternalId': `ext-${random.int(1000, 9999)}` } }
      return buildDocument(statement)
    }
    case 'federated':
      return buildDocument({
        ...trustStatement(
          { Federated: `arn:aws:iam::${accountId}:saml-provider/corp-idp` },
          'sts:AssumeRoleWithSAML',
        ),
        Condition: { StringEquals: { 'SAML:aud': 'https://signin.aws.amazon.com/saml' } },
      })
    case 'anyone': {
      const statement = trustStatement(random.chance(0.5) ? '*' : { AWS: '*' })
      if (random.chance(0.6))
        statement.Condition = { StringEquals: { 'aws:PrincipalOrgID': 'o-exampleorg1' } }
      return buildDocument(statement)
    }
  }
}
