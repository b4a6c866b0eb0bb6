import { describe, expect, it } from 'vitest'
import { parsePolicyDocument } from '#shared/policy/parse-policy.ts'

const V = '2012-10-17'
const allowSupport = { Effect: 'Allow', Action: 'support:*', Resource: '*' }
const trustAccount = {
  Effect: 'Allow',
  Principal: { AWS: 'arn:aws:iam::123456789012:root' },
  Action: 'sts:AssumeRole',
}

describe('parsePolicyDocument: malformed documents', () => {
  const statement = (fields: Record<string, unknown>) => ({ Version: V, Statement: [fields] })

  it.each([
    { name: 'not JSON', input: 'Allow support', path: '', message: /not valid JSON/ },
    { name: 'encoded text that is not JSON', input: '%7B%22Statement', path: '', message: /URL-decoded/ },
    { name: 'an array', input: [allowSupport], path: '', message: /JSON object/ },
    { name: 'null', input: null, path: '', message: /JSON object/ },
    { name: 'JSON text of a number', input: '42', path: '', message: /JSON object/ },
    {
      name: 'an unknown Version',
      input: { Version: '2012-10-18', Statement: allowSupport },
      path: 'Version',
      message: /2012-10-17/,
    },
    {
      name: 'a numeric Version',
      input: { Version: 2012, Statement: allowSupport },
      path: 'Version',
      message: /2012/,
    },
    { name: 'no Statement', input: { Version: V }, path: 'Statement', message: /missing/ },
    {
      name: 'an empty Statement list',
      input: { Version: V, Statement: [] },
      path: 'Statement',
      message: /empty/,
    },
    {
      name: 'a statement that is a number',
      input: { Statement: [allowSupport, 5] },
      path: 'Statement[1]',
      message: /object/,
    },
    {
      name: 'a single statement that is a string',
      input: { Statement: 'allow' },
      path: 'Statement',
      message: /object/,
    },
    {
      name: 'no Effect',
      input: statement({ Action: 'support:*', Resource: '*' }),
      path: 'Statement[0].Effect',
      message: /missing/,
    },
    {
      name: 'a lower-case Effect',
      input: { Statement: { ...allowSupport, Effect: 'allow' } },
      path: 'Statement.Effect',
      message: /"Allow" or "Deny"/,
    },
    {
      name: 'no Action',
      input: statement({ Effect: 'Allow', Resource: '*' }),
      path: 'Statement[0].Action',
      message: /Action or NotAction/,
    },
    {
      name: 'Action and NotAction',
      input: statement({ ...allowSupport, NotAction: 'iam:*' }),
      path: 'Statement[0].NotAction',
      message: /combined/,
    },
    {
      name: 'an empty Action list',
      input: statement({ ...allowSupport, Action: [] }),
      path: 'Statement[0].Action',
      message: /empty/,
    },
    {
      name: 'an empty Action string',
      input: statement({ ...allowSupport, Action: '' }),
      path: 'Statement[0].Action',
      message: /non-empty string/,
    },
    {
      name: 'a number in Action',
      input: statement({ ...allowSupport, Action: ['support:*', 3] }),
      path: 'Statement[0].Action[1]',
      message: /non-empty string/,
    },
    {
      name: 'an object as NotAction',
      input: statement({ Effect: 'Allow', NotAction: { a: 1 }, Resource: '*' }),
      path: 'Statement[0].NotAction',
      message: /non-empty string/,
    },
    {
      name: 'no Resource',
      input: statement({ Effect: 'Allow', Action: 'support:*' }),
      path: 'Statement[0].Resource',
      message: /Resource or NotResource/,
    },
    {
      name: 'Resource and NotResource',
      input: statement({ ...allowSupport, NotResource: '*' }),
      path: 'Statement[0].NotResource',
      message: /combined/,
    },
    {
      name: 'null in Resource',
      input: statement({ ...allowSupport, Resource: ['*', null] }),
      path: 'Statement[0].Resource[1]',
      message: /non-empty string/,
    },
    {
      name: 'a Principal',
      input: statement({ ...allowSupport, Principal: '*' }),
      path: 'Statement[0].Principal',
      message: /identity policy/,
    },
    {
      name: 'a numeric Sid',
      input: statement({ ...allowSupport, Sid: 1 }),
      path: 'Statement[0].Sid',
      message: /string/,
    },
    {
      name: 'a Condition that is a string',
      input: statement({ ...allowSupport, Condition: 'MFA' }),
      path: 'Statement[0].Condition',
      message: /operators/,
    },
    {
      name: 'an unknown condition operator',
      input: statement({ ...allowSupport, Condition: { 'String-Equals': { 'aws:a': 'x' } } }),
      path: 'Statement[0].Condition.String-Equals',
      message: /not a condition operator/,
    },
    {
      name: 'an operator without keys',
      input: statement({ ...allowSupport, Condition: { StringEquals: 'x' } }),
      path: 'Statement[0].Condition.StringEquals',
      message: /condition keys/,
    },
    {
      name: 'an object as condition value',
      input: statement({ ...allowSupport, Condition: { StringEquals: { 'aws:a': ['x', { y: 1 }] } } }),
      path: 'Statement[0].Condition.StringEquals.aws:a[1]',
      message: /string, number or boolean/,
    },
    {
      name: 'null as condition value',
      input: statement({ ...allowSupport, Condition: { Bool: { 'aws:SecureTransport': null } } }),
      path: 'Statement[0].Condition.Bool.aws:SecureTransport[0]',
      message: /string, number or boolean/,
    },
  ])('identity policy with $name: issue at "$path"', ({ input, path, message }) => {
    const result = parsePolicyDocument(input, 'arn:aws:iam::123456789012:policy/Broken', 'identity')
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(result.issue.policy).toBe('arn:aws:iam::123456789012:policy/Broken')
    expect(result.issue.path).toBe(path)
    expect(result.issue.message).toMatch(message)
  })

  it.each([
    {
      name: 'no Principal',
      input: { Statement: { Effect: 'Allow', Action: 'sts:AssumeRole' } },
      path: 'Statement.Principal',
    },
    {
      name: 'a numeric Principal',
      input: { Statement: { ...trustAccount, Principal: 5 } },
      path: 'Statement.Principal',
    },
    {
      name: 'an unknown principal type',
      input: { Statement: [{ ...trustAccount, Principal: { Account: '1' } }] },
      path: 'Statement[0].Principal.Account',
    },
    {
      name: 'a number in AWS',
      input: { Statement: [{ ...trustAccount, Principal: { AWS: [1] } }] },
      path: 'Statement[0].Principal.AWS[0]',
    },
    {
      name: 'an empty Service list',
      input: { Statement: [{ ...trustAccount, Principal: { Service: [] } }] },
      path: 'Statement[0].Principal.Service',
    },
    {
      name: 'an empty Federated name',
      input: { Statement: [{ ...trustAccount, Principal: { Federated: '' } }] },
      path: 'Statement[0].Principal.Federated',
    },
    {
      name: 'a null in a NotPrincipal CanonicalUser list',
      input: {
        Statement: [{ ...trustAccount, Principal: undefined, NotPrincipal: { CanonicalUser: ['a', null] } }],
      },
      path: 'Statement[0].NotPrincipal.CanonicalUser[1]',
    },
    {
      name: 'Principal and NotPrincipal',
      input: { Statement: [{ ...trustAccount, NotPrincipal: { AWS: '*' } }] },
      path: 'Statement[0].NotPrincipal',
    },
  ])('trust policy with $name: issue at "$path"', ({ input, path }) => {
    const result = parsePolicyDocument(input, 'arn:aws:iam::123456789012:role/R#trust', 'trust')
    expect(result).toMatchObject({
      ok: false,
      issue: { policy: 'arn:aws:iam::123456789012:role/R#trust', path },
    })
  })
})
