import { describe, expect, it } from 'vitest'
import { DEFAULT_CONFIG } from '#shared/config/guard-config.ts'
import { replayEvent } from '#shared/pipeline/replay-event.ts'
import { parseAccountSnapshot } from '#shared/snapshot/parse-snapshot.ts'
import { buildRecord, wrapInEnvelope } from '../events/build-test-event.ts'

const ACCOUNT = '123456789012'
const RULE = 'SUPPORT_RESOURCE_SCOPE_INEFFECTIVE'
const arn = (kind: string, name: string) => `arn:aws:iam::${ACCOUNT}:${kind}/${name}`
const CASE_ARN = `arn:aws:support::${ACCOUNT}:case/*`

const trust = {
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'sts:AssumeRole' },
  ],
}
const caseScoped = (action: string) => ({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: action, Resource: CASE_ARN }],
})

/**
 * Before the change: SupportTeam already holds an ineffective inline policy, and a user and a
 * group hold one named like the policy the change writes.
 */
const before = parseAccountSnapshot({
  AccountId: ACCOUNT,
  UserDetailList: [
    {
      UserName: 'SupportTeam',
      Arn: arn('user', 'SupportTeam'),
      GroupList: ['Support'],
      UserPolicyList: [{ PolicyName: 'CaseAccess', PolicyDocument: caseScoped('support:DescribeCases') }],
    },
  ],
  GroupDetailList: [
    {
      GroupName: 'Support',
      Arn: arn('group', 'Support'),
      GroupPolicyList: [{ PolicyName: 'Legacy', PolicyDocument: caseScoped('support:ResolveCase') }],
    },
  ],
  RoleDetailList: [
    {
      RoleName: 'SupportTeam',
      Arn: arn('role', 'SupportTeam'),
      AssumeRolePolicyDocument: trust,
      RolePolicyList: [{ PolicyName: 'Legacy', PolicyDocument: caseScoped('support:ResolveCase') }],
    },
  ],
})

function putPolicyEvent(eventName: string, owner: Record<string, string>, policyName: string): unknown {
  return wrapInEnvelope(
    buildRecord({
      eventName,
      requestParameters: {
        ...owner,
        policyName,
        policyDocument: JSON.stringify(caseScoped('support:DescribeCases')),
      },
    }),
  )
}

async function scopeFindingsOf(event: unknown) {
  const report = await replayEvent(event, before, DEFAULT_CONFIG)
  return report.findings.filter((finding) => finding.rule === RULE)
}

describe('a change that writes an inline policy scoped to a case ARN', () => {
  it('gives one resource-scope finding for that policy of that role, none for its other inline policies', async () => {
    const findings = await scopeFindingsOf(
      putPolicyEvent('PutRolePolicy', { roleName: 'SupportTeam' }, 'CaseAccess'),
    )
    expect(findings).toHaveLength(1)
    expect(findings[0]).toMatchObject({
      principalArn: arn('role', 'SupportTeam'),
      evidence: { policyType: 'inline', policyName: 'CaseAccess', principalType: 'role' },
    })
  })

  it('matches the owner by name regardless of case, as IAM does', async () => {
    const findings = await scopeFindingsOf(
      putPolicyEvent('PutRolePolicy', { roleName: 'supportteam' }, 'Legacy'),
    )
    expect(findings.map((finding) => [finding.principalArn, finding.evidence.policyName])).toEqual([
      [arn('role', 'SupportTeam'), 'Legacy'],
    ])
  })

  it('reports a group inline policy on the group, not on its members or a same-named role policy', async () => {
    const findings = await scopeFindingsOf(
      putPolicyEvent('PutGroupPolicy', { groupName: 'Support' }, 'Legacy'),
    )
    expect(findings).toHaveLength(1)
    expect(findings[0]).toMatchObject({
      principalArn: arn('group', 'Support'),
      evidence: { policyType: 'inline', policyName: 'Legacy', principalType: 'group' },
    })
  })

  it('says nothing when the written policy grants on "*"', async () => {
    const event = wrapInEnvelope(
      buildRecord({
        eventName: 'PutRolePolicy',
        requestParameters: {
          roleName: 'SupportTeam',
          policyName: 'CaseAccess',
          policyDocument: JSON.stringify({
            Version: '2012-10-17',
            Statement: [{ Effect: 'Allow', Action: 'support:*', Resource: '*' }],
          }),
        },
      }),
    )
    expect(await scopeFindingsOf(event)).toEqual([])
  })
})
