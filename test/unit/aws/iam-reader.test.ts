import {
  GetGroupCommand,
  GetGroupPolicyCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  GetUserCommand,
  IAMClient,
  IAMServiceException,
  ListAttachedGroupPoliciesCommand,
  ListAttachedRolePoliciesCommand,
  ListAttachedUserPoliciesCommand,
  ListGroupPoliciesCommand,
  ListGroupsForUserCommand,
  ListPolicyVersionsCommand,
  ListRolePoliciesCommand,
  ListUserPoliciesCommand,
  NoSuchEntityException,
} from '@aws-sdk/client-iam'
import { mockClient } from 'aws-sdk-client-mock'
import { beforeEach, describe, expect, it } from 'vitest'
import { IamReadError, IamReader } from '#shared/aws/iam-reader.ts'

const iamMock = mockClient(IAMClient)
const ACCOUNT = '123456789012'
const SUPPORT_ACCESS = 'arn:aws:iam::aws:policy/AWSSupportAccess'
const CUSTOMER_POLICY = `arn:aws:iam::${ACCOUNT}:policy/support-readonly`

const trust = {
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'sts:AssumeRole' },
  ],
}
const allowSupport = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 'support:*', Resource: '*' }],
}
const denyResolve = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Deny', Action: 'support:ResolveCase', Resource: '*' }],
}

/** IAM Get* APIs return documents URL-encoded (RFC 3986). */
function urlEncoded(document: unknown): string {
  return encodeURIComponent(JSON.stringify(document))
}

function noSuchEntity(message = 'not found'): NoSuchEntityException {
  return new NoSuchEntityException({ message, $metadata: {} })
}

function accessDenied(): IAMServiceException {
  return new IAMServiceException({
    name: 'AccessDenied',
    $fault: 'client',
    message: 'not authorized',
    $metadata: {},
  })
}

function mockSupportTeamRole(): void {
  iamMock.on(GetRoleCommand, { RoleName: 'SupportTeam' }).resolves({
    Role: {
      Path: '/',
      RoleName: 'SupportTeam',
      RoleId: 'AROAEXAMPLE',
      Arn: `arn:aws:iam::${ACCOUNT}:role/SupportTeam`,
      CreateDate: new Date('2024-01-01T00:00:00Z'),
      AssumeRolePolicyDocument: urlEncoded(trust),
      PermissionsBoundary: {
        PermissionsBoundaryType: 'PermissionsBoundaryPolicy',
        PermissionsBoundaryArn: CUSTOMER_POLICY,
      },
      Tags: [{ Key: 'team', Value: 'support' }],
    },
  })
  iamMock
    .on(ListAttachedRolePoliciesCommand)
    .resolves({
      AttachedPolicies: [{ PolicyName: 'AWSSupportAccess', PolicyArn: SUPPORT_ACCESS }],
      IsTruncated: true,
      Marker: 'page-2',
    })
    .on(ListAttachedRolePoliciesCommand, { Marker: 'page-2' })
    .resolves({ AttachedPolicies: [{ PolicyName: 'support-readonly', PolicyArn: CUSTOMER_POLICY }] })
  iamMock
    .on(ListRolePoliciesCommand)
    .resolves({ PolicyNames: ['allow-support'], IsTruncated: true, Marker: 'names-2' })
    .on(ListRolePoliciesCommand, { Marker: 'names-2' })
    .resolves({ PolicyNames: ['deny-resolve'] })
  iamMock
    .on(GetRolePolicyCommand, { PolicyName: 'allow-support' })
    .resolves({
      RoleName: 'SupportTeam',
      PolicyName: 'allow-support',
      PolicyDocument: urlEncoded(allowSupport),
    })
    .on(GetRolePolicyCommand, { PolicyName: 'deny-resolve' })
    .resolves({
      RoleName: 'SupportTeam',
      PolicyName: 'deny-resolve',
      PolicyDocument: urlEncoded(denyResolve),
    })
}

describe('IamReader.readRole', () => {
  beforeEach(() => iamMock.reset())

  it('follows every page and decodes trust and inline documents', async () => {
    mockSupportTeamRole()

    const role = await new IamReader(new IAMClient({})).readRole('SupportTeam')

    expect(role).toEqual({
      kind: 'role',
      arn: `arn:aws:iam::${ACCOUNT}:role/SupportTeam`,
      name: 'SupportTeam',
      path: '/',
      id: 'AROAEXAMPLE',
      attached: [
        { arn: SUPPORT_ACCESS, name: 'AWSSupportAccess' },
        { arn: CUSTOMER_POLICY, name: 'support-readonly' },
      ],
      inline: [
        { name: 'allow-support', document: allowSupport },
        { name: 'deny-resolve', document: denyResolve },
      ],
      boundaryArn: CUSTOMER_POLICY,
      tags: { team: 'support' },
      trustPolicy: trust,
    })
    expect(iamMock.commandCalls(ListAttachedRolePoliciesCommand)).toHaveLength(2)
    expect(iamMock.commandCalls(ListRolePoliciesCommand)).toHaveLength(2)
  })

  it('returns undefined when the role does not exist', async () => {
    iamMock.on(GetRoleCommand).rejects(noSuchEntity('Role Ghost not found'))

    await expect(new IamReader(new IAMClient({})).readRole('Ghost')).resolves.toBeUndefined()
    expect(iamMock.commandCalls(ListAttachedRolePoliciesCommand)).toHaveLength(0)
  })

  it('returns undefined when the role disappears between the get and the lists', async () => {
    mockSupportTeamRole()
    iamMock.on(ListAttachedRolePoliciesCommand).rejects(noSuchEntity())

    await expect(new IamReader(new IAMClient({})).readRole('SupportTeam')).resolves.toBeUndefined()
  })

  it('leaves out an inline policy deleted between the list and the get', async () => {
    mockSupportTeamRole()
    iamMock.on(GetRolePolicyCommand, { PolicyName: 'deny-resolve' }).rejects(noSuchEntity())

    const role = await new IamReader(new IAMClient({})).readRole('SupportTeam')

    expect(role?.inline).toEqual([{ name: 'allow-support', document: allowSupport }])
  })

  it('wraps other failures in IamReadError naming the operation and the role', async () => {
    const denied = accessDenied()
    iamMock.on(GetRoleCommand).rejects(denied)

    const error = await new IamReader(new IAMClient({})).readRole('SupportTeam').catch((caught) => caught)

    expect(error).toBeInstanceOf(IamReadError)
    expect(error).toMatchObject({ name: 'IamReadError', operation: 'GetRole', entity: 'role SupportTeam' })
    expect(error.message).toContain('GetRole')
    expect(error.message).toContain('SupportTeam')
    expect(error.cause).toBe(denied)
  })

  it('wraps a failing list call too', async () => {
    mockSupportTeamRole()
    iamMock.on(ListRolePoliciesCommand).rejects(accessDenied())

    await expect(new IamReader(new IAMClient({})).readRole('SupportTeam')).rejects.toMatchObject({
      name: 'IamReadError',
      operation: 'ListRolePolicies',
    })
  })
})

describe('policy document decoding', () => {
  beforeEach(() => iamMock.reset())

  it.each([
    ['URL-encoded JSON (IAM Get* APIs)', urlEncoded(allowSupport), allowSupport],
    ['plain JSON (some emulators)', JSON.stringify(allowSupport), allowSupport],
    ['plain JSON holding a percent sign', JSON.stringify({ Sid: '100%' }), { Sid: '100%' }],
    ['a broken escape, kept raw', '%7B%E0%A4%A', '%7B%E0%A4%A'],
    ['URL-encoded text that is not JSON, kept raw', 'not%20a%20policy', 'not%20a%20policy'],
  ])('reads %s', async (_label, raw, expected) => {
    iamMock.on(GetRoleCommand).resolves({
      Role: {
        Path: '/',
        RoleName: 'R',
        RoleId: 'AROAR',
        Arn: `arn:aws:iam::${ACCOUNT}:role/R`,
        CreateDate: new Date(),
        AssumeRolePolicyDocument: raw,
      },
    })
    iamMock.on(ListAttachedRolePoliciesCommand).resolves({ AttachedPolicies: [] })
    iamMock.on(ListRolePoliciesCommand).resolves({ PolicyNames: [] })

    const role = await new IamReader(new IAMClient({})).readRole('R')

    expect(role?.trustPolicy).toEqual(expected)
  })
})

describe('IamReader.readUser and readGroup', () => {
  beforeEach(() => iamMock.reset())

  it('reads a user with policies, groups and boundary', async () => {
    iamMock.on(GetUserCommand).resolves({
      User: {
        Path: '/',
        UserName: 'dev-one',
        UserId: 'AIDAEXAMPLE',
        Arn: `arn:aws:iam::${ACCOUNT}:user/dev-one`,
        CreateDate: new Date(),
        PermissionsBoundary: { PermissionsBoundaryArn: CUSTOMER_POLICY },
      },
    })
    iamMock
      .on(ListAttachedUserPoliciesCommand)
      .resolves({ AttachedPolicies: [{ PolicyArn: SUPPORT_ACCESS }] })
    iamMock.on(ListUserPoliciesCommand).resolves({ PolicyNames: [] })
    iamMock
      .on(ListGroupsForUserCommand)
      .resolves({ Groups: [groupShape('Developers')], IsTruncated: true, Marker: 'g2' })
      .on(ListGroupsForUserCommand, { Marker: 'g2' })
      .resolves({ Groups: [groupShape('Admins')] })

    const user = await new IamReader(new IAMClient({})).readUser('dev-one')

    expect(user).toEqual({
      kind: 'user',
      arn: `arn:aws:iam::${ACCOUNT}:user/dev-one`,
      name: 'dev-one',
      path: '/',
      id: 'AIDAEXAMPLE',
      attached: [{ arn: SUPPORT_ACCESS, name: 'AWSSupportAccess' }],
      inline: [],
      boundaryArn: CUSTOMER_POLICY,
      groups: ['Developers', 'Admins'],
    })
  })

  it('returns undefined for a missing user', async () => {
    iamMock.on(GetUserCommand).rejects(noSuchEntity())

    await expect(new IamReader(new IAMClient({})).readUser('ghost')).resolves.toBeUndefined()
  })

  it('reads a group with attached and inline policies', async () => {
    iamMock.on(GetGroupCommand).resolves({ Group: groupShape('Developers'), Users: [] })
    iamMock.on(ListAttachedGroupPoliciesCommand).resolves({
      AttachedPolicies: [{ PolicyName: 'support-readonly', PolicyArn: CUSTOMER_POLICY }],
    })
    iamMock.on(ListGroupPoliciesCommand).resolves({ PolicyNames: ['deny-resolve'] })
    iamMock.on(GetGroupPolicyCommand).resolves({
      GroupName: 'Developers',
      PolicyName: 'deny-resolve',
      PolicyDocument: urlEncoded(denyResolve),
    })

    const group = await new IamReader(new IAMClient({})).readGroup('Developers')

    expect(group).toEqual({
      arn: `arn:aws:iam::${ACCOUNT}:group/Developers`,
      name: 'Developers',
      path: '/',
      attached: [{ arn: CUSTOMER_POLICY, name: 'support-readonly' }],
      inline: [{ name: 'deny-resolve', document: denyResolve }],
    })
  })

  it('returns undefined for a missing group', async () => {
    iamMock.on(GetGroupCommand).rejects(noSuchEntity())

    await expect(new IamReader(new IAMClient({})).readGroup('Ghosts')).resolves.toBeUndefined()
  })
})

describe('IamReader managed policies', () => {
  beforeEach(() => iamMock.reset())

  function mockPolicy(arn: string, policyId: string, defaultVersionId: string, document: unknown): void {
    iamMock.on(GetPolicyCommand, { PolicyArn: arn }).resolves({
      Policy: {
        PolicyName: arn.slice(arn.lastIndexOf('/') + 1),
        PolicyId: policyId,
        Arn: arn,
        Path: '/',
        DefaultVersionId: defaultVersionId,
      },
    })
    iamMock.on(GetPolicyVersionCommand, { PolicyArn: arn, VersionId: defaultVersionId }).resolves({
      PolicyVersion: {
        VersionId: defaultVersionId,
        IsDefaultVersion: true,
        Document: urlEncoded(document),
      },
    })
  }

  it('reads the default version document of a managed policy', async () => {
    mockPolicy(SUPPORT_ACCESS, 'ANPAEXAMPLE', 'v4', allowSupport)

    const policy = await new IamReader(new IAMClient({})).readManagedPolicy(SUPPORT_ACCESS)

    expect(policy).toEqual({
      arn: SUPPORT_ACCESS,
      name: 'AWSSupportAccess',
      path: '/',
      defaultVersionId: 'v4',
      document: allowSupport,
      versions: [{ versionId: 'v4', isDefault: true, document: allowSupport }],
    })
    expect(iamMock.commandCalls(GetPolicyVersionCommand)[0]?.args[0].input).toEqual({
      PolicyArn: SUPPORT_ACCESS,
      VersionId: 'v4',
    })
  })

  it('reuses a cached AWS managed version instead of calling GetPolicyVersion again', async () => {
    mockPolicy(SUPPORT_ACCESS, 'ANPAEXAMPLE', 'v4', allowSupport)
    const reader = new IamReader(new IAMClient({}))

    await reader.readManagedPolicy(SUPPORT_ACCESS)
    const second = await reader.readManagedPolicy(SUPPORT_ACCESS)
    const direct = await reader.readPolicyVersion(SUPPORT_ACCESS, 'v4')

    expect(second?.document).toEqual(allowSupport)
    expect(direct).toEqual({ arn: SUPPORT_ACCESS, versionId: 'v4', document: allowSupport })
    // Within the TTL the AWS managed policy is not even asked for its default version again.
    expect(iamMock.commandCalls(GetPolicyCommand)).toHaveLength(1)
    expect(iamMock.commandCalls(GetPolicyVersionCommand)).toHaveLength(1)
  })

  it('asks an AWS managed policy for its default version again once the TTL has passed', async () => {
    mockPolicy(SUPPORT_ACCESS, 'ANPAEXAMPLE', 'v4', allowSupport)
    let now = 1_000
    const reader = new IamReader(new IAMClient({}), { awsManagedTtlMs: 60_000, now: () => now })

    await reader.readManagedPolicy(SUPPORT_ACCESS)
    now += 59_000
    await reader.readManagedPolicy(SUPPORT_ACCESS)
    expect(iamMock.commandCalls(GetPolicyCommand)).toHaveLength(1)
    now += 2_000
    await reader.readManagedPolicy(SUPPORT_ACCESS)
    expect(iamMock.commandCalls(GetPolicyCommand)).toHaveLength(2)
    expect(iamMock.commandCalls(GetPolicyVersionCommand)).toHaveLength(1)
  })

  it('asks a customer managed policy for its default version every time', async () => {
    mockPolicy(CUSTOMER_POLICY, 'ANPAFIRST', 'v1', allowSupport)
    const reader = new IamReader(new IAMClient({}))
    await reader.readManagedPolicy(CUSTOMER_POLICY)
    await reader.readManagedPolicy(CUSTOMER_POLICY)
    expect(iamMock.commandCalls(GetPolicyCommand)).toHaveLength(2)
  })

  it('keeps caches per reader instance', async () => {
    mockPolicy(SUPPORT_ACCESS, 'ANPAEXAMPLE', 'v4', allowSupport)

    await new IamReader(new IAMClient({})).readManagedPolicy(SUPPORT_ACCESS)
    await new IamReader(new IAMClient({})).readManagedPolicy(SUPPORT_ACCESS)

    expect(iamMock.commandCalls(GetPolicyVersionCommand)).toHaveLength(2)
  })

  it('reuses a customer version only while the policy keeps its PolicyId', async () => {
    const reader = new IamReader(new IAMClient({}))
    mockPolicy(CUSTOMER_POLICY, 'ANPAFIRST', 'v1', allowSupport)
    await reader.readManagedPolicy(CUSTOMER_POLICY)
    await reader.readManagedPolicy(CUSTOMER_POLICY)
    expect(iamMock.commandCalls(GetPolicyVersionCommand)).toHaveLength(1)

    // Deleted and re-created under the same name: same ARN and version id, new document.
    mockPolicy(CUSTOMER_POLICY, 'ANPASECOND', 'v1', denyResolve)
    const recreated = await reader.readManagedPolicy(CUSTOMER_POLICY)

    expect(recreated?.document).toEqual(denyResolve)
    expect(iamMock.commandCalls(GetPolicyVersionCommand)).toHaveLength(2)
  })

  it('returns undefined for a missing policy or version', async () => {
    iamMock.on(GetPolicyCommand).rejects(noSuchEntity())
    iamMock.on(GetPolicyVersionCommand).rejects(noSuchEntity())
    const reader = new IamReader(new IAMClient({}))

    await expect(reader.readManagedPolicy(CUSTOMER_POLICY)).resolves.toBeUndefined()
    await expect(reader.readPolicyVersion(CUSTOMER_POLICY, 'v9')).resolves.toBeUndefined()
  })

  it('wraps a failing GetPolicyVersion in IamReadError naming the version', async () => {
    iamMock.on(GetPolicyVersionCommand).rejects(accessDenied())

    const error = await new IamReader(new IAMClient({}))
      .readPolicyVersion(CUSTOMER_POLICY, 'v2')
      .catch((caught) => caught)

    expect(error).toBeInstanceOf(IamReadError)
    expect(error.message).toContain(`GetPolicyVersion failed for ${CUSTOMER_POLICY} version v2`)
  })

  it('lists every page of policy versions', async () => {
    iamMock
      .on(ListPolicyVersionsCommand)
      .resolves({
        Versions: [{ VersionId: 'v3', IsDefaultVersion: true, CreateDate: new Date('2025-03-01T00:00:00Z') }],
        IsTruncated: true,
        Marker: 'more',
      })
      .on(ListPolicyVersionsCommand, { Marker: 'more' })
      .resolves({ Versions: [{ VersionId: 'v2', IsDefaultVersion: false }] })

    const versions = await new IamReader(new IAMClient({})).listPolicyVersions(CUSTOMER_POLICY)

    expect(versions).toEqual([
      { versionId: 'v3', isDefault: true, createDate: '2025-03-01T00:00:00.000Z' },
      { versionId: 'v2', isDefault: false },
    ])
  })

  it('lists no versions of a missing policy', async () => {
    iamMock.on(ListPolicyVersionsCommand).rejects(noSuchEntity())

    await expect(
      new IamReader(new IAMClient({})).listPolicyVersions(CUSTOMER_POLICY),
    ).resolves.toBeUndefined()
  })
})

function groupShape(name: string) {
  return {
    Path: '/',
    GroupName: name,
    GroupId: `AGPA${name.toUpperCase()}`,
    Arn: `arn:aws:iam::${ACCOUNT}:group/${name}`,
    CreateDate: new Date(),
  }
}
