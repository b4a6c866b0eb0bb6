import { describe, expect, it } from 'vitest'
import { evaluateAccount } from '#shared/evaluator/evaluate-account.ts'
import { explainDecision } from '#shared/evaluator/explain.ts'
import { whoCan } from '#shared/report/who-can.ts'
import { parseAccountSnapshot, SnapshotError } from '#shared/snapshot/parse-snapshot.ts'
import { toAuthorizationDetails } from '#shared/snapshot/to-authorization-details.ts'

const ACCOUNT = '123456789012'
const MANAGEMENT = '999999999999'
const doc = (...Statement: object[]) => ({ Version: '2012-10-17', Statement })
const text = (...Statement: object[]) => JSON.stringify(doc(...Statement))
const ALL = doc({ Effect: 'Allow', Action: '*', Resource: '*' })
const FULL_ACCESS = { Id: 'p-FullAWSAccess', Name: 'FullAWSAccess', Content: JSON.stringify(ALL) }

/** Root r-1 › OU ou-1 (Workloads) › OU ou-2 (Prod) › the account. */
function organization(scps: object[], extra: { accountId?: string; management?: string } = {}) {
  return {
    Organization: { Id: 'o-abc123def4', MasterAccountId: extra.management ?? MANAGEMENT },
    Roots: [{ Id: 'r-1', Name: 'Root' }],
    OrganizationalUnits: [
      { Id: 'ou-1', Name: 'Workloads', ParentId: 'r-1' },
      { Id: 'ou-2', Name: 'Prod', ParentId: 'ou-1' },
    ],
    Accounts: [{ Id: extra.accountId ?? ACCOUNT, Name: 'prod-app', ParentId: 'ou-2' }],
    ServiceControlPolicies: scps,
  }
}

function snapshot(org: object, accountId = ACCOUNT) {
  return parseAccountSnapshot({
    AccountId: accountId,
    RoleDetailList: [
      {
        RoleName: 'Admin',
        Arn: `arn:aws:iam::${accountId}:role/Admin`,
        AssumeRolePolicyDocument: doc({
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${accountId}:root` },
          Action: 'sts:AssumeRole',
        }),
        RolePolicyList: [{ PolicyName: 'all', PolicyDocument: ALL }],
      },
      {
        RoleName: 'AWSServiceRoleForSupport',
        Arn: `arn:aws:iam::${accountId}:role/aws-service-role/support.amazonaws.com/AWSServiceRoleForSupport`,
        Path: '/aws-service-role/support.amazonaws.com/',
        AssumeRolePolicyDocument: doc({
          Effect: 'Allow',
          Principal: { Service: 'support.amazonaws.com' },
          Action: 'sts:AssumeRole',
        }),
        RolePolicyList: [{ PolicyName: 'all', PolicyDocument: ALL }],
      },
    ],
    Organization: org,
  })
}

function decision(snap: ReturnType<typeof snapshot>, role: string, action = 'support:CreateCase') {
  const found = evaluateAccount(snap).principals.find((access) => access.principalArn.endsWith(`/${role}`))
  return found?.decisions[action]
}

/** FullAWSAccess at every level, plus `extra` at the levels named. */
const everywhere = (extra: Record<string, object[]> = {}) => {
  const targets = ['r-1', 'ou-1', 'ou-2', ACCOUNT]
  const scps: object[] = [{ ...FULL_ACCESS, Targets: targets.filter((id) => !extra[`no-full:${id}`]) }]
  for (const [key, list] of Object.entries(extra)) if (!key.startsWith('no-full:')) scps.push(...list)
  return scps
}

describe('SCPs evaluated by level, root to account', () => {
  it('allow what FullAWSAccess at every level allows', () => {
    expect(decision(snapshot(organization(everywhere())), 'Admin')).toBe('allow')
  })

  it('deny what is allowed at the root but not at an OU on the way down', () => {
    const ec2Only = {
      Id: 'p-ec2',
      Name: 'Ec2Only',
      Content: text({ Effect: 'Allow', Action: 'ec2:*', Resource: '*' }),
      Targets: ['ou-1'],
    }
    const scps = everywhere({ 'no-full:ou-1': [], ou: [ec2Only] })
    const snap = snapshot(organization(scps))
    expect(decision(snap, 'Admin')).toBe('deny')
    // The same two SCPs flattened into one layer would have allowed it: levels matter.
    const flat = parseAccountSnapshot({
      ...toAuthorizationDetails(snap),
      Organization: undefined,
      ServiceControlPolicies: [FULL_ACCESS, { Id: 'p-ec2', Content: ec2Only.Content }],
    })
    expect(decision(flat, 'Admin')).toBe('allow')
  })

  it('deny what a Deny at any OU denies, whatever the other levels allow', () => {
    const denySupport = {
      Id: 'p-deny',
      Name: 'DenySupport',
      Content: text({ Effect: 'Deny', Action: 'support:*', Resource: '*' }),
      Targets: ['ou-1'],
    }
    const snap = snapshot(organization(everywhere({ ou: [denySupport] })))
    expect(decision(snap, 'Admin')).toBe('deny')
    const explained = whoCan(snap, 'support:CreateCase')
    expect(explained.principals.map((entry) => entry.principalArn.split('/').pop())).toEqual([
      'AWSServiceRoleForSupport',
    ])
  })

  it('allow through a NotAction allow at a level', () => {
    const allButIam = {
      Id: 'p-notiam',
      Name: 'AllButIam',
      Content: text({ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }),
      Targets: [ACCOUNT],
    }
    const snap = snapshot(organization(everywhere({ [`no-full:${ACCOUNT}`]: [], acct: [allButIam] })))
    expect(decision(snap, 'Admin')).toBe('allow')
    expect(decision(snap, 'Admin', 'iam:CreateServiceLinkedRole@other-service')).toBe('deny')
  })

  it('make the decision conditional when a level allows only under a condition', () => {
    const regional = {
      Id: 'p-region',
      Name: 'UsEast1Only',
      Content: text({
        Effect: 'Allow',
        Action: '*',
        Resource: '*',
        Condition: { StringEquals: { 'aws:RequestedRegion': 'us-east-1' } },
      }),
      Targets: ['ou-2'],
    }
    const snap = snapshot(organization(everywhere({ 'no-full:ou-2': [], ou: [regional] })))
    expect(decision(snap, 'Admin')).toBe('conditional')
  })

  it('never restrict service-linked roles, nor the management account', () => {
    const denyAll = {
      Id: 'p-none',
      Name: 'DenyAll',
      Content: text({ Effect: 'Deny', Action: '*', Resource: '*' }),
      Targets: ['r-1'],
    }
    const member = snapshot(organization(everywhere({ root: [denyAll] })))
    expect(decision(member, 'Admin')).toBe('deny')
    expect(decision(member, 'AWSServiceRoleForSupport')).toBe('allow')
    const management = snapshot(organization(everywhere({ root: [denyAll] }), { management: ACCOUNT }))
    expect(decision(management, 'Admin')).toBe('allow')
  })

  it('name the level and the policy of an SCP statement in the evidence', () => {
    const denySupport = {
      Id: 'p-deny',
      Name: 'DenySupport',
      Content: text({ Effect: 'Deny', Action: 'support:*', Resource: '*' }),
      Targets: ['ou-2'],
    }
    const snap = snapshot(organization(everywhere({ ou: [denySupport] })))
    const { account, questions } = evaluateAccount(snap)
    expect(account.scpLayers.map((layer) => layer.label)).toEqual([
      'root Root',
      'organizational unit Workloads',
      'organizational unit Prod',
      'account prod-app',
    ])
    const admin = account.byArn.get(`arn:aws:iam::${ACCOUNT}:role/Admin`)
    const question = questions.questions[questions.indexByKey.get('support:CreateCase') ?? -1]
    if (!admin || !question) throw new Error('no Admin role or question')
    const explained = explainDecision(admin, question, account.scpLayers)
    expect(explained.scp).toBe('deny')
    expect(
      explained.statements
        .filter((statement) => statement.layer === 'scp')
        .map((statement) => statement.policy),
    ).toEqual([
      'scp:Root/FullAWSAccess',
      'scp:Workloads/FullAWSAccess',
      'scp:Prod/FullAWSAccess',
      'scp:Prod/DenySupport',
      'scp:prod-app/FullAWSAccess',
    ])
  })
})

describe('organisation data the guard cannot follow', () => {
  const issuesOf = (snap: ReturnType<typeof snapshot>) =>
    evaluateAccount(snap).issues.map((issue) => issue.message)

  it('says so when the account is not in the file, and leaves its SCPs out (more access shown, never less)', () => {
    const denyAll = {
      Id: 'p-none',
      Content: text({ Effect: 'Deny', Action: '*', Resource: '*' }),
      Targets: ['r-1'],
    }
    const snap = snapshot(organization([denyAll], { accountId: '111111111111' }))
    expect(decision(snap, 'Admin')).toBe('allow')
    expect(issuesOf(snap)).toEqual([`does not list account ${ACCOUNT}; its SCPs are not evaluated`])
  })

  it('says so when a level has no SCP (AWS always keeps one), and leaves that level out', () => {
    const snap = snapshot(organization([{ ...FULL_ACCESS, Targets: ['r-1', 'ou-2', ACCOUNT] }]))
    expect(decision(snap, 'Admin')).toBe('allow')
    expect(issuesOf(snap)).toEqual([
      'attaches no SCP to organizational unit Workloads; AWS always keeps one there, so the data is incomplete and that level is not evaluated',
    ])
  })

  it('says so when the OUs never reach a root', () => {
    const org = organization(everywhere())
    org.OrganizationalUnits = [
      { Id: 'ou-1', Name: 'Workloads', ParentId: 'ou-2' },
      { Id: 'ou-2', Name: 'Prod', ParentId: 'ou-1' },
    ]
    expect(issuesOf(snapshot(org))).toEqual([
      `places account ${ACCOUNT} under OUs that never reach a root; its SCPs are not evaluated`,
    ])
  })

  it('refuses an export with both a flat SCP list and an organisation, and a malformed organisation', () => {
    const raw = {
      ...toAuthorizationDetails(snapshot(organization(everywhere()))),
      ServiceControlPolicies: [FULL_ACCESS],
    }
    expect(() => parseAccountSnapshot(raw)).toThrow(/not both/)
    const broken = {
      ...toAuthorizationDetails(snapshot(organization(everywhere()))),
      Organization: { Roots: [] },
    }
    expect(() => parseAccountSnapshot(broken)).toThrow(SnapshotError)
  })

  it('survives a snapshot round trip', () => {
    const snap = snapshot(organization(everywhere()))
    const again = parseAccountSnapshot(JSON.parse(JSON.stringify(toAuthorizationDetails(snap))))
    expect(again.organization).toEqual(snap.organization)
  })
})
