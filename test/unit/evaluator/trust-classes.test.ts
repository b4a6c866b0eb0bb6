import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { analyzeTrust } from '#shared/evaluator/trust.ts'
import { classifyTrust, TRUST_CLASSES } from '#shared/evaluator/trust-class.ts'
import { parsePolicyDocument } from '#shared/policy/parse-policy.ts'

const FIXTURE = new URL('../../fixtures/trust/trust-classes.json', import.meta.url)

const factsSchema = z.strictObject({
  accountId: z.string().regex(/^\d{12}$/),
  organizationId: z.string().exactOptional(),
  trustedAccounts: z.array(z.string()),
})

const caseSchema = z.strictObject({
  name: z.string().min(1),
  note: z.string().optional(),
  facts: factsSchema.optional(),
  trust: z.record(z.string(), z.unknown()),
  expect: z.array(
    z.strictObject({
      principal: z.string(),
      class: z.enum(TRUST_CLASSES),
      externalId: z.boolean().optional(),
    }),
  ),
})

const fixture = z
  .strictObject({ facts: factsSchema, cases: z.array(caseSchema).min(1) })
  .parse(JSON.parse(readFileSync(FIXTURE, 'utf8')))

function parseTrust(document: unknown) {
  const result = parsePolicyDocument(document, 'trust', 'trust')
  if (!result.ok) throw new Error(`${result.issue.path}: ${result.issue.message}`)
  return result.policy
}

describe('trust class fixtures', () => {
  it('have unique names and cover every class', () => {
    expect(new Set(fixture.cases.map((entry) => entry.name)).size).toBe(fixture.cases.length)
    const seen = new Set(fixture.cases.flatMap((entry) => entry.expect.map((grant) => grant.class)))
    expect([...seen].sort()).toEqual([...TRUST_CLASSES].sort())
  })
})

describe('classifyTrust on the fixtures', () => {
  it.each(fixture.cases)('$name', (entry) => {
    const facts = entry.facts ?? fixture.facts
    const grants = classifyTrust(parseTrust(entry.trust), facts)
    expect(
      grants.map((grant) => ({
        principal: grant.principal,
        class: grant.trustClass,
        externalId: grant.externalId,
      })),
    ).toEqual(entry.expect.map((grant) => ({ ...grant, externalId: grant.externalId ?? false })))
    for (const grant of grants) expect(grant.basis, grant.principal).not.toBe('')
  })
})

describe('classifyTrust caching', () => {
  const document = {
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::999988887777:root' }, Action: 'sts:AssumeRole' },
    ],
  }

  it('answers the same facts from the cache and new facts afresh', () => {
    const trust = parseTrust(document)
    const facts = { accountId: '123456789012', trustedAccounts: [] }
    const first = classifyTrust(trust, facts)
    expect(classifyTrust(trust, facts)).toBe(first)
    const trusted = classifyTrust(trust, { ...facts, trustedAccounts: ['999988887777'] })
    expect(trusted.map((grant) => grant.trustClass)).toEqual(['organization'])
    expect(first.map((grant) => grant.trustClass)).toEqual(['external-account'])
  })

  it('keeps the grants of analyzeTrust, in their order, with a class each', () => {
    const trust = parseTrust(document)
    const grants = analyzeTrust(trust, '123456789012')
    const classes = classifyTrust(trust, { accountId: '123456789012', trustedAccounts: [] })
    expect(
      classes.map(({ kind, principal, statementIndex }) => ({ kind, principal, statementIndex })),
    ).toEqual(grants.map(({ kind, principal, statementIndex }) => ({ kind, principal, statementIndex })))
  })
})
