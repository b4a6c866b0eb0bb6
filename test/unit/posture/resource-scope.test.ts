import { describe, expect, it } from 'vitest'
import { DEFAULT_CONFIG } from '#shared/config/guard-config.ts'
import { evaluateAccount } from '#shared/evaluator/evaluate-account.ts'
import { type FindingOf, makeFindingId } from '#shared/findings/finding.ts'
import { runPostureRules } from '#shared/posture/run-posture-rules.ts'
import { parseAccountSnapshot } from '#shared/snapshot/parse-snapshot.ts'

const ACCOUNT = '123456789012'
const RULE = 'SUPPORT_RESOURCE_SCOPE_INEFFECTIVE'
const arn = (kind: string, name: string) => `arn:aws:iam::${ACCOUNT}:${kind}/${name}`
const CASE_ARN = `arn:aws:support::${ACCOUNT}:case/*`
const SCOPED_POLICY = arn('policy', 'SupportCasesScoped')

const trust = {
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'sts:AssumeRole' },
  ],
}
/** One statement scoped to a case ARN (ineffective), one on `*` (fine). */
const scoped = (action: string) => ({
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Action: 'support:DescribeSeverityLevels', Resource: '*' },
    { Sid: 'Cases', Effect: 'Allow', Action: action, Resource: CASE_ARN },
  ],
})
const effective = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 'support:*', Resource: '*' }],
}

function scopeFindings(input: unknown): FindingOf<typeof RULE>[] {
  const findings = runPostureRules(evaluateAccount(parseAccountSnapshot(input)), DEFAULT_CONFIG)
  return findings.filter((finding) => finding.rule === RULE)
}

const exportWith = (extra: {
  users?: unknown[]
  groups?: unknown[]
  roles?: unknown[]
  policies?: unknown[]
}) => ({
  AccountId: ACCOUNT,
  UserDetailList: extra.users ?? [],
  GroupDetailList: extra.groups ?? [],
  RoleDetailList: extra.roles ?? [],
  Policies: extra.policies ?? [],
})

describe('SUPPORT_RESOURCE_SCOPE_INEFFECTIVE names the policy, never a synthetic ARN', () => {
  it.each([
    {
      kind: 'user',
      input: exportWith({
        users: [
          {
            UserName: 'dev',
            Arn: arn('user', 'dev'),
            UserPolicyList: [{ PolicyName: 'CaseAccess', PolicyDocument: scoped('support:DescribeCases') }],
          },
        ],
      }),
      principalArn: arn('user', 'dev'),
    },
    {
      kind: 'role',
      input: exportWith({
        roles: [
          {
            RoleName: 'SupportTeam',
            Arn: arn('role', 'SupportTeam'),
            AssumeRolePolicyDocument: trust,
            RolePolicyList: [{ PolicyName: 'CaseAccess', PolicyDocument: scoped('support:DescribeCases') }],
          },
        ],
      }),
      principalArn: arn('role', 'SupportTeam'),
    },
    {
      kind: 'group',
      input: exportWith({
        users: ['ann', 'ben'].map((name) => ({
          UserName: name,
          Arn: arn('user', name),
          GroupList: ['Support'],
        })),
        groups: [
          {
            GroupName: 'Support',
            Arn: arn('group', 'Support'),
            GroupPolicyList: [{ PolicyName: 'CaseAccess', PolicyDocument: scoped('support:DescribeCases') }],
          },
        ],
      }),
      // The group's inline policy is fixed on the group: one finding there, not one per member.
      principalArn: arn('group', 'Support'),
    },
  ])('reports an inline policy of a $kind on the ARN of that $kind', ({ kind, input, principalArn }) => {
    const findings = scopeFindings(input)
    expect(findings).toHaveLength(1)
    expect(findings[0]).toMatchObject({
      principalArn,
      severity: 'low',
      evidence: {
        policyType: 'inline',
        policyName: 'CaseAccess',
        principalType: kind,
        statementIndex: 1,
        effect: 'Allow',
        actions: ['support:DescribeCases'],
        resource: { negated: false, values: [CASE_ARN] },
      },
    })
    const owner = principalArn.slice(principalArn.lastIndexOf('/') + 1)
    expect(findings[0]?.title).toContain(`inline policy CaseAccess of ${kind} ${owner} `)
    expect(findings[0]?.principalArn).not.toContain('#')
  })

  it('gives two inline policies of one role two findings with distinct, stable IDs', () => {
    const input = exportWith({
      roles: [
        {
          RoleName: 'SupportTeam',
          Arn: arn('role', 'SupportTeam'),
          AssumeRolePolicyDocument: trust,
          RolePolicyList: [
            { PolicyName: 'CaseRead', PolicyDocument: scoped('support:DescribeCases') },
            { PolicyName: 'CaseWrite', PolicyDocument: scoped('support:ResolveCase') },
            { PolicyName: 'Everything', PolicyDocument: effective },
          ],
        },
      ],
    })
    const findings = scopeFindings(input)
    expect(findings.map((finding) => [finding.principalArn, finding.evidence.policyName])).toEqual([
      [arn('role', 'SupportTeam'), 'CaseRead'],
      [arn('role', 'SupportTeam'), 'CaseWrite'],
    ])
    const ids = findings.map((finding) => finding.id)
    expect(new Set(ids).size).toBe(2)
    expect(scopeFindings(input).map((finding) => finding.id)).toEqual(ids)
  })

  it('reports a managed policy once on its own ARN, whoever holds it, under the ID it always had', () => {
    const attached = [{ PolicyName: 'SupportCasesScoped', PolicyArn: SCOPED_POLICY }]
    const input = exportWith({
      users: [{ UserName: 'dev', Arn: arn('user', 'dev'), AttachedManagedPolicies: attached }],
      roles: [
        {
          RoleName: 'SupportTeam',
          Arn: arn('role', 'SupportTeam'),
          AssumeRolePolicyDocument: trust,
          AttachedManagedPolicies: attached,
          PermissionsBoundary: { PermissionsBoundaryArn: SCOPED_POLICY },
        },
      ],
      policies: [
        {
          PolicyName: 'SupportCasesScoped',
          Arn: SCOPED_POLICY,
          DefaultVersionId: 'v1',
          PolicyVersionList: [{ VersionId: 'v1', IsDefaultVersion: true, Document: scoped('support:*') }],
        },
      ],
    })
    const findings = scopeFindings(input)
    expect(findings).toHaveLength(1)
    expect(findings[0]).toMatchObject({
      id: makeFindingId(ACCOUNT, RULE, SCOPED_POLICY, '1'),
      principalArn: SCOPED_POLICY,
      evidence: { policyType: 'managed', policyArn: SCOPED_POLICY, policyName: 'SupportCasesScoped' },
    })
    expect(findings[0]?.title).toContain('managed policy SupportCasesScoped')
  })

  it('says nothing of statements on "*", of a NotAction, or of a role without support actions', () => {
    const input = exportWith({
      roles: [
        {
          RoleName: 'Fine',
          Arn: arn('role', 'Fine'),
          AssumeRolePolicyDocument: trust,
          RolePolicyList: [
            { PolicyName: 'Everything', PolicyDocument: effective },
            {
              PolicyName: 'NotSupport',
              PolicyDocument: {
                Version: '2012-10-17',
                Statement: [{ Effect: 'Allow', NotAction: 'support:*', Resource: CASE_ARN }],
              },
            },
            {
              PolicyName: 'Buckets',
              PolicyDocument: {
                Version: '2012-10-17',
                Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' }],
              },
            },
          ],
        },
      ],
    })
    expect(scopeFindings(input)).toEqual([])
  })
})
