import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { parsePolicyDocument, statementsAbout } from '#shared/policy/parse-policy.ts'
import type { ElementList, ParsedPolicy } from '#shared/policy/types.ts'
import { policyObjectArbitrary } from '#test-support/arbitraries/policy-arbitraries.ts'

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

/** What a statement's actions can name, said the plain way: a reference for the parser's own. */
function canConcern(action: ElementList, services: ReadonlySet<string>): boolean {
  if (action.negated) return true
  return action.values.some((pattern) => {
    const colon = pattern.indexOf(':')
    if (colon < 0) return true
    const service = pattern.slice(0, colon).toLowerCase()
    return /[*?]/.test(service) || services.has(service)
  })
}

/** Actions of the services asked about and of others, in any case, with wildcards anywhere. */
const action = fc.oneof(
  fc.constantFrom('s3:GetObject', 'SUPPORT:Describe*', 'Sts:AssumeRole', 'support-console:GetBanner'),
  fc.constantFrom('*', 's*:Get*', 'su?port:CreateCase', 'supportx:Get', 'iam:*', 'logs:Put?ogEvents'),
  fc
    .tuple(fc.constantFrom('support', 'sts', 'ec2', 'sUpPoRt', 'st', 'ssupport'), fc.string({ maxLength: 4 }))
    .map(([service, name]) => `${service}:${name.replace(/:/g, '')}`),
)
const statement = fc.record(
  {
    Effect: fc.constantFrom('Allow', 'Deny'),
    Action: fc.oneof(action, fc.array(action, { minLength: 1, maxLength: 4 })),
    NotAction: action,
    Resource: fc.constantFrom('*', ['arn:aws:s3:::b/*']),
  },
  { requiredKeys: ['Effect', 'Resource'] },
)
const document = fc.oneof(
  fc.record({
    Version: fc.constant('2012-10-17'),
    Statement: fc.array(statement, { minLength: 1, maxLength: 5 }),
  }),
  policyObjectArbitrary,
)
const services = fc.constantFrom<ReadonlySet<string>>(
  SERVICES,
  new Set(['support', 'support-console']),
  new Set(['s3']),
)

describe('parsePolicyDocument with services, on any document', () => {
  it('keeps exactly the statements of the whole parse whose actions can name a service asked about', () => {
    fc.assert(
      fc.property(document, services, (input, wanted) => {
        const whole = parsePolicyDocument(input, 'p', 'identity')
        const kept = parsePolicyDocument(input, 'p', 'identity', { services: wanted })
        if (!whole.ok) return void expect(kept).toEqual(whole)
        expect(kept.ok).toBe(true)
        if (!kept.ok) return
        expect(kept.policy.statements).toEqual(
          whole.policy.statements.filter((each) => canConcern(each.action, wanted)),
        )
        expect(kept.policy.version).toBe(whole.policy.version)
      }),
      { numRuns: 3000 },
    )
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
