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

const iamMock = mockClient(IAMClient)
const SUPPORT_ACCESS = 'arn:aws:iam::aws:policy/AWSSupportAccess'
const BOUNDARY = 'arn:aws:iam::123456789012:policy/boundary'
const document = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 'support:*', Resource: '*' }],
}
const documentJson = JSON.stringify(document)

type Write = (writer: IamWriter) => Promise<unknown>

// Every IAM command the writer may send; the sent one must be the only call.
const ALL_COMMANDS = [
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
  PutGroupPolicyCommand,
  PutRolePermissionsBoundaryCommand,
  PutRolePolicyCommand,
  PutUserPermissionsBoundaryCommand,
  PutUserPolicyCommand,
  RemoveUserFromGroupCommand,
  SetDefaultPolicyVersionCommand,
  UpdateAssumeRolePolicyCommand,
] as const

const cases: [string, Write, (typeof ALL_COMMANDS)[number], Record<string, unknown>][] = [
  [
    'attach to role',
    (w) => w.attachPolicy('role', 'SupportTeam', SUPPORT_ACCESS),
    AttachRolePolicyCommand,
    { RoleName: 'SupportTeam', PolicyArn: SUPPORT_ACCESS },
  ],
  [
    'attach to user',
    (w) => w.attachPolicy('user', 'dev-one', SUPPORT_ACCESS),
    AttachUserPolicyCommand,
    { UserName: 'dev-one', PolicyArn: SUPPORT_ACCESS },
  ],
  [
    'attach to group',
    (w) => w.attachPolicy('group', 'Developers', SUPPORT_ACCESS),
    AttachGroupPolicyCommand,
    { GroupName: 'Developers', PolicyArn: SUPPORT_ACCESS },
  ],
  [
    'detach from role',
    (w) => w.detachPolicy('role', 'Admin', SUPPORT_ACCESS),
    DetachRolePolicyCommand,
    { RoleName: 'Admin', PolicyArn: SUPPORT_ACCESS },
  ],
  [
    'detach from user',
    (w) => w.detachPolicy('user', 'dev-two', SUPPORT_ACCESS),
    DetachUserPolicyCommand,
    { UserName: 'dev-two', PolicyArn: SUPPORT_ACCESS },
  ],
  [
    'detach from group',
    (w) => w.detachPolicy('group', 'Admins', SUPPORT_ACCESS),
    DetachGroupPolicyCommand,
    { GroupName: 'Admins', PolicyArn: SUPPORT_ACCESS },
  ],
  [
    'put role inline policy',
    (w) => w.putInlinePolicy('role', 'SupportTeam', 'support', document),
    PutRolePolicyCommand,
    { RoleName: 'SupportTeam', PolicyName: 'support', PolicyDocument: documentJson },
  ],
  [
    'put user inline policy',
    (w) => w.putInlinePolicy('user', 'dev-one', 'support', document),
    PutUserPolicyCommand,
    { UserName: 'dev-one', PolicyName: 'support', PolicyDocument: documentJson },
  ],
  [
    'put group inline policy',
    (w) => w.putInlinePolicy('group', 'Developers', 'support', document),
    PutGroupPolicyCommand,
    { GroupName: 'Developers', PolicyName: 'support', PolicyDocument: documentJson },
  ],
  [
    'delete role inline policy',
    (w) => w.deleteInlinePolicy('role', 'SupportTeam', 'deny'),
    DeleteRolePolicyCommand,
    { RoleName: 'SupportTeam', PolicyName: 'deny' },
  ],
  [
    'delete user inline policy',
    (w) => w.deleteInlinePolicy('user', 'dev-one', 'deny'),
    DeleteUserPolicyCommand,
    { UserName: 'dev-one', PolicyName: 'deny' },
  ],
  [
    'delete group inline policy',
    (w) => w.deleteInlinePolicy('group', 'Developers', 'deny'),
    DeleteGroupPolicyCommand,
    { GroupName: 'Developers', PolicyName: 'deny' },
  ],
  [
    'set default policy version',
    (w) => w.setDefaultPolicyVersion(BOUNDARY, 'v2'),
    SetDefaultPolicyVersionCommand,
    { PolicyArn: BOUNDARY, VersionId: 'v2' },
  ],
  [
    'update trust policy',
    (w) => w.updateAssumeRolePolicy('AWSSupportAppRole', document),
    UpdateAssumeRolePolicyCommand,
    { RoleName: 'AWSSupportAppRole', PolicyDocument: documentJson },
  ],
  [
    'put role boundary',
    (w) => w.putPermissionsBoundary('role', 'SupportTeam', BOUNDARY),
    PutRolePermissionsBoundaryCommand,
    { RoleName: 'SupportTeam', PermissionsBoundary: BOUNDARY },
  ],
  [
    'put user boundary',
    (w) => w.putPermissionsBoundary('user', 'dev-one', BOUNDARY),
    PutUserPermissionsBoundaryCommand,
    { UserName: 'dev-one', PermissionsBoundary: BOUNDARY },
  ],
  [
    'delete role boundary',
    (w) => w.deletePermissionsBoundary('role', 'SupportTeam'),
    DeleteRolePermissionsBoundaryCommand,
    { RoleName: 'SupportTeam' },
  ],
  [
    'delete user boundary',
    (w) => w.deletePermissionsBoundary('user', 'dev-one'),
    DeleteUserPermissionsBoundaryCommand,
    { UserName: 'dev-one' },
  ],
  [
    'add user to group',
    (w) => w.addUserToGroup('Developers', 'dev-one'),
    AddUserToGroupCommand,
    { GroupName: 'Developers', UserName: 'dev-one' },
  ],
  [
    'remove user from group',
    (w) => w.removeUserFromGroup('Developers', 'dev-one'),
    RemoveUserFromGroupCommand,
    { GroupName: 'Developers', UserName: 'dev-one' },
  ],
  [
    'create service-linked role',
    (w) => w.createServiceLinkedRole('servicequotas.amazonaws.com'),
    CreateServiceLinkedRoleCommand,
    { AWSServiceName: 'servicequotas.amazonaws.com' },
  ],
]

describe('IamWriter', () => {
  beforeEach(() => {
    iamMock.reset()
    iamMock.onAnyCommand().resolves({})
  })

  it.each(cases)(
    '%s sends exactly one command with the exact input',
    async (_label, write, command, input) => {
      await write(new IamWriter(new IAMClient({})))

      const calls = iamMock.calls()
      expect(calls).toHaveLength(1)
      expect(calls[0]?.args[0]).toBeInstanceOf(command)
      expect(calls[0]?.args[0].input).toStrictEqual(input)
    },
  )

  it('sends a string document unchanged', async () => {
    const raw = '{"Version":"2012-10-17","Statement":[]}'

    await new IamWriter(new IAMClient({})).updateAssumeRolePolicy('R', raw)

    expect(iamMock.commandCalls(UpdateAssumeRolePolicyCommand)[0]?.args[0].input.PolicyDocument).toBe(raw)
  })

  it('returns the ARN of a created service-linked role', async () => {
    const arn =
      'arn:aws:iam::123456789012:role/aws-service-role/servicequotas.amazonaws.com/AWSServiceRoleForServiceQuotas'
    iamMock.on(CreateServiceLinkedRoleCommand).resolves({
      Role: {
        Arn: arn,
        Path: '/aws-service-role/servicequotas.amazonaws.com/',
        RoleName: 'AWSServiceRoleForServiceQuotas',
        RoleId: 'AROAEXAMPLE',
        CreateDate: new Date(),
      },
    })

    await expect(
      new IamWriter(new IAMClient({})).createServiceLinkedRole('servicequotas.amazonaws.com'),
    ).resolves.toBe(arn)
  })

  it.each(cases)('%s wraps a failure in IamWriteError with the IAM error name', async (_label, write) => {
    const failure = new UnmodifiableEntityException({ message: 'protected role', $metadata: {} })
    iamMock.onAnyCommand().rejects(failure)

    const error = await writeError(write(new IamWriter(new IAMClient({}))))

    expect(error).toMatchObject({ name: 'IamWriteError', awsErrorName: 'UnmodifiableEntityException' })
    expect(error.cause).toBe(failure)
    expect(error.message).toContain(error.operation)
    expect(error.message).toContain('protected role')
  })

  it('names the operation and the entity in the error', async () => {
    iamMock.on(DetachRolePolicyCommand).rejects(new Error('socket hang up'))

    const error = await writeError(
      new IamWriter(new IAMClient({})).detachPolicy('role', 'SupportTeam', SUPPORT_ACCESS),
    )

    expect(error).toMatchObject({
      operation: 'DetachRolePolicy',
      entity: `role SupportTeam policy ${SUPPORT_ACCESS}`,
      awsErrorName: 'Error',
    })
  })

  it('covers every command the writer may send', () => {
    expect(new Set(cases.map(([, , command]) => command))).toEqual(new Set(ALL_COMMANDS))
  })
})

async function writeError(write: Promise<unknown>): Promise<IamWriteError> {
  const outcome = await write.then(
    () => undefined,
    (error: unknown) => error,
  )
  if (!(outcome instanceof IamWriteError))
    throw new Error(`expected an IamWriteError, got ${String(outcome)}`)
  return outcome
}
