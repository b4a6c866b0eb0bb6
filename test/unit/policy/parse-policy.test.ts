import { describe, expect, it } from 'vitest'
import { parsePolicyDocument } from '#shared/policy/parse-policy.ts'
import type { ParsedPolicy, PolicyKind } from '#shared/policy/types.ts'

const V = '2012-10-17'
const allowSupport = { Effect: 'Allow', Action: 'support:*', Resource: '*' }
const trustAccount = {
  Effect: 'Allow',
  Principal: { AWS: 'arn:aws:iam::123456789012:root' },
  Action: 'sts:AssumeRole',
}

function parseOk(input: unknown, kind: PolicyKind = 'identity'): ParsedPolicy {
  const result = parsePolicyDocument(input, 'test-policy', kind)
  if (!result.ok) throw new Error(`expected ok, got ${JSON.stringify(result.issue)}`)
  return result.policy
}

const anyPrincipal = { negated: false, any: true, aws: [], service: [], federated: [], canonicalUser: [] }

describe('parsePolicyDocument: identity policy shapes', () => {
  it.each([
    {
      name: 'Statement as one object',
      input: { Version: V, Statement: allowSupport },
      expected: {
        count: 1,
        action: ['support:*'],
        negatedAction: false,
        resource: ['*'],
        negatedResource: false,
      },
    },
    {
      name: 'Statement as an array',
      input: {
        Version: V,
        Statement: [allowSupport, { ...allowSupport, Effect: 'Deny', Action: 'support:ResolveCase' }],
      },
      expected: {
        count: 2,
        action: ['support:*'],
        negatedAction: false,
        resource: ['*'],
        negatedResource: false,
      },
    },
    {
      name: 'Action as an array',
      input: {
        Statement: [
          { Effect: 'Allow', Action: ['support:CreateCase', 'support:Describe*'], Resource: ['*'] },
        ],
      },
      expected: {
        count: 1,
        action: ['support:CreateCase', 'support:Describe*'],
        negatedAction: false,
        resource: ['*'],
        negatedResource: false,
      },
    },
    {
      name: 'NotAction',
      input: { Version: V, Statement: { Effect: 'Allow', NotAction: ['iam:*'], Resource: '*' } },
      expected: { count: 1, action: ['iam:*'], negatedAction: true, resource: ['*'], negatedResource: false },
    },
    {
      name: 'NotResource',
      input: {
        Version: V,
        Statement: { Effect: 'Deny', Action: 'support:*', NotResource: 'arn:aws:s3:::logs/*' },
      },
      expected: {
        count: 1,
        action: ['support:*'],
        negatedAction: false,
        resource: ['arn:aws:s3:::logs/*'],
        negatedResource: true,
      },
    },
    {
      name: 'the 2008-10-17 language version',
      input: { Version: '2008-10-17', Statement: allowSupport },
      expected: {
        count: 1,
        action: ['support:*'],
        negatedAction: false,
        resource: ['*'],
        negatedResource: false,
      },
    },
    {
      name: 'a URL-encoded document',
      input: encodeURIComponent(JSON.stringify({ Version: V, Statement: [allowSupport] }, null, 2)),
      expected: {
        count: 1,
        action: ['support:*'],
        negatedAction: false,
        resource: ['*'],
        negatedResource: false,
      },
    },
    {
      name: 'a JSON string',
      input: JSON.stringify({ Version: V, Statement: [allowSupport] }),
      expected: {
        count: 1,
        action: ['support:*'],
        negatedAction: false,
        resource: ['*'],
        negatedResource: false,
      },
    },
  ])('reads $name', ({ input, expected }) => {
    const policy = parseOk(input)
    expect(policy.statements).toHaveLength(expected.count)
    const first = policy.statements[0]
    expect(first?.index).toBe(0)
    expect(first?.action).toEqual({ negated: expected.negatedAction, values: expected.action })
    expect(first?.resource).toEqual({ negated: expected.negatedResource, values: expected.resource })
    expect(first?.principal).toBeUndefined()
    expect(policy.statements.map((statement) => statement.index)).toEqual(
      policy.statements.map((_, index) => index),
    )
  })

  it('keeps the version, the Sid and the effect', () => {
    const policy = parseOk({ Version: V, Statement: [{ Sid: 'Cases', ...allowSupport, Effect: 'Deny' }] })
    expect(policy.version).toBe(V)
    expect(policy.statements[0]).toMatchObject({ sid: 'Cases', effect: 'Deny' })
    expect(parseOk({ Statement: allowSupport }).version).toBeUndefined()
  })

  it('keeps a + inside an encoded value and reads %20 as a space', () => {
    const document = {
      Statement: {
        ...allowSupport,
        Condition: { StringEquals: { 'aws:PrincipalTag/team': 'ops+support desk' } },
      },
    }
    const policy = parseOk(encodeURIComponent(JSON.stringify(document)).replace('%2B', '+'))
    expect(policy.statements[0]?.conditions[0]?.values).toEqual(['ops+support desk'])
  })

  it.each([
    {
      name: 'a string value',
      condition: { StringEquals: { 'iam:AWSServiceName': 'servicequotas.amazonaws.com' } },
      expected: {
        operator: 'StringEquals',
        baseOperator: 'StringEquals',
        ifExists: false,
        values: ['servicequotas.amazonaws.com'],
      },
    },
    {
      name: 'a boolean value',
      condition: { Bool: { 'aws:MultiFactorAuthPresent': true } },
      expected: { operator: 'Bool', baseOperator: 'Bool', ifExists: false, values: ['true'] },
    },
    {
      name: 'a number value',
      condition: { NumericLessThan: { 'aws:MultiFactorAuthAge': 3600 } },
      expected: {
        operator: 'NumericLessThan',
        baseOperator: 'NumericLessThan',
        ifExists: false,
        values: ['3600'],
      },
    },
    {
      name: 'a list of mixed values',
      condition: { StringLike: { 'aws:userid': ['AIDA*', 7, false] } },
      expected: {
        operator: 'StringLike',
        baseOperator: 'StringLike',
        ifExists: false,
        values: ['AIDA*', '7', 'false'],
      },
    },
    {
      name: 'a set qualifier and IfExists',
      condition: { 'ForAnyValue:StringLikeIfExists': { 'aws:TagKeys': ['team'] } },
      expected: {
        operator: 'ForAnyValue:StringLikeIfExists',
        baseOperator: 'StringLike',
        ifExists: true,
        qualifier: 'ForAnyValue',
        values: ['team'],
      },
    },
  ])('reads a Condition with $name', ({ condition, expected }) => {
    const policy = parseOk({ Statement: { ...allowSupport, Condition: condition } })
    const key = Object.keys(Object.values(condition)[0] ?? {})[0]
    expect(policy.statements[0]?.conditions).toEqual([{ key, ...expected }])
  })

  it('reads one clause per key and operator', () => {
    const policy = parseOk({
      Statement: {
        ...allowSupport,
        Condition: { StringEquals: { 'aws:a': 'x', 'aws:b': 'y' }, Bool: { 'aws:SecureTransport': 'true' } },
      },
    })
    expect(policy.statements[0]?.conditions.map((clause) => `${clause.operator} ${clause.key}`)).toEqual([
      'StringEquals aws:a',
      'StringEquals aws:b',
      'Bool aws:SecureTransport',
    ])
  })
})

describe('parsePolicyDocument: trust policy principals', () => {
  it.each([
    { name: '"*"', principal: '*', expected: anyPrincipal },
    { name: '{"AWS": "*"}', principal: { AWS: '*' }, expected: anyPrincipal },
    {
      name: 'an account and "*" in AWS',
      principal: { AWS: ['arn:aws:iam::999988887777:root', '*'] },
      expected: { ...anyPrincipal, aws: ['arn:aws:iam::999988887777:root'] },
    },
    {
      name: 'a service',
      principal: { Service: 'supportapp.amazonaws.com' },
      expected: { ...anyPrincipal, any: false, service: ['supportapp.amazonaws.com'] },
    },
    {
      name: 'services as a list',
      principal: { Service: ['supportapp.amazonaws.com', 'lambda.amazonaws.com'] },
      expected: {
        ...anyPrincipal,
        any: false,
        service: ['supportapp.amazonaws.com', 'lambda.amazonaws.com'],
      },
    },
    {
      name: 'a federated provider',
      principal: { Federated: 'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com' },
      expected: {
        ...anyPrincipal,
        any: false,
        federated: ['arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com'],
      },
    },
    {
      name: 'a canonical user',
      principal: { CanonicalUser: '79a59df900b949e55d96a1e698fbaced' },
      expected: { ...anyPrincipal, any: false, canonicalUser: ['79a59df900b949e55d96a1e698fbaced'] },
    },
  ])('reads Principal $name', ({ principal, expected }) => {
    const policy = parseOk({ Version: V, Statement: { ...trustAccount, Principal: principal } }, 'trust')
    expect(policy.statements[0]?.principal).toEqual(expected)
    expect(policy.statements[0]?.resource).toBeUndefined()
  })

  it('reads NotPrincipal as a negated principal', () => {
    const policy = parseOk(
      { Statement: { Effect: 'Deny', NotPrincipal: { AWS: 'arn:aws:iam::123456789012:root' }, Action: '*' } },
      'trust',
    )
    expect(policy.statements[0]?.principal).toMatchObject({
      negated: true,
      aws: ['arn:aws:iam::123456789012:root'],
    })
  })
})
