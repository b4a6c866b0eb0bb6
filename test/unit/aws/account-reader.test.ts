import {
  GetGroupCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  IAMClient,
  ListAttachedGroupPoliciesCommand,
  ListAttachedRolePoliciesCommand,
  ListEntitiesForPolicyCommand,
  ListGroupPoliciesCommand,
  ListRolePoliciesCommand,
  NoSuchEntityException,
} from '@aws-sdk/client-iam'
import { mockClient } from 'aws-sdk-client-mock'
import { beforeEach, describe, expect, it } from 'vitest'
import { IamAccountReader } from '#shared/aws/account-reader.ts'
import { IamReadError } from '#shared/aws/iam-reader.ts'

const iam = mockClient(IAMClient)
const POLICY = 'arn:aws:iam::123456789012:policy/SupportTeamAccess'
const document = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 'support:*', Resource: '*' }],
}
const GROUP = {
  GroupName: 'SupportEngineers',
  GroupId: 'AGPAEXAMPLE',
  Arn: 'arn:aws:iam::123456789012:group/SupportEngineers',
  Path: '/',
  CreateDate: new Date(),
}
const user = (name: string) => ({
  UserName: name,
  UserId: `AIDA${name}`,
  Arn: `arn:aws:iam::123456789012:user/${name}`,
  Path: '/',
  CreateDate: new Date(),
})

const noSuchEntity = () => new NoSuchEntityException({ message: 'not found', $metadata: {} })
const makeReader = () => new IamAccountReader(new IAMClient({ region: 'us-east-1' }))

beforeEach(() => {
  iam.reset()
})

describe('IamAccountReader', () => {
  it('lists the members of a group across pages', async () => {
    iam
      .on(GetGroupCommand)
      .resolvesOnce({
        Group: GROUP,
        Users: [user('support-engineer'), user('support-lead')],
        IsTruncated: true,
        Marker: 'page-2',
      })
      .resolves({ Group: GROUP, Users: [user('support-oncall')], IsTruncated: false })

    await expect(makeReader().listGroupMembers('SupportEngineers')).resolves.toEqual([
      'support-engineer',
      'support-lead',
      'support-oncall',
    ])
    const inputs = iam.commandCalls(GetGroupCommand).map((call) => call.args[0].input)
    expect(inputs[0]?.GroupName).toBe('SupportEngineers')
    expect(inputs[1]).toMatchObject({ GroupName: 'SupportEngineers', Marker: 'page-2' })
  })

  it('reads a group just listed for its members without a second GetGroup', async () => {
    iam.on(GetGroupCommand).resolves({ Group: GROUP, Users: [user('support-engineer')], IsTruncated: false })
    iam.on(ListAttachedGroupPoliciesCommand).resolves({ AttachedPolicies: [], IsTruncated: false })
    iam.on(ListGroupPoliciesCommand).resolves({ PolicyNames: [], IsTruncated: false })
    let now = 0
    const reader = new IamAccountReader(new IAMClient({ region: 'us-east-1' }), { now: () => now })

    await reader.listGroupMembers('SupportEngineers')
    const group = await reader.readGroup('SupportEngineers')
    expect(group).toMatchObject({ arn: GROUP.Arn, name: 'SupportEngineers', attached: [], inline: [] })
    expect(iam.commandCalls(GetGroupCommand)).toHaveLength(1)

    // Later reads ask IAM again: the listing is reused once, and only moments after it.
    await reader.readGroup('SupportEngineers')
    expect(iam.commandCalls(GetGroupCommand)).toHaveLength(2)
    await reader.listGroupMembers('SupportEngineers')
    now += 10_000
    await reader.readGroup('SupportEngineers')
    expect(iam.commandCalls(GetGroupCommand)).toHaveLength(4)
  })

  it('lists the holders of a managed policy across pages', async () => {
    iam
      .on(ListEntitiesForPolicyCommand)
      .resolvesOnce({
        PolicyRoles: [{ RoleName: 'SupportTeam', RoleId: 'r1' }],
        PolicyUsers: [{ UserName: 'support-engineer', UserId: 'u1' }],
        IsTruncated: true,
        Marker: 'next',
      })
      .resolves({
        PolicyGroups: [{ GroupName: 'SupportEngineers', GroupId: 'g1' }],
        PolicyRoles: [{ RoleName: 'ops-oncall', RoleId: 'r2' }],
      })

    await expect(makeReader().listPolicyHolders(POLICY)).resolves.toEqual({
      roles: ['SupportTeam', 'ops-oncall'],
      users: ['support-engineer'],
      groups: ['SupportEngineers'],
    })
    const inputs = iam.commandCalls(ListEntitiesForPolicyCommand).map((call) => call.args[0].input)
    expect(inputs).toHaveLength(2)
    expect(inputs[1]).toMatchObject({ PolicyArn: POLICY, Marker: 'next' })
  })

  it('treats a group that does not exist as having no members', async () => {
    iam.on(GetGroupCommand).rejects(noSuchEntity())
    await expect(makeReader().listGroupMembers('Gone')).resolves.toEqual([])
  })

  it('treats a policy that does not exist as held by nobody', async () => {
    iam.on(ListEntitiesForPolicyCommand).rejects(noSuchEntity())
    await expect(makeReader().listPolicyHolders(POLICY)).resolves.toEqual({
      roles: [],
      users: [],
      groups: [],
    })
  })

  it('raises IamReadError for any other failure, naming the operation', async () => {
    const throttled = Object.assign(new Error('Rate exceeded'), { name: 'Throttling' })
    iam.on(ListEntitiesForPolicyCommand).rejects(throttled)
    iam.on(GetGroupCommand).rejects(throttled)
    await expect(makeReader().listPolicyHolders(POLICY)).rejects.toMatchObject({
      name: 'IamReadError',
      operation: 'ListEntitiesForPolicy',
      entity: POLICY,
      cause: throttled,
    })
    await expect(makeReader().listGroupMembers('SupportEngineers')).rejects.toBeInstanceOf(IamReadError)
  })

  it('returns the decoded document of one policy version, or undefined when it is gone', async () => {
    iam
      .on(GetPolicyVersionCommand, { PolicyArn: POLICY, VersionId: 'v3' })
      .resolves({
        PolicyVersion: {
          VersionId: 'v3',
          IsDefaultVersion: false,
          Document: encodeURIComponent(JSON.stringify(document)),
        },
      })
      .on(GetPolicyVersionCommand, { PolicyArn: POLICY, VersionId: 'v1' })
      .rejects(noSuchEntity())
    const reader = makeReader()
    await expect(reader.readPolicyVersion(POLICY, 'v3')).resolves.toEqual(document)
    await expect(reader.readPolicyVersion(POLICY, 'v1')).resolves.toBeUndefined()
  })

  it('reads a role through the IAM reader', async () => {
    iam.on(GetRoleCommand).resolves({
      Role: {
        RoleName: 'SupportTeam',
        RoleId: 'AROAEXAMPLE',
        Arn: 'arn:aws:iam::123456789012:role/SupportTeam',
        Path: '/',
        CreateDate: new Date(),
        AssumeRolePolicyDocument: encodeURIComponent(JSON.stringify(document)),
      },
    })
    iam.on(ListAttachedRolePoliciesCommand).resolves({
      AttachedPolicies: [
        { PolicyArn: 'arn:aws:iam::aws:policy/AWSSupportAccess', PolicyName: 'AWSSupportAccess' },
      ],
    })
    iam.on(ListRolePoliciesCommand).resolves({ PolicyNames: [] })
    const role = await makeReader().readRole('SupportTeam')
    expect(role).toMatchObject({
      kind: 'role',
      name: 'SupportTeam',
      attached: [{ arn: 'arn:aws:iam::aws:policy/AWSSupportAccess', name: 'AWSSupportAccess' }],
      inline: [],
      trustPolicy: document,
    })
  })
})
