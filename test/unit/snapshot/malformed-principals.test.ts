import { describe, expect, it } from 'vitest'
import { DEFAULT_CONFIG } from '#shared/config/guard-config.ts'
import { evaluateAccount } from '#shared/evaluator/evaluate-account.ts'
import { auditAccount } from '#shared/report/audit-report.ts'
import { parseAccountSnapshot } from '#shared/snapshot/parse-snapshot.ts'
import { isSkippedEntry } from '#shared/snapshot/skipped-entries.ts'
import type { SnapshotIssue } from '#shared/snapshot/types.ts'

const ACCOUNT = '123456789012'
const arn = (kind: string, name: string) => `arn:aws:iam::${ACCOUNT}:${kind}/${name}`
const SUPPORT_ACCESS = 'arn:aws:iam::aws:policy/AWSSupportAccess'

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
const supportAttached = [{ PolicyName: 'AWSSupportAccess', PolicyArn: SUPPORT_ACCESS }]

const role = (name: string, extra: Record<string, unknown> = {}) => ({
  RoleName: name,
  Arn: arn('role', name),
  AssumeRolePolicyDocument: trust,
  AttachedManagedPolicies: supportAttached,
  ...extra,
})
const user = (name: string, extra: Record<string, unknown> = {}) => ({
  UserName: name,
  Arn: arn('user', name),
  AttachedManagedPolicies: supportAttached,
  ...extra,
})

/** Three users and two roles, every one of them allowed support:*. */
function healthyExport(): {
  AccountId: string
  UserDetailList: unknown[]
  GroupDetailList: unknown[]
  RoleDetailList: unknown[]
  Policies: unknown[]
} {
  return {
    AccountId: ACCOUNT,
    UserDetailList: [user('alice'), user('bob', { GroupList: ['Readers'] }), user('carol')],
    GroupDetailList: [{ GroupName: 'Readers', Arn: arn('group', 'Readers') }],
    RoleDetailList: [role('SupportTeam'), role('Ops')],
    Policies: [],
  }
}

const issuesOf = (input: unknown): readonly SnapshotIssue[] => parseAccountSnapshot(input).issues ?? []

describe('an export with one malformed principal', () => {
  it('skips the malformed role by name and audits the other four principals', () => {
    const input = healthyExport()
    input.RoleDetailList.splice(1, 0, role('Broken', { RolePolicyList: 'oops' }))

    const snapshot = parseAccountSnapshot(input)
    expect(snapshot.issues).toEqual([
      {
        policy: 'role Broken',
        path: 'RoleDetailList[1]',
        message:
          'the list of its inline policies (RolePolicyList) is not a list; skipped: the role is not audited',
        skipped: true,
      },
    ])
    const evaluation = evaluateAccount(snapshot)
    expect(evaluation.principals.map((access) => access.principalArn)).toEqual([
      arn('user', 'alice'),
      arn('user', 'bob'),
      arn('user', 'carol'),
      arn('role', 'SupportTeam'),
      arn('role', 'Ops'),
    ])
    expect(evaluation.principals.every((access) => access.decisions['support:CreateCase'] === 'allow')).toBe(
      true,
    )
    expect(evaluation.issues.filter(isSkippedEntry).map((issue) => issue.policy)).toEqual(['role Broken'])
  })

  it('hands the skipped principal to the audit result, next to the report of the others', () => {
    const input = healthyExport()
    input.UserDetailList.push({ UserName: 'dave' })
    const { report, issues } = auditAccount(parseAccountSnapshot(input), DEFAULT_CONFIG)
    expect(report.access).toHaveLength(5)
    expect(issues).toContainEqual({
      policy: 'user dave',
      path: 'UserDetailList[3]',
      message: 'the ARN (Arn) is missing; skipped: the user is not audited',
      skipped: true,
    })
  })

  it.each([
    {
      name: 'a role without RoleName',
      list: 'RoleDetailList',
      entry: { Arn: arn('role', 'nameless'), AssumeRolePolicyDocument: trust },
      subject: `role ${arn('role', 'nameless')}`,
      problem: 'the role name (RoleName) is missing',
    },
    {
      name: 'a role with an empty Arn',
      list: 'RoleDetailList',
      entry: { RoleName: 'Blank', Arn: '', AssumeRolePolicyDocument: trust },
      subject: 'role Blank',
      problem: 'the ARN (Arn) is empty',
    },
    {
      name: 'a role that is not an object',
      list: 'RoleDetailList',
      entry: 'SupportTeam',
      subject: 'role with no RoleName or Arn',
      problem: 'the entry is not a JSON object',
    },
    {
      name: 'a user without UserName and Arn',
      list: 'UserDetailList',
      entry: { Path: '/' },
      subject: 'user with no UserName or Arn',
      problem: 'the user name (UserName) is missing',
    },
    {
      name: 'a user whose group list is not a list',
      list: 'UserDetailList',
      entry: user('erin', { GroupList: 'Readers' }),
      subject: 'user erin',
      problem: 'the list of its groups (GroupList) is not a list',
    },
    {
      name: 'a user whose attached policies are an object',
      list: 'UserDetailList',
      entry: user('frank', { AttachedManagedPolicies: { PolicyArn: SUPPORT_ACCESS } }),
      subject: 'user frank',
      problem: 'the list of its attached policies (AttachedManagedPolicies) is not a list',
    },
    {
      name: 'a group whose name is a number',
      list: 'GroupDetailList',
      entry: { GroupName: 7, Arn: arn('group', 'seven') },
      subject: `group ${arn('group', 'seven')}`,
      problem: 'the group name (GroupName) is not text',
    },
    {
      name: 'a managed policy without Arn',
      list: 'Policies',
      entry: { PolicyName: 'Orphan', PolicyVersionList: [] },
      subject: 'managed policy Orphan',
      problem: 'the ARN (Arn) is missing',
    },
  ])('names $name and skips it alone', ({ list, entry, subject, problem }) => {
    const input = healthyExport()
    const entries = input[list as 'RoleDetailList']
    entries.push(entry)
    const snapshot = parseAccountSnapshot(input)
    expect(snapshot.issues).toEqual([
      expect.objectContaining({
        policy: subject,
        path: `${list}[${entries.length - 1}]`,
        message: expect.stringContaining(`${problem}; skipped: `),
        skipped: true,
      }),
    ])
    expect(snapshot.users.map((record) => record.name)).toEqual(['alice', 'bob', 'carol'])
    expect(snapshot.roles.map((record) => record.name)).toEqual(['SupportTeam', 'Ops'])
    expect(snapshot.groups.map((record) => record.name)).toEqual(['Readers'])
  })

  it('audits a role without a trust policy for what it may do, as assumable by no one', () => {
    const input = healthyExport()
    input.RoleDetailList[0] = {
      RoleName: 'SupportTeam',
      Arn: arn('role', 'SupportTeam'),
      AttachedManagedPolicies: supportAttached,
    }
    const evaluation = evaluateAccount(parseAccountSnapshot(input))
    const team = evaluation.principals.find((access) => access.principalArn === arn('role', 'SupportTeam'))
    expect(team?.decisions['support:ResolveCase']).toBe('allow')
    expect(team?.principal.trust).toBeUndefined()
    expect(evaluation.issues).toEqual([
      {
        policy: 'role SupportTeam',
        path: '',
        message:
          'the trust policy (AssumeRolePolicyDocument) is missing; the role is evaluated as assumable by no one',
      },
    ])
  })

  it('keeps a principal whose inline policy has no name, evaluating its other policies', () => {
    const input = healthyExport()
    input.RoleDetailList.push(
      role('Mixed', {
        AttachedManagedPolicies: [{ PolicyName: 'no ARN' }],
        RolePolicyList: [
          { PolicyDocument: allowSupport },
          { PolicyName: 'own', PolicyDocument: allowSupport },
        ],
      }),
    )
    const snapshot = parseAccountSnapshot(input)
    expect(snapshot.issues).toEqual([
      {
        policy: 'role Mixed',
        path: 'RoleDetailList[2]',
        message:
          'RolePolicyList[0].PolicyName is missing; that inline policy is evaluated as granting nothing',
        skipped: false,
      },
      {
        policy: 'role Mixed',
        path: 'RoleDetailList[2]',
        message:
          'AttachedManagedPolicies[0].PolicyArn is missing; that attached policy is evaluated as granting nothing',
        skipped: false,
      },
    ])
    const mixed = snapshot.roles.find((record) => record.name === 'Mixed')
    expect(mixed?.inline.map((policy) => policy.name)).toEqual(['own'])
    expect(mixed?.attached).toEqual([])
    const access = evaluateAccount(snapshot).principals.find((entry) => entry.principalArn === mixed?.arn)
    expect(access?.decisions['support:CreateCase']).toBe('allow')
  })

  it('evaluates an unreadable inline document as granting nothing and names it', () => {
    const input = healthyExport()
    input.UserDetailList.push({
      UserName: 'gina',
      Arn: arn('user', 'gina'),
      UserPolicyList: [{ PolicyName: 'garbled', PolicyDocument: '%7B%22Version' }],
    })
    const evaluation = evaluateAccount(parseAccountSnapshot(input))
    const gina = evaluation.principals.find((access) => access.principalArn === arn('user', 'gina'))
    expect(gina?.decisions['support:CreateCase']).toBe('deny')
    expect(evaluation.issues).toEqual([
      expect.objectContaining({ policy: `${arn('user', 'gina')}#inline/garbled`, path: '' }),
    ])
  })

  it('audits the members of a skipped group without it, and says so once for the group', () => {
    const input = healthyExport()
    input.GroupDetailList[0] = { GroupName: 'Readers', Arn: arn('group', 'Readers'), GroupPolicyList: {} }
    input.UserDetailList.push(user('hank', { GroupList: ['Readers'] }))
    const evaluation = evaluateAccount(parseAccountSnapshot(input))
    expect(evaluation.principals).toHaveLength(6)
    expect(evaluation.issues.filter(isSkippedEntry).map((issue) => issue.policy)).toEqual(['group Readers'])
    expect(evaluation.issues).toEqual([
      expect.objectContaining({ policy: 'group Readers', path: 'GroupDetailList[0]', skipped: true }),
      {
        policy: 'group Readers',
        path: '',
        message:
          'is not in the snapshot, but users bob, hank are members; its policies are evaluated as granting nothing',
      },
    ])
  })

  it.each([
    { name: 'the account most ARNs name', declared: {} },
    { name: 'the declared AccountId', declared: { AccountId: ACCOUNT } },
  ])('skips entries of another account than $name, by name, and audits the rest', ({ declared }) => {
    const other = '999988887777'
    const { AccountId: _, ...input } = healthyExport()
    input.RoleDetailList.push({ ...role('Overlay'), Arn: `arn:aws:iam::${other}:role/Overlay` })
    input.Policies.push({ Arn: `arn:aws:iam::${other}:policy/Insecure`, PolicyVersionList: [] })
    const snapshot = parseAccountSnapshot({ ...input, ...declared })
    expect(snapshot.accountId).toBe(ACCOUNT)
    expect(snapshot.roles.map((record) => record.name)).toEqual(['SupportTeam', 'Ops'])
    expect(snapshot.policies).toEqual([])
    expect(snapshot.issues).toEqual([
      {
        policy: 'role Overlay',
        path: 'RoleDetailList[2]',
        message: `its ARN is in account ${other}, but the export describes account ${ACCOUNT}; skipped: the role is not audited`,
        skipped: true,
      },
      expect.objectContaining({
        policy: `managed policy arn:aws:iam::${other}:policy/Insecure`,
        skipped: true,
      }),
    ])
  })

  it('skips a malformed Slack channel configuration or SCP and reads the others', () => {
    const input = {
      ...healthyExport(),
      SupportAppSlackChannelConfigurations: [
        { teamId: 'T1', channelId: 'C1', channelName: 'support' },
        { teamId: 'T1', channelId: 'C2', channelRoleArn: arn('role', 'SupportTeam') },
      ],
      ServiceControlPolicies: [{ Name: 'empty' }, { Name: 'FullAWSAccess', Content: allowAll() }],
    }
    const snapshot = parseAccountSnapshot(input)
    expect(snapshot.slackChannelConfigurations.map((channel) => channel.channelId)).toEqual(['C2'])
    expect(snapshot.serviceControlPolicies?.map((scp) => scp.name)).toEqual(['FullAWSAccess'])
    expect(snapshot.issues?.map((issue) => `${issue.policy} at ${issue.path}: ${issue.message}`)).toEqual([
      'Slack channel configuration support at SupportAppSlackChannelConfigurations[0]: channelRoleArn is missing; skipped: its role is not known as a Support App role from this channel',
      'service control policy empty at ServiceControlPolicies[0]: the policy document (Content) is missing; skipped: the audit goes on without it',
    ])
  })

  it('ignores malformed tags, which decide nothing', () => {
    const input = healthyExport()
    input.RoleDetailList[0] = role('SupportTeam', { Tags: [{ Key: 'team' }] })
    const snapshot = parseAccountSnapshot(input)
    expect(snapshot.issues).toBeUndefined()
    expect(snapshot.roles[0]?.tags).toBeUndefined()
  })

  it('names every skipped entry before its position in the export', () => {
    const input = healthyExport()
    input.UserDetailList.push({ UserName: 'ivy', Arn: 5 }, 3)
    input.RoleDetailList.push({ RoleName: 'Jay' })
    for (const issue of issuesOf(input)) {
      expect(issue.policy).toMatch(/^(user|role) /)
      expect(issue.policy).not.toMatch(/\[\d+\]/)
      expect(issue.path).toMatch(/^(UserDetailList|RoleDetailList)\[\d+\]$/)
    }
    expect(issuesOf(input).map((issue) => issue.policy)).toEqual([
      'user ivy',
      'user with no UserName or Arn',
      'role Jay',
    ])
  })
})

function allowAll() {
  return { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }
}
