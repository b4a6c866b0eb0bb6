import { describe, expect, it } from 'vitest'
import { DEFAULT_CONFIG } from '#shared/config/guard-config.ts'
import { evaluateAccount } from '#shared/evaluator/evaluate-account.ts'
import { runPostureRules } from '#shared/posture/run-posture-rules.ts'
import { parseAccountSnapshot } from '#shared/snapshot/parse-snapshot.ts'

const ACCOUNT = '123456789012'

function role(name: string, path = '/', service = 'ec2.amazonaws.com') {
  return {
    RoleName: name,
    Path: path,
    Arn: `arn:aws:iam::${ACCOUNT}:role${path}${name}`,
    AssumeRolePolicyDocument: {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' }],
    },
  }
}

function slrMissing(roles: unknown[]) {
  const snapshot = parseAccountSnapshot({ AccountId: ACCOUNT, RoleDetailList: roles })
  return runPostureRules(evaluateAccount(snapshot), DEFAULT_CONFIG).filter(
    (finding) => finding.rule === 'SLR_MISSING',
  )
}

describe('SLR_MISSING for AWSServiceRoleForSupport', () => {
  it('is high when the export has other service-linked roles but not this one', () => {
    const [finding] = slrMissing([
      role('app'),
      role(
        'AWSServiceRoleForTrustedAdvisor',
        '/aws-service-role/trustedadvisor.amazonaws.com/',
        'trustedadvisor.amazonaws.com',
      ),
    ])
    expect(finding).toMatchObject({ severity: 'high', evidence: { exportHasServiceLinkedRoles: true } })
  })

  it('is info, and says the export was filtered, when the export has no service-linked role at all', () => {
    const [finding] = slrMissing([role('app')])
    expect(finding?.severity).toBe('info')
    expect(finding?.title).toMatch(/no service-linked role/)
    expect(finding?.evidence).toMatchObject({ exportHasServiceLinkedRoles: false })
  })

  it('is absent when the role is there', () => {
    expect(
      slrMissing([
        role('AWSServiceRoleForSupport', '/aws-service-role/support.amazonaws.com/', 'support.amazonaws.com'),
      ]),
    ).toEqual([])
  })
})
