import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parseAccountSnapshot, SnapshotError } from '#shared/snapshot/parse-snapshot.ts'

const EXAMPLE = JSON.parse(
  readFileSync(new URL('../../../shared/examples/example-account.json', import.meta.url), 'utf8'),
) as {
  AccountId: string
  UserDetailList: unknown[]
  GroupDetailList: unknown[]
  RoleDetailList: unknown[]
  Policies: unknown[]
}

const trust = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
}
const supportDocument = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 'support:*', Resource: '*' }],
}

/** A page as the SDK returns it after JSON: dates as strings, extra fields, names left out where IAM may. */
const SDK_LIKE = {
  IsTruncated: false,
  UserDetailList: [
    {
      UserName: 'dev',
      UserId: 'AIDAEXAMPLE',
      Arn: 'arn:aws:iam::444455556666:user/team/dev',
      Path: '/team/',
      CreateDate: '2024-05-01T10:00:00.000Z',
      UserPolicyList: [
        { PolicyName: 'own', PolicyDocument: encodeURIComponent(JSON.stringify(supportDocument)) },
      ],
      GroupList: ['Developers'],
      AttachedManagedPolicies: [{ PolicyArn: 'arn:aws:iam::aws:policy/AWSSupportAccess' }],
      PermissionsBoundary: {
        PermissionsBoundaryType: 'Policy',
        PermissionsBoundaryArn: 'arn:aws:iam::444455556666:policy/Boundary',
      },
      Tags: [],
    },
  ],
  GroupDetailList: [
    {
      GroupName: 'Developers',
      GroupId: 'AGPAEXAMPLE',
      Arn: 'arn:aws:iam::444455556666:group/Developers',
      GroupPolicyList: [{ PolicyName: 'text', PolicyDocument: JSON.stringify(supportDocument) }],
    },
  ],
  RoleDetailList: [
    {
      RoleName: 'app',
      Arn: 'arn:aws:iam::444455556666:role/app',
      AssumeRolePolicyDocument: encodeURIComponent(JSON.stringify(trust)),
      InstanceProfileList: [],
      RoleLastUsed: { LastUsedDate: '2024-06-01T00:00:00.000Z', Region: 'us-east-1' },
      Tags: [{ Key: 'owner', Value: 'platform' }],
    },
  ],
  Policies: [
    {
      Arn: 'arn:aws:iam::444455556666:policy/Boundary',
      DefaultVersionId: 'v3',
      AttachmentCount: 1,
      PolicyVersionList: [
        { VersionId: 'v3', Document: supportDocument },
        { VersionId: 'v2', Document: '{"Version":"2012-10-17","Statement":[]}' },
      ],
    },
  ],
}

describe('parseAccountSnapshot', () => {
  it('reads the example export', () => {
    const snapshot = parseAccountSnapshot(EXAMPLE)
    expect(snapshot.accountId).toBe(EXAMPLE.AccountId)
    expect(snapshot.users).toHaveLength(EXAMPLE.UserDetailList.length)
    expect(snapshot.groups).toHaveLength(EXAMPLE.GroupDetailList.length)
    expect(snapshot.roles).toHaveLength(EXAMPLE.RoleDetailList.length)
    expect(snapshot.policies).toHaveLength(EXAMPLE.Policies.length)
    expect(snapshot.slackChannelConfigurations.map((channel) => channel.channelName)).toEqual([
      'aws-support',
      'incidents',
    ])
    const deployer = snapshot.users.find((user) => user.name === 'ci-deployer')
    expect(deployer?.path).toBe('/automation/')
    const readers = snapshot.policies.find((policy) => policy.name === 'SupportReadersPolicy')
    expect(readers?.defaultVersionId).toBe('v2')
    expect(readers?.document).toBe(readers?.versions.find((version) => version.versionId === 'v2')?.document)
    expect(readers?.versions.map((version) => `${version.versionId}:${version.isDefault}`)).toEqual([
      'v2:true',
      'v1:false',
    ])
  })

  it('reads SDK-like output: names filled from ARNs, documents kept as received, extra fields ignored', () => {
    const snapshot = parseAccountSnapshot(SDK_LIKE)
    expect(snapshot.accountId).toBe('444455556666')
    expect(snapshot.users[0]).toEqual({
      kind: 'user',
      arn: 'arn:aws:iam::444455556666:user/team/dev',
      name: 'dev',
      path: '/team/',
      id: 'AIDAEXAMPLE',
      inline: [{ name: 'own', document: encodeURIComponent(JSON.stringify(supportDocument)) }],
      attached: [{ arn: 'arn:aws:iam::aws:policy/AWSSupportAccess', name: 'AWSSupportAccess' }],
      groups: ['Developers'],
      boundaryArn: 'arn:aws:iam::444455556666:policy/Boundary',
    })
    expect(snapshot.groups[0]).toEqual({
      arn: 'arn:aws:iam::444455556666:group/Developers',
      name: 'Developers',
      path: '/',
      inline: [{ name: 'text', document: JSON.stringify(supportDocument) }],
      attached: [],
    })
    expect(snapshot.roles[0]).toMatchObject({
      kind: 'role',
      name: 'app',
      trustPolicy: encodeURIComponent(JSON.stringify(trust)),
      inline: [],
      attached: [],
      tags: { owner: 'platform' },
    })
    expect(snapshot.policies[0]).toMatchObject({
      name: 'Boundary',
      defaultVersionId: 'v3',
      document: supportDocument,
      versions: [
        { versionId: 'v3', isDefault: true, document: supportDocument },
        { versionId: 'v2', isDefault: false, document: '{"Version":"2012-10-17","Statement":[]}' },
      ],
    })
    expect(snapshot.slackChannelConfigurations).toEqual([])
  })

  it.each([
    {
      name: 'a list',
      channels: [{ teamId: 'T1', channelId: 'C1', channelRoleArn: 'arn:aws:iam::444455556666:role/app' }],
    },
    {
      name: 'list-slack-channel-configurations output',
      channels: {
        slackChannelConfigurations: [
          { teamId: 'T1', channelId: 'C1', channelRoleArn: 'arn:aws:iam::444455556666:role/app' },
        ],
      },
    },
  ])('reads Slack channel configurations given as $name', ({ channels }) => {
    const snapshot = parseAccountSnapshot({
      RoleDetailList: [],
      SupportAppSlackChannelConfigurations: channels,
    })
    expect(snapshot.slackChannelConfigurations).toEqual([
      { teamId: 'T1', channelId: 'C1', channelRoleArn: 'arn:aws:iam::444455556666:role/app' },
    ])
  })

  it('reads a hole of a list built in code as an entry that is not an object, never skips it unsaid', () => {
    /** A list whose first slot is a hole: JSON never makes one, code can. */
    const afterHole = (entry: unknown): unknown[] => {
      const list: unknown[] = []
      list[1] = entry
      return list
    }
    const role = { RoleName: 'r', Arn: 'arn:aws:iam::444455556666:role/r', AssumeRolePolicyDocument: {} }
    const snapshot = parseAccountSnapshot({
      RoleDetailList: afterHole(role),
      ServiceControlPolicies: afterHole({ Id: 'p-1', Content: {} }),
    })
    expect(snapshot.roles.map((entry) => entry.name)).toEqual(['r'])
    expect(snapshot.serviceControlPolicies?.map((scp) => scp.id)).toEqual(['p-1'])
    expect(snapshot.issues?.map((issue) => [issue.path, issue.message])).toEqual([
      ['RoleDetailList[0]', 'the entry is not a JSON object; skipped: the role is not audited'],
      ['ServiceControlPolicies[0]', 'the entry is not a JSON object; skipped: the audit goes on without it'],
    ])
  })

  it('falls back to a placeholder account when no ARN names one', () => {
    expect(parseAccountSnapshot({ Policies: [] }).accountId).toBe('000000000000')
  })

  it('takes the default version from IsDefaultVersion when DefaultVersionId is absent', () => {
    const snapshot = parseAccountSnapshot({
      Policies: [
        {
          Arn: 'arn:aws:iam::444455556666:policy/path/P',
          PolicyVersionList: [
            { VersionId: 'v1', IsDefaultVersion: false, Document: {} },
            { VersionId: 'v2', IsDefaultVersion: true, Document: supportDocument },
          ],
        },
      ],
    })
    expect(snapshot.policies[0]).toMatchObject({
      name: 'P',
      defaultVersionId: 'v2',
      document: supportDocument,
    })
  })

  it.each([
    { name: 'a number', input: 5, path: '', message: /JSON object/ },
    { name: 'null', input: null, path: '', message: /JSON object/ },
    { name: 'an array', input: [], path: '', message: /JSON object/ },
    { name: 'an empty object', input: {}, path: '', message: /none of UserDetailList/ },
    {
      name: 'another kind of export',
      input: { Users: [] },
      path: '',
      message: /get-account-authorization-details/,
    },
    { name: 'RoleDetailList 5', input: { RoleDetailList: 5 }, path: 'RoleDetailList', message: /array/ },
    {
      name: 'a short AccountId',
      input: { AccountId: '1234', Policies: [] },
      path: 'AccountId',
      message: /12-digit/,
    },
    {
      name: 'an AccountId that most ARNs contradict',
      input: {
        AccountId: '111122223333',
        RoleDetailList: [
          { RoleName: 'app', Arn: 'arn:aws:iam::444455556666:role/app', AssumeRolePolicyDocument: trust },
          { RoleName: 'web', Arn: 'arn:aws:iam::444455556666:role/web', AssumeRolePolicyDocument: trust },
          { RoleName: 'own', Arn: 'arn:aws:iam::111122223333:role/own', AssumeRolePolicyDocument: trust },
        ],
      },
      path: 'AccountId',
      message:
        /is 111122223333, but 2 of its entries are in account 444455556666 \(such as role app, RoleDetailList\[0\]\) and 1 in 111122223333/,
    },
    {
      name: 'ARNs of two accounts, equally many, without AccountId',
      input: {
        RoleDetailList: [
          { RoleName: 'app', Arn: 'arn:aws:iam::111122223333:role/app', AssumeRolePolicyDocument: trust },
        ],
        UserDetailList: [{ UserName: 'dev', Arn: 'arn:aws:iam::444455556666:user/dev' }],
      },
      path: 'UserDetailList[0].Arn',
      message:
        /names accounts 111122223333 \(such as role app\) and 444455556666 \(such as user dev\) equally often; add AccountId/,
    },
    {
      name: 'Slack channel configurations given as text',
      input: { RoleDetailList: [], SupportAppSlackChannelConfigurations: 'C1' },
      path: 'SupportAppSlackChannelConfigurations',
      message: /list of channel configurations/,
    },
    {
      name: 'ServiceControlPolicies that is an object',
      input: { RoleDetailList: [], ServiceControlPolicies: { Id: 'p-1' } },
      path: 'ServiceControlPolicies',
      message: /must be a list/,
    },
  ])('rejects $name with a SnapshotError at "$path"', ({ input, path, message }) => {
    let caught: unknown
    try {
      parseAccountSnapshot(input)
    } catch (error) {
      caught = error
    }
    expect(caught).toBeInstanceOf(SnapshotError)
    const error = caught as SnapshotError
    expect(error.name).toBe('SnapshotError')
    expect(error.path).toBe(path)
    expect(error.message).toMatch(message)
    if (path) expect(error.message).toContain(`snapshot.${path}`)
  })
})

describe('the order of issues', () => {
  const arn = (kind: string, name: string, account = '111122223333') =>
    `arn:aws:iam::${account}:${kind}/${name}`
  const input = {
    AccountId: '111122223333',
    Policies: [
      {
        PolicyName: 'p',
        Arn: arn('policy', 'p'),
        DefaultVersionId: 'v1',
        PolicyVersionList: [{ Document: supportDocument }, { VersionId: 'v1', Document: supportDocument }],
      },
      { PolicyName: 'broken' },
    ],
    RoleDetailList: [
      { RoleName: 'no-arn', AssumeRolePolicyDocument: trust },
      {
        RoleName: 'r',
        Arn: arn('role', 'r'),
        AssumeRolePolicyDocument: trust,
        RolePolicyList: [{ PolicyDocument: supportDocument }],
      },
      {
        RoleName: 'elsewhere',
        Arn: arn('role', 'elsewhere', '999988887777'),
        AssumeRolePolicyDocument: trust,
      },
    ],
    UserDetailList: [
      { UserName: 'u', Arn: arn('user', 'u'), GroupList: ['g', 7] },
      { UserName: 'nameless-arn', Arn: 5 },
    ],
    GroupDetailList: [{ GroupName: 'g', Arn: arn('group', 'g'), AttachedManagedPolicies: [{}] }],
    SupportAppSlackChannelConfigurations: [{ teamId: 'T1' }],
  }

  it('lists skipped entries list by list, then entries of another account, then left-out items list by list', () => {
    expect(parseAccountSnapshot(input).issues?.map((issue) => `${issue.policy} @ ${issue.path}`)).toEqual([
      'user nameless-arn @ UserDetailList[1]',
      'role no-arn @ RoleDetailList[0]',
      'managed policy broken @ Policies[1]',
      'Slack channel configuration with no channelName or channelId @ SupportAppSlackChannelConfigurations[0]',
      'role elsewhere @ RoleDetailList[2]',
      'user u @ UserDetailList[0]',
      'group g @ GroupDetailList[0]',
      'role r @ RoleDetailList[1]',
      `managed policy ${arn('policy', 'p')} @ Policies[0]`,
    ])
  })
})
