import { describe, expect, it } from 'vitest'
import { parseGuardConfig } from '#shared/config/guard-config.ts'
import { evaluateAccount } from '#shared/evaluator/evaluate-account.ts'
import { runPostureRules } from '#shared/posture/run-posture-rules.ts'
import { parseAccountSnapshot } from '#shared/snapshot/parse-snapshot.ts'

// What AWSSupportAccess grants: a required principal needs the Support Center console actions too.
const SUPPORT = { Effect: 'Allow', Action: ['support:*', 'support-console:*'], Resource: '*' }
const config = parseGuardConfig({ supportPrincipals: { required: ['arn:aws:iam::*:role/SupportTeam'] } })

function rulesFor(statements: unknown[]) {
  const snapshot = parseAccountSnapshot({
    AccountId: '123456789012',
    RoleDetailList: [
      {
        RoleName: 'SupportTeam',
        Arn: 'arn:aws:iam::123456789012:role/SupportTeam',
        AssumeRolePolicyDocument: {
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: { AWS: 'arn:aws:iam::123456789012:root' },
              Action: 'sts:AssumeRole',
            },
          ],
        },
        RolePolicyList: [
          { PolicyName: 'support', PolicyDocument: { Version: '2012-10-17', Statement: statements } },
        ],
      },
      {
        RoleName: 'AWSServiceRoleForSupport',
        Arn: 'arn:aws:iam::123456789012:role/aws-service-role/support.amazonaws.com/AWSServiceRoleForSupport',
        Path: '/aws-service-role/support.amazonaws.com/',
        AssumeRolePolicyDocument: {
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Principal: { Service: 'support.amazonaws.com' }, Action: 'sts:AssumeRole' },
          ],
        },
      },
    ],
  })
  return runPostureRules(evaluateAccount(snapshot), config).map((finding) => finding.rule)
}

describe('required support access', () => {
  it('is lost when a required action is denied', () => {
    const rules = rulesFor([SUPPORT, { Effect: 'Deny', Action: 'support:ResolveCase', Resource: '*' }])
    expect(rules).toContain('SUPPORT_ACCESS_LOST')
  })

  it('is kept when it only rests on a condition, so an MFA hardening is never reverted', () => {
    const requireMfa = {
      Effect: 'Deny',
      Action: 'support:*',
      Resource: '*',
      Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } },
    }
    const rules = rulesFor([SUPPORT, requireMfa])
    expect(rules).not.toContain('SUPPORT_ACCESS_LOST')
    expect(rules).not.toContain('NO_SUPPORT_ROLE')
  })

  it('counts no support role when every required action is denied to everyone', () => {
    expect(rulesFor([{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }])).toEqual(
      expect.arrayContaining(['NO_SUPPORT_ROLE', 'SUPPORT_ACCESS_LOST']),
    )
  })
})
