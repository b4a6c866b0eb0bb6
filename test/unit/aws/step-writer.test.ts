import {
  AddUserToGroupCommand,
  AttachGroupPolicyCommand,
  AttachRolePolicyCommand,
  AttachUserPolicyCommand,
  CreateServiceLinkedRoleCommand,
  DeleteGroupPolicyCommand,
  DeleteRolePermissionsBoundaryCommand,
  DeleteRolePolicyCommand,
  DeleteUserPermissionsBoundaryCommand,
  DeleteUserPolicyCommand,
  DetachGroupPolicyCommand,
  DetachRolePolicyCommand,
  DetachUserPolicyCommand,
  IAMClient,
  PutGroupPolicyCommand,
  PutRolePermissionsBoundaryCommand,
  PutRolePolicyCommand,
  PutUserPermissionsBoundaryCommand,
  PutUserPolicyCommand,
  RemoveUserFromGroupCommand,
  SetDefaultPolicyVersionCommand,
  UnmodifiableEntityException,
  UpdateAssumeRolePolicyCommand,
} from '@aws-sdk/client-iam'
import { mockClient } from 'aws-sdk-client-mock'
import { beforeEach, describe, expect, it } from 'vitest'
import { IamWriteError, IamWriter } from '#shared/aws/iam-writer.ts'
import { IamStepWriter } from '#shared/aws/step-writer.ts'
import type { RemediationStep } from '#shared/pipeline/remediation-steps.ts'

const iamMock = mockClient(IAMClient)
const SUPPORT_ACCESS = 'arn:aws:iam::aws:policy/AWSSupportAccess'
const BOUNDARY = 'arn:aws:iam::123456789012:policy/SupportBoundary'
const POLICY = 'arn:aws:iam::123456789012:policy/SupportTeamAccess'
const document = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 'support:*', Resource: '*' }],
}
const trust = {
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Principal: { Service: 'supportapp.amazonaws.com' }, Action: 'sts:AssumeRole' },
  ],
}

type Command = abstract new (...args: never[]) => unknown

const TABLE: [RemediationStep, Command, Record<string, unknown>][] = [
  [
    {
      action: 'attach-policy',
      principalType: 'role',
      principalName: 'SupportTeam',
      policyArn: SUPPORT_ACCESS,
    },
    AttachRolePolicyCommand,
    { RoleName: 'SupportTeam', PolicyArn: SUPPORT_ACCESS },
  ],
  [
    {
      action: 'attach-policy',
      principalType: 'user',
      principalName: 'support-engineer',
      policyArn: SUPPORT_ACCESS,
    },
    AttachUserPolicyCommand,
    { UserName: 'support-engineer', PolicyArn: SUPPORT_ACCESS },
  ],
  [
    {
      action: 'attach-policy',
      principalType: 'group',
      principalName: 'SupportEngineers',
      policyArn: SUPPORT_ACCESS,
    },
    AttachGroupPolicyCommand,
    { GroupName: 'SupportEngineers', PolicyArn: SUPPORT_ACCESS },
  ],
  [
    {
      action: 'detach-policy',
      principalType: 'role',
      principalName: 'AWSSupportAppRole',
      policyArn: SUPPORT_ACCESS,
    },
    DetachRolePolicyCommand,
    { RoleName: 'AWSSupportAppRole', PolicyArn: SUPPORT_ACCESS },
  ],
  [
    {
      action: 'detach-policy',
      principalType: 'user',
      principalName: 'contractor-temp',
      policyArn: SUPPORT_ACCESS,
    },
    DetachUserPolicyCommand,
    { UserName: 'contractor-temp', PolicyArn: SUPPORT_ACCESS },
  ],
  [
    {
      action: 'detach-policy',
      principalType: 'group',
      principalName: 'Developers',
      policyArn: SUPPORT_ACCESS,
    },
    DetachGroupPolicyCommand,
    { GroupName: 'Developers', PolicyArn: SUPPORT_ACCESS },
  ],
  [
    {
      action: 'put-inline-policy',
      principalType: 'role',
      principalName: 'SupportTeam',
      policyName: 'Cases',
      document,
    },
    PutRolePolicyCommand,
    { RoleName: 'SupportTeam', PolicyName: 'Cases', PolicyDocument: JSON.stringify(document) },
  ],
  [
    {
      action: 'put-inline-policy',
      principalType: 'user',
      principalName: 'support-engineer',
      policyName: 'Cases',
      document,
    },
    PutUserPolicyCommand,
    { UserName: 'support-engineer', PolicyName: 'Cases', PolicyDocument: JSON.stringify(document) },
  ],
  [
    // A document kept as a string (e.g. one that did not decode) is sent as is.
    {
      action: 'put-inline-policy',
      principalType: 'group',
      principalName: 'SupportEngineers',
      policyName: 'Cases',
      document: '{"Version":"2012-10-17","Statement":[]}',
    },
    PutGroupPolicyCommand,
    {
      GroupName: 'SupportEngineers',
      PolicyName: 'Cases',
      PolicyDocument: '{"Version":"2012-10-17","Statement":[]}',
    },
  ],
  [
    {
      action: 'delete-inline-policy',
      principalType: 'role',
      principalName: 'SupportTeam',
      policyName: 'DenySupport',
    },
    DeleteRolePolicyCommand,
    { RoleName: 'SupportTeam', PolicyName: 'DenySupport' },
  ],
  [
    {
      action: 'delete-inline-policy',
      principalType: 'user',
      principalName: 'contractor-temp',
      policyName: 'CaseAccess',
    },
    DeleteUserPolicyCommand,
    { UserName: 'contractor-temp', PolicyName: 'CaseAccess' },
  ],
  [
    {
      action: 'delete-inline-policy',
      principalType: 'group',
      principalName: 'SupportEngineers',
      policyName: 'DenyResolveCase',
    },
    DeleteGroupPolicyCommand,
    { GroupName: 'SupportEngineers', PolicyName: 'DenyResolveCase' },
  ],
  [
    { action: 'set-default-policy-version', policyArn: POLICY, versionId: 'v3' },
    SetDefaultPolicyVersionCommand,
    { PolicyArn: POLICY, VersionId: 'v3' },
  ],
  [
    { action: 'update-trust-policy', roleName: 'AWSSupportAppRole', document: trust },
    UpdateAssumeRolePolicyCommand,
    { RoleName: 'AWSSupportAppRole', PolicyDocument: JSON.stringify(trust) },
  ],
  [
    {
      action: 'put-permissions-boundary',
      principalType: 'role',
      principalName: 'AWSSupportAppRole',
      policyArn: BOUNDARY,
    },
    PutRolePermissionsBoundaryCommand,
    { RoleName: 'AWSSupportAppRole', PermissionsBoundary: BOUNDARY },
  ],
  [
    {
      action: 'put-permissions-boundary',
      principalType: 'user',
      principalName: 'contractor-temp',
      policyArn: BOUNDARY,
    },
    PutUserPermissionsBoundaryCommand,
    { UserName: 'contractor-temp', PermissionsBoundary: BOUNDARY },
  ],
  [
    { action: 'delete-permissions-boundary', principalType: 'role', principalName: 'SupportTeam' },
    DeleteRolePermissionsBoundaryCommand,
    { RoleName: 'SupportTeam' },
  ],
  [
    { action: 'delete-permissions-boundary', principalType: 'user', principalName: 'support-engineer' },
    DeleteUserPermissionsBoundaryCommand,
    { UserName: 'support-engineer' },
  ],
  [
    { action: 'add-user-to-group', userName: 'support-engineer', groupName: 'SupportEngineers' },
    AddUserToGroupCommand,
    { UserName: 'support-engineer', GroupName: 'SupportEngineers' },
  ],
  [
    { action: 'remove-user-from-group', userName: 'contractor-temp', groupName: 'SupportEngineers' },
    RemoveUserFromGroupCommand,
    { UserName: 'contractor-temp', GroupName: 'SupportEngineers' },
  ],
  [
    { action: 'create-service-linked-role', awsServiceName: 'servicequotas.amazonaws.com' },
    CreateServiceLinkedRoleCommand,
    { AWSServiceName: 'servicequotas.amazonaws.com' },
  ],
]

const CASES = TABLE.map(([step, command, input]) => ({
  step,
  command,
  input,
  title: `${step.action} → ${command.name}`,
}))

function makeWriter(): IamStepWriter {
  return new IamStepWriter(new IamWriter(new IAMClient({ region: 'us-east-1' })))
}

beforeEach(() => {
  iamMock.reset()
  iamMock.onAnyCommand().resolves({})
})

describe('IamStepWriter', () => {
  it.each(CASES)('$title', async ({ step, command, input }) => {
    await makeWriter().apply(step)
    expect(iamMock.calls()).toHaveLength(1)
    const call = iamMock.call(0).args[0]
    expect(call).toBeInstanceOf(command)
    expect(call.input).toEqual(input)
  })

  it('covers every step action', () => {
    expect(new Set(CASES.map(({ step }) => step.action)).size).toBe(11)
  })

  it('raises IamWriteError naming the operation, with the IAM error as cause', async () => {
    const denied = new UnmodifiableEntityException({ message: 'Cannot perform the operation', $metadata: {} })
    iamMock.on(AttachRolePolicyCommand).rejects(denied)
    const step = CASES[0]?.step
    if (!step) throw new Error('no case')
    const error = await makeWriter()
      .apply(step)
      .catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(IamWriteError)
    expect(error).toMatchObject({
      operation: 'AttachRolePolicy',
      awsErrorName: 'UnmodifiableEntityException',
      cause: denied,
    })
  })
})
