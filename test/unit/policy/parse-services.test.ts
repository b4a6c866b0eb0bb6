import { describe, expect, it } from 'vitest'
import { parsePolicyDocument, statementsAbout } from '#shared/policy/parse-policy.ts'
import type { ParsedPolicy } from '#shared/policy/types.ts'

const SERVICES: ReadonlySet<string> = new Set(['support', 'sts'])

const DOCUMENT = {
  Version: '2012-10-17',
  Statement: [
    { Sid: 'Data', Effect: 'Allow', Action: ['s3:GetObject', 'dynamodb:Query'], Resource: '*' },
    { Sid: 'Support', Effect: 'Allow', Action: 'SUPPORT:Describe*', Resource: '*' },
    { Sid: 'Mixed', Effect: 'Deny', Action: ['ec2:*', 'sts:AssumeRole'], Resource: '*' },
    { Sid: 'AnyService', Effect: 'Allow', Action: 's?pport:*', Resource: '*' },
    { Sid: 'Everything', Effect: 'Allow', Action: '*', Resource: '*' },
    { Sid: 'Negated', Effect: 'Deny', NotAction: 'iam:*', Resource: '*' },
    { Sid: 'Logs', Effect: 'Allow', Action: 'logs:PutLogEvents', Resource: '*' },
  ],
}

function parsed(document: unknown, services?: ReadonlySet<string>): ParsedPolicy {
  const result = parsePolicyDocument(JSON.stringify(document), 'p', 'identity', services ? { services } : {})
  if (!result.ok) throw new Error(result.issue.message)
  return result.policy
}

describe('parsePolicyDocument with services', () => {
  it('keeps the statements whose actions can fall in the services, with their own indexes', () => {
    const policy = parsed(DOCUMENT, SERVICES)
    expect(policy.statements.map((statement) => [statement.index, statement.sid])).toEqual([
      [1, 'Support'],
      [2, 'Mixed'],
      [3, 'AnyService'],
      [4, 'Everything'],
      [5, 'Negated'],
    ])
    expect(policy.services).toBe(SERVICES)
  })

  it('keeps the statements it keeps exactly as a whole parse reads them', () => {
    const whole = parsed(DOCUMENT)
    const kept = parsed(DOCUMENT, SERVICES)
    expect(kept.statements).toEqual(
      whole.statements.filter((statement) => statement.index >= 1 && statement.index <= 5),
    )
  })

  it('still reports a flaw in a statement it does not keep', () => {
    const flawed = {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: 'support:*', Resource: '*' },
        { Effect: 'Allow', Action: 's3:GetObject', Resource: '*', Condition: 'not an object' },
      ],
    }
    const result = parsePolicyDocument(flawed, 'p', 'identity', { services: SERVICES })
    expect(result).toEqual({
      ok: false,
      issue: { policy: 'p', path: 'Statement[1].Condition', message: 'must be an object of operators' },
    })
  })

  it('leaves trust policies whole', () => {
    const trust = {
      Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'ec2:Describe*' }],
    }
    const result = parsePolicyDocument(trust, 't', 'trust', { services: SERVICES })
    expect(result.ok && result.policy.statements).toHaveLength(1)
    expect(result.ok && result.policy.services).toBeUndefined()
  })
})

describe('statementsAbout', () => {
  it('answers for a service the policy was parsed for, and refuses any other', () => {
    const policy = parsed(DOCUMENT, SERVICES)
    expect(statementsAbout(policy, 'support')).toBe(policy.statements)
    expect(() => statementsAbout(policy, 's3')).toThrow(/parsed for support, sts, not for s3/)
    expect(statementsAbout(parsed(DOCUMENT), 's3')).toHaveLength(7)
  })
})
