import {
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  type IAMClient,
  ListAttachedRolePoliciesCommand,
  ListRolePoliciesCommand,
  NoSuchEntityException,
} from '@aws-sdk/client-iam'
import type { AwsClientStub } from 'aws-sdk-client-mock'

type IamStub = AwsClientStub<IAMClient>

export const SUPPORT_ACCESS_DOCUMENT = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: ['support:*', 'support-console:*'], Resource: '*' }],
}

/** IAM Get* APIs return documents URL-encoded. */
export const urlEncoded = (document: unknown) => encodeURIComponent(JSON.stringify(document))

export const noSuchEntity = () => new NoSuchEntityException({ message: 'not found', $metadata: {} })

/**
 * The role SupportTeam (trusted by the account root, no inline policy) whose attached
 * policies `attached()` gives at each read, and AWSSupportAccess; anything else does not exist.
 */
export function mockSupportTeamReads(iam: IamStub, attached: () => readonly string[]): void {
  iam.onAnyCommand().rejects(noSuchEntity())
  iam.on(GetRoleCommand, { RoleName: 'SupportTeam' }).resolves({
    Role: {
      RoleName: 'SupportTeam',
      RoleId: 'AROAEXAMPLESUPPORT',
      Arn: 'arn:aws:iam::123456789012:role/SupportTeam',
      Path: '/',
      CreateDate: new Date('2024-01-01T00:00:00Z'),
      AssumeRolePolicyDocument: urlEncoded({
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::123456789012:root' }, Action: 'sts:AssumeRole' },
        ],
      }),
    },
  })
  iam.on(ListAttachedRolePoliciesCommand, { RoleName: 'SupportTeam' }).callsFake(async () => ({
    AttachedPolicies: attached().map((arn) => ({ PolicyArn: arn, PolicyName: arn.split('/').pop() })),
  }))
  iam.on(ListRolePoliciesCommand, { RoleName: 'SupportTeam' }).resolves({ PolicyNames: [] })
  iam.on(GetPolicyCommand, { PolicyArn: 'arn:aws:iam::aws:policy/AWSSupportAccess' }).resolves({
    Policy: {
      PolicyName: 'AWSSupportAccess',
      Arn: 'arn:aws:iam::aws:policy/AWSSupportAccess',
      DefaultVersionId: 'v2',
      PolicyId: 'ANPAEXAMPLESUPPORT',
    },
  })
  iam.on(GetPolicyVersionCommand, { PolicyArn: 'arn:aws:iam::aws:policy/AWSSupportAccess' }).resolves({
    PolicyVersion: { VersionId: 'v2', IsDefaultVersion: true, Document: urlEncoded(SUPPORT_ACCESS_DOCUMENT) },
  })
}
