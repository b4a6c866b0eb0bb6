import { describe, expect, it } from 'vitest'
import { allStatementsOf, compileAccount } from '#shared/evaluator/compile-account.ts'
import { evaluateAccount } from '#shared/evaluator/evaluate-account.ts'
import { evaluatePrincipals } from '#shared/evaluator/evaluate-principals.ts'
import { explainDecision } from '#shared/evaluator/explain.ts'
import { AUDIT_QUESTIONS } from '#shared/evaluator/questions.ts'
import { parseAccountSnapshot } from '#shared/snapshot/parse-snapshot.ts'
import { DEFAULT_SEED, generateAccount, SHAPE_MATRIX } from '#test-support/synthetic/synthetic-account.ts'

describe('an evaluation keeps only the statements about its services', () => {
  it.each(SHAPE_MATRIX.map((entry) => [entry.name, entry.shape] as const))(
    'decides and explains %s as the whole documents do',
    (_name, shape) => {
      const snapshot = parseAccountSnapshot(generateAccount({ seed: DEFAULT_SEED, principals: 300, shape }))
      const kept = evaluateAccount(snapshot)
      const whole = compileAccount(snapshot)
      const wholeCodes = evaluatePrincipals(whole, AUDIT_QUESTIONS).map((access) => [...access.codes])
      expect(kept.principals.map((access) => [...access.codes])).toEqual(wholeCodes)
      const statementsKept = kept.account.principals.reduce(
        (sum, principal) =>
          sum + principal.identity.reduce((n, policy) => n + (policy.parsed?.statements.length ?? 0), 0),
        0,
      )
      const statementsWhole = whole.principals.reduce(
        (sum, principal) =>
          sum + principal.identity.reduce((n, policy) => n + (policy.parsed?.statements.length ?? 0), 0),
        0,
      )
      expect(statementsKept).toBeLessThan(statementsWhole)
      AUDIT_QUESTIONS.questions.forEach((question, index) => {
        if (index % 7 !== 0) return
        kept.account.principals.forEach((principal, at) => {
          if (at % 10 !== 0) return
          const other = whole.principals[at]
          if (!other) throw new Error('the two compilations differ in principals')
          expect(explainDecision(principal, question, kept.account.scpLayers)).toEqual(
            explainDecision(other, question, whole.scpLayers),
          )
        })
      })
    },
  )
})

describe('documents that keep the same statements', () => {
  const ACCOUNT = '123456789012'
  const TRUST = {
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' },
    ],
  }
  const document = (statements: unknown[]) => ({ Version: '2012-10-17', Statement: statements })
  const s3 = (bucket: string) => ({
    Effect: 'Allow',
    Action: 's3:GetObject',
    Resource: `arn:aws:s3:::${bucket}/*`,
  })
  const support = { Sid: 'Cases', Effect: 'Allow', Action: 'support:*', Resource: '*' }
  const role = (name: string, statements: unknown[]) => ({
    RoleName: name,
    Arn: `arn:aws:iam::${ACCOUNT}:role/${name}`,
    AssumeRolePolicyDocument: TRUST,
    RolePolicyList: [{ PolicyName: 'inline', PolicyDocument: document(statements) }],
  })
  const snapshot = parseAccountSnapshot({
    AccountId: ACCOUNT,
    RoleDetailList: [
      role('a', [s3('a')]),
      role('b', [s3('b')]),
      role('c', [s3('c'), support]),
      role('d', [s3('d'), support]),
      role('e', [support, s3('e')]),
    ],
  })
  const inline = (account: ReturnType<typeof compileAccount>, name: string) => {
    const policy = account.byArn.get(`arn:aws:iam::${ACCOUNT}:role/${name}`)?.identity[0]
    if (!policy) throw new Error(`no inline policy on ${name}`)
    return policy
  }

  it('share one parsed document and one policy set when the statements they keep are equal, indexes included', () => {
    const { account } = evaluateAccount(snapshot)
    expect(inline(account, 'a').parsed).toBe(inline(account, 'b').parsed)
    expect(inline(account, 'c').parsed).toBe(inline(account, 'd').parsed)
    // The support statement is statement 0 of e's document, statement 1 of c's: the evidence differs.
    expect(inline(account, 'e').parsed).not.toBe(inline(account, 'c').parsed)
    const sets = new Set(account.principals.map((principal) => principal.policySet))
    expect(sets.size).toBe(3)
  })

  it('leave documents that keep nothing, the order and repeats out of the policy set', () => {
    const held = (name: string, documents: unknown[][]) => ({
      ...role(name, []),
      RolePolicyList: documents.map((statements, index) => ({
        PolicyName: `p${index}`,
        PolicyDocument: document(statements),
      })),
    })
    const grants = [support]
    const denies = [{ Effect: 'Deny', Action: 'support:ResolveCase', Resource: '*' }]
    const account = evaluateAccount(
      parseAccountSnapshot({
        AccountId: ACCOUNT,
        RoleDetailList: [
          held('one', [grants, [s3('x')], denies]),
          held('two', [denies, grants, grants]),
          held('three', [grants]),
        ],
      }),
    ).account
    const [one, two, three] = account.principals
    expect(one?.policySet).toBe(two?.policySet)
    expect(three?.policySet).not.toBe(one?.policySet)
  })

  it('are each parsed again whole, from their own document, for the checks that look at every service', () => {
    const { account } = evaluateAccount(snapshot)
    const whole = compileAccount(snapshot)
    for (const name of ['a', 'b', 'c', 'd', 'e'])
      expect(allStatementsOf(inline(account, name))).toEqual(inline(whole, name).parsed?.statements)
    expect(allStatementsOf(inline(whole, 'a'))).toBe(inline(whole, 'a').parsed?.statements)
    // Parsed again once per policy, however often the checks ask.
    expect(allStatementsOf(inline(account, 'c'))).toBe(allStatementsOf(inline(account, 'c')))
  })
})
