import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { findCatalogAction, isCatalogNamespace, listNamespaceActions } from '#shared/catalog/catalog.ts'
import { SUPPORT_APP_FULL_ACTIONS, SUPPORT_APP_READONLY_ACTIONS } from '#shared/catalog/support-actions.ts'
import { buildCatalogData, CATALOG_FILE } from '../../../scripts/generate-catalog.ts'

describe('action catalog', () => {
  it('is the one the pinned data package produces (regenerate with npm run catalog)', () => {
    expect(readFileSync(CATALOG_FILE, 'utf8')).toBe(buildCatalogData())
  })

  it('names actions canonically and finds them case-insensitively', () => {
    expect(findCatalogAction('SUPPORT:createcase')?.name).toBe('support:CreateCase')
    expect(findCatalogAction('support:NoSuchAction')).toBeUndefined()
    expect(isCatalogNamespace('supportapp')).toBe(true)
    expect(isCatalogNamespace('ec2')).toBe(false)
  })

  it('expands support:Describe* to exactly the Describe actions that exist', () => {
    const describe = listNamespaceActions('support').filter((name) => name.startsWith('support:Describe'))
    expect(describe).toContain('support:DescribeTrustedAdvisorChecks')
    expect(describe.length).toBeGreaterThanOrEqual(17)
  })

  it('takes the Support App needs from the AWS managed policies', () => {
    expect(SUPPORT_APP_FULL_ACTIONS).toHaveLength(11)
    expect(SUPPORT_APP_FULL_ACTIONS).toContain('servicequotas:RequestServiceQuotaIncrease')
    expect(SUPPORT_APP_READONLY_ACTIONS).toEqual(['support:DescribeCases', 'support:DescribeCommunications'])
  })
})
