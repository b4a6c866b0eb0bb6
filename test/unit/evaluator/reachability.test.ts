import { describe, expect, it } from 'vitest'
import { type CompiledPrincipal, compileAccount } from '#shared/evaluator/compile-account.ts'
import { DECISION_DENY } from '#shared/evaluator/decision.ts'
import { evaluateAccount } from '#shared/evaluator/evaluate-account.ts'
import { buildQuestionSet } from '#shared/evaluator/questions.ts'
import { createRoleReachability } from '#shared/evaluator/reachability.ts'
import { analyzeTrust } from '#shared/evaluator/trust.ts'
import { parseAccountSnapshot } from '#shared/snapshot/parse-snapshot.ts'
import { createRandom } from '#test-support/synthetic/prng.ts'
import { generateAccount } from '#test-support/synthetic/synthetic-account.ts'

const ACCOUNT = '123456789012'

/**
 * The definition, one pair at a time: a principal reaches a role when the role trusts it or
 * the account root and the principal's identity policies (and boundary) do not deny
 * `sts:AssumeRole` on the role's ARN, asked of the general evaluator with the ARN as resource.
 */
function oracle(snapshot: ReturnType<typeof parseAccountSnapshot>, roles: readonly CompiledPrincipal[]) {
  const questions = buildQuestionSet(
    roles.map((role) => ({ action: 'sts:AssumeRole', variant: role.arn, resource: role.arn })),
  )
  const evaluation = evaluateAccount(snapshot, questions)
  return (principal: CompiledPrincipal) => {
    const access = evaluation.principals.find((entry) => entry.principalArn === principal.arn)
    const reached = roles.filter((role, index) => {
      if (role.arn === principal.arn || principal.serviceLinked || !role.trust) return false
      const grants = analyzeTrust(role.trust, snapshot.accountId)
      const trusted = grants.some(
        (grant) =>
          grant.kind === 'account-root' ||
          (grant.kind === 'same-account-principal' && grant.principal === principal.arn),
      )
      return trusted && access?.codes[index] !== DECISION_DENY
    })
    return reached.map((role) => role.arn)
  }
}

describe('createRoleReachability', () => {
  it.each([3, 17, 41])('agrees with the pair-by-pair definition on synthetic account %i', (seed) => {
    const snapshot = parseAccountSnapshot(generateAccount({ seed, principals: 250 }))
    const account = compileAccount(snapshot)
    const random = createRandom(seed)
    const roles = account.principals.filter((principal) => principal.type === 'role' && random.chance(0.3))
    const reach = createRoleReachability(account, roles)
    const expected = oracle(snapshot, roles)
    let reaching = 0
    for (const principal of account.principals) {
      const want = expected(principal)
      const got = reach.reachableFrom(principal, 5)
      expect({ arn: principal.arn, count: got.count, roles: got.roles }).toEqual({
        arn: principal.arn,
        count: want.length,
        roles: want.slice(0, 5),
      })
      if (want.length > 0) reaching++
    }
    expect(reaching).toBeGreaterThan(10)
  })

  const trustRoot = {
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'sts:AssumeRole' },
    ],
  }
  const trustUser = (name: string) => ({
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${ACCOUNT}:user/${name}` },
        Action: 'sts:AssumeRole',
      },
    ],
  })
  const assume = (resource: string | string[]) => ({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: resource }],
  })
  const role = (name: string, trust: unknown) => ({
    RoleName: name,
    Arn: `arn:aws:iam::${ACCOUNT}:role/${name}`,
    AssumeRolePolicyDocument: trust,
  })
  const user = (name: string, policy: unknown) => ({
    UserName: name,
    Arn: `arn:aws:iam::${ACCOUNT}:user/${name}`,
    UserPolicyList: [{ PolicyName: 'assume', PolicyDocument: policy }],
  })

  it('keeps principals with the same policies apart where the roles name them, and lists roles in their order', () => {
    const snapshot = parseAccountSnapshot({
      AccountId: ACCOUNT,
      RoleDetailList: [
        role('root-a', trustRoot),
        role('named-alice', trustUser('alice')),
        role('root-b', trustRoot),
        role('named-bob', trustUser('bob')),
      ],
      UserDetailList: [user('alice', assume('*')), user('bob', assume('*')), user('carol', assume('*'))],
    })
    const account = compileAccount(snapshot)
    const reach = createRoleReachability(
      account,
      account.principals.filter((p) => p.type === 'role'),
    )
    const of = (name: string) => {
      const principal = account.principals.find((p) => p.arn.endsWith(`/${name}`))
      if (!principal) throw new Error(name)
      return reach.reachableFrom(principal).roles.map((arn) => arn.split('/').pop())
    }
    expect(of('alice')).toEqual(['root-a', 'named-alice', 'root-b'])
    expect(of('bob')).toEqual(['root-a', 'root-b', 'named-bob'])
    expect(of('carol')).toEqual(['root-a', 'root-b'])
  })

  it('checks a resource-scoped allow against each role ARN, and never counts a role reaching itself', () => {
    const snapshot = parseAccountSnapshot({
      AccountId: ACCOUNT,
      RoleDetailList: [
        { ...role('ops-1', trustRoot), RolePolicyList: [{ PolicyName: 'p', PolicyDocument: assume('*') }] },
        role('ops-2', trustRoot),
        role('db-1', trustRoot),
      ],
      UserDetailList: [
        user('dana', assume(`arn:aws:iam::${ACCOUNT}:role/ops-*`)),
        user('erin', {
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' },
            { Effect: 'Deny', Action: 'sts:*', Resource: '*' },
          ],
        }),
      ],
    })
    const account = compileAccount(snapshot)
    const reach = createRoleReachability(
      account,
      account.principals.filter((p) => p.type === 'role'),
    )
    const find = (name: string) =>
      account.principals.find((p) => p.arn.endsWith(`/${name}`)) as CompiledPrincipal
    expect(reach.reachableFrom(find('dana')).count).toBe(2)
    expect(reach.reachableFrom(find('erin'))).toEqual({ count: 0, roles: [] })
    expect(reach.reachableFrom(find('ops-1'))).toEqual({
      count: 2,
      roles: [`arn:aws:iam::${ACCOUNT}:role/ops-2`, `arn:aws:iam::${ACCOUNT}:role/db-1`],
    })
  })
})
