import { describe, expect, it } from 'vitest'
import { DEFAULT_CONFIG } from '#shared/config/guard-config.ts'
import { evaluateAccount } from '#shared/evaluator/evaluate-account.ts'
import { ANY_ACCOUNT, externalRolesFor, findCrossAccountSupportRoles } from '#shared/posture/cross-account.ts'
import { parseAccountSnapshot } from '#shared/snapshot/parse-snapshot.ts'

const B = '222200002222'
const doc = (...Statement: object[]) => ({ Version: '2012-10-17', Statement })
const SUPPORT = [
  { PolicyName: 'support', PolicyDocument: doc({ Effect: 'Allow', Action: 'support:*', Resource: '*' }) },
]
const role = (name: string, principal: object, extra: object = {}) => ({
  RoleName: name,
  Arn: `arn:aws:iam::${B}:role/${name}`,
  AssumeRolePolicyDocument: doc({
    Effect: 'Allow',
    Principal: principal,
    Action: 'sts:AssumeRole',
    ...extra,
  }),
  RolePolicyList: SUPPORT,
})

function found() {
  const snapshot = parseAccountSnapshot({
    AccountId: B,
    RoleDetailList: [
      role('ByRoot', { AWS: 'arn:aws:iam::111100001111:root' }),
      role('ById', { AWS: '333300003333' }),
      role('ByUser', {
        AWS: ['arn:aws:iam::111100001111:user/alice', 'arn:aws:iam::111100001111:user/carol'],
      }),
      role('ByOrg', { AWS: '*' }, { Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-abc123def4' } } }),
      role('Local', { AWS: `arn:aws:iam::${B}:root` }),
      { ...role('NoSupport', { AWS: 'arn:aws:iam::111100001111:root' }), RolePolicyList: [] },
    ],
  })
  return findCrossAccountSupportRoles(evaluateAccount(snapshot), DEFAULT_CONFIG)
}

const arn = (name: string) => `arn:aws:iam::${B}:role/${name}`

describe('findCrossAccountSupportRoles', () => {
  it('keys the support roles by the account they let in: its root or ID, its principals, or any account', () => {
    const byAccount = found()
    expect(byAccount.get('111100001111')).toEqual([
      { arn: arn('ByRoot'), trustsAccount: true, principals: [] },
      {
        arn: arn('ByUser'),
        trustsAccount: false,
        principals: ['arn:aws:iam::111100001111:user/alice', 'arn:aws:iam::111100001111:user/carol'],
      },
    ])
    expect(byAccount.get('333300003333')).toEqual([{ arn: arn('ById'), trustsAccount: true, principals: [] }])
    expect(byAccount.get(ANY_ACCOUNT)).toEqual([{ arn: arn('ByOrg'), trustsAccount: true, principals: [] }])
    expect([...byAccount.keys()].sort()).toEqual(['*', '111100001111', '333300003333'])
  })

  it('gives an account the roles naming it and those letting in any account, but never its own', () => {
    const byAccount = found()
    expect(externalRolesFor(byAccount, '111100001111').map((entry) => entry.arn)).toEqual([
      arn('ByRoot'),
      arn('ByUser'),
      arn('ByOrg'),
    ])
    expect(externalRolesFor(byAccount, B)).toEqual([])
    const twice = new Map([
      ['111100001111', [{ arn: arn('X'), trustsAccount: false, principals: ['p'] }]],
      [ANY_ACCOUNT, [{ arn: arn('X'), trustsAccount: true, principals: [] }]],
    ])
    expect(externalRolesFor(twice, '111100001111')).toEqual([
      { arn: arn('X'), trustsAccount: true, principals: ['p'] },
    ])
  })
})
