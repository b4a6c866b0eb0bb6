import { describe, expect, it } from 'vitest'
import { evaluateAccount } from '#shared/evaluator/evaluate-account.ts'
import { parseOrganization } from '#shared/snapshot/organization.ts'
import { parseAccountSnapshot } from '#shared/snapshot/parse-snapshot.ts'
import { generateAccount } from '#test-support/synthetic/synthetic-account.ts'
import { buildOrganizationFile, organizationAccountIds } from '../lib/organization.ts'

describe('the benchmark organisation', () => {
  const accounts = organizationAccountIds(6)
  const organization = parseOrganization(buildOrganizationFile(accounts))

  it('places every account and gives every level an SCP, so the audit evaluates all of them', () => {
    for (const accountId of accounts) {
      const snapshot = {
        ...parseAccountSnapshot(generateAccount({ seed: 1, principals: 40, accountId })),
        organization,
      }
      const evaluation = evaluateAccount(snapshot)
      expect(evaluation.issues.filter((issue) => issue.path === 'Organization')).toEqual([])
      expect(evaluation.account.scpLayers.length).toBeGreaterThanOrEqual(3)
    }
  })

  it('takes support from the Sandbox accounts and makes NonProd conditional', () => {
    const decisionsOf = (accountId: string) => {
      const snapshot = {
        ...parseAccountSnapshot(generateAccount({ seed: 1, principals: 40, accountId })),
        organization,
      }
      return new Set(
        evaluateAccount(snapshot).principals.map((access) => access.decisions['support:CreateCase']),
      )
    }
    expect(decisionsOf(accounts[0] as string).has('allow')).toBe(true)
    const nonProd = decisionsOf(accounts[1] as string)
    expect([nonProd.has('allow'), nonProd.has('conditional')]).toEqual([false, true])
    expect([...decisionsOf(accounts[2] as string)]).toEqual(['deny'])
  })
})
