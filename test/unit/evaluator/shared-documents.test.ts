import { describe, expect, it } from 'vitest'
import { compileAccount } from '#shared/evaluator/compile-account.ts'
import { evaluateAccount } from '#shared/evaluator/evaluate-account.ts'
import { parseAccountSnapshot } from '#shared/snapshot/parse-snapshot.ts'

const ACCOUNT = '123456789012'
const SUPPORT = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 'support:*', Resource: '*' }],
}
const TRUST = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
}

function role(name: string, extra: Record<string, unknown> = {}) {
  return {
    RoleName: name,
    Arn: `arn:aws:iam::${ACCOUNT}:role/${name}`,
    AssumeRolePolicyDocument: TRUST,
    ...extra,
  }
}

function snapshot(roles: unknown[], policies: unknown[] = []) {
  return parseAccountSnapshot({ AccountId: ACCOUNT, RoleDetailList: roles, Policies: policies })
}

const decisionsOf = (snap: ReturnType<typeof snapshot>) =>
  Object.fromEntries(
    evaluateAccount(snap).principals.map((access) => [
      access.principalArn.split('/').pop(),
      access.decisions['support:CreateCase'],
    ]),
  )

describe('documents shared across principals', () => {
  it('parses equal inline and trust documents once, however they are spelled (object or JSON text)', () => {
    const account = compileAccount(
      snapshot([
        role('a', { RolePolicyList: [{ PolicyName: 'p', PolicyDocument: SUPPORT }] }),
        role('b', { RolePolicyList: [{ PolicyName: 'q', PolicyDocument: JSON.stringify(SUPPORT) }] }),
        role('c', {
          RolePolicyList: [{ PolicyName: 'p', PolicyDocument: { ...SUPPORT, Version: '2008-10-17' } }],
        }),
      ]),
    )
    const [a, b, c] = account.principals
    expect(a?.identity[0]?.parsed).toBeDefined()
    expect(b?.identity[0]?.parsed).toBe(a?.identity[0]?.parsed)
    expect(c?.identity[0]?.parsed).not.toBe(a?.identity[0]?.parsed)
    expect(b?.trust).toBe(a?.trust)
    // Each principal still names its own policy.
    expect(b?.identity[0]?.id).toBe(`arn:aws:iam::${ACCOUNT}:role/b#inline/q`)
  })

  it('keeps a trust document and an identity document of the same text apart', () => {
    const text = JSON.stringify(TRUST)
    const account = compileAccount(
      snapshot([
        role('a', {
          AssumeRolePolicyDocument: text,
          RolePolicyList: [{ PolicyName: 'p', PolicyDocument: text }],
        }),
      ]),
    )
    expect(account.principals[0]?.trust).toBeDefined()
    expect(account.principals[0]?.identity[0]?.parsed).toBeUndefined()
    expect(account.issues.map((issue) => issue.path)).toEqual(['Statement[0].Resource'])
  })

  it('gives each principal holding an unreadable document its own issue', () => {
    const broken = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'support:*' }] }
    const account = compileAccount(
      snapshot([
        role('a', { RolePolicyList: [{ PolicyName: 'p', PolicyDocument: broken }] }),
        role('b', { RolePolicyList: [{ PolicyName: 'p', PolicyDocument: broken }] }),
      ]),
    )
    expect(account.issues.map((issue) => issue.policy)).toEqual([
      `arn:aws:iam::${ACCOUNT}:role/a#inline/p`,
      `arn:aws:iam::${ACCOUNT}:role/b#inline/p`,
    ])
  })

  it('does not share a result between a principal without a boundary and one whose boundary cannot be read', () => {
    const inline = { RolePolicyList: [{ PolicyName: 'p', PolicyDocument: SUPPORT }] }
    const boundary = `arn:aws:iam::${ACCOUNT}:policy/Unreadable`
    const decisions = decisionsOf(
      snapshot(
        [
          role('free', inline),
          role('bounded', { ...inline, PermissionsBoundary: { PermissionsBoundaryArn: boundary } }),
          role('free-again', inline),
        ],
        [
          {
            PolicyName: 'Unreadable',
            Arn: boundary,
            DefaultVersionId: 'v1',
            PolicyVersionList: [{ VersionId: 'v1', IsDefaultVersion: true, Document: '{not json' }],
          },
        ],
      ),
    )
    expect(decisions).toEqual({ free: 'allow', bounded: 'deny', 'free-again': 'allow' })
  })

  it('does not share a result between a service-linked role and an ordinary role of the same policies', () => {
    const inline = { RolePolicyList: [{ PolicyName: 'p', PolicyDocument: SUPPORT }] }
    const scp = { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 'support:*', Resource: '*' }] }
    const snap = parseAccountSnapshot({
      AccountId: ACCOUNT,
      RoleDetailList: [
        role('ordinary', inline),
        {
          ...role('AWSServiceRoleForSupport', inline),
          Arn: `arn:aws:iam::${ACCOUNT}:role/aws-service-role/support.amazonaws.com/AWSServiceRoleForSupport`,
          Path: '/aws-service-role/support.amazonaws.com/',
        },
      ],
      ServiceControlPolicies: [
        {
          Name: 'all',
          Content: JSON.stringify({
            Version: '2012-10-17',
            Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
          }),
        },
        { Name: 'no-support', Content: JSON.stringify(scp) },
      ],
    })
    expect(decisionsOf(snap)).toEqual({ ordinary: 'deny', AWSServiceRoleForSupport: 'allow' })
  })
})
