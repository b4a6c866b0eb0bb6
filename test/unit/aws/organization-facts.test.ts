import {
  DescribeOrganizationCommand,
  ListAccountsForParentCommand,
  ListOrganizationalUnitsForParentCommand,
  ListPoliciesCommand,
  ListRootsCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations'
import { mockClient } from 'aws-sdk-client-mock'
import { beforeEach, describe, expect, it } from 'vitest'
import { CachedOrganization } from '#shared/aws/organization-facts.ts'

const organizations = mockClient(OrganizationsClient)

/** An organisation of one root and one account, without SCPs. */
function answer(accountName: string) {
  organizations
    .on(DescribeOrganizationCommand)
    .resolves({ Organization: { Id: 'o-abc123def4', MasterAccountId: '111111111111' } })
  organizations.on(ListRootsCommand).resolves({ Roots: [{ Id: 'r-abcd', Name: 'Root' }] })
  organizations.on(ListOrganizationalUnitsForParentCommand).resolves({ OrganizationalUnits: [] })
  organizations
    .on(ListAccountsForParentCommand)
    .resolves({ Accounts: [{ Id: '222222222222', Name: accountName, Status: 'ACTIVE' }] })
  organizations.on(ListPoliciesCommand).resolves({ Policies: [] })
}

beforeEach(() => organizations.reset())

describe('CachedOrganization', () => {
  it('reads the organisation once for every audit within fifteen minutes, then again', async () => {
    answer('workload')
    let now = 0
    const cached = new CachedOrganization(new OrganizationsClient({}), () => now)
    const [first, second] = await Promise.all([cached.get(), cached.get()])
    expect(first.Accounts.map((account) => account.Name)).toEqual(['workload'])
    expect(second).toBe(first)
    now += 14 * 60_000
    expect(await cached.get()).toBe(first)
    expect(organizations.commandCalls(DescribeOrganizationCommand)).toHaveLength(1)
    answer('workload-renamed')
    now += 60_000
    expect((await cached.get()).Accounts.map((account) => account.Name)).toEqual(['workload-renamed'])
    expect(organizations.commandCalls(DescribeOrganizationCommand)).toHaveLength(2)
  })

  it('does not keep a failed read: the next audit asks again', async () => {
    organizations.on(DescribeOrganizationCommand).rejectsOnce(new Error('AccessDeniedException'))
    const cached = new CachedOrganization(new OrganizationsClient({}), () => 0)
    await expect(cached.get()).rejects.toThrow('AccessDeniedException')
    answer('workload')
    await expect(cached.get()).resolves.toMatchObject({ Accounts: [{ Id: '222222222222' }] })
  })
})
