import {
  DescribeOrganizationCommand,
  DescribePolicyCommand,
  ListAccountsForParentCommand,
  ListOrganizationalUnitsForParentCommand,
  ListPoliciesCommand,
  ListRootsCommand,
  ListTargetsForPolicyCommand,
  type OrganizationsClient,
} from '@aws-sdk/client-organizations'
import { type OrganizationFile, parseOrganization } from '#shared/snapshot/organization.ts'

/**
 * Reads the organisation file (docs/contracts.md#organization-file) from AWS Organizations:
 * the organisation, its roots, the OU tree walked from each root, the active accounts of each
 * root and OU, and every SCP with its document and targets. Needs the read-only Organizations
 * permissions of the management or a delegated administrator account. Every list is read to
 * its last page.
 */
export async function readOrganizationData(client: OrganizationsClient): Promise<OrganizationFile> {
  const { Organization } = await client.send(new DescribeOrganizationCommand({}))
  const roots = await pages((NextToken) => client.send(new ListRootsCommand({ NextToken })), 'Roots')
  const units: { Id: string; Name?: string; ParentId: string }[] = []
  const accounts: { Id: string; Name?: string; ParentId: string }[] = []
  const visit = async (parentId: string): Promise<void> => {
    const children = await pages(
      (NextToken) => client.send(new ListAccountsForParentCommand({ ParentId: parentId, NextToken })),
      'Accounts',
    )
    for (const account of children)
      if (account.Id && account.Status !== 'SUSPENDED')
        accounts.push({ Id: account.Id, ...named(account.Name), ParentId: parentId })
    const ous = await pages(
      (NextToken) =>
        client.send(new ListOrganizationalUnitsForParentCommand({ ParentId: parentId, NextToken })),
      'OrganizationalUnits',
    )
    for (const unit of ous) {
      if (!unit.Id) continue
      units.push({ Id: unit.Id, ...named(unit.Name), ParentId: parentId })
      await visit(unit.Id)
    }
  }
  for (const root of roots) if (root.Id) await visit(root.Id)
  const summaries = await pages(
    (NextToken) => client.send(new ListPoliciesCommand({ Filter: 'SERVICE_CONTROL_POLICY', NextToken })),
    'Policies',
  )
  const policies = []
  for (const summary of summaries) {
    if (!summary.Id) continue
    const { Policy } = await client.send(new DescribePolicyCommand({ PolicyId: summary.Id }))
    const targets = await pages(
      (NextToken) => client.send(new ListTargetsForPolicyCommand({ PolicyId: summary.Id, NextToken })),
      'Targets',
    )
    policies.push({
      Id: summary.Id,
      ...named(summary.Name),
      Content: Policy?.Content ?? '',
      Targets: targets.flatMap((target) => (target.TargetId ? [target.TargetId] : [])),
    })
  }
  // The organisation's own schema checks what AWS answered: a gap is an error, not a guess.
  return parseOrganization(
    {
      Organization: {
        Id: Organization?.Id,
        ...(Organization?.MasterAccountId ? { MasterAccountId: Organization.MasterAccountId } : {}),
      },
      Roots: roots.map((root) => ({ Id: root.Id, ...named(root.Name) })),
      OrganizationalUnits: units,
      Accounts: accounts,
      ServiceControlPolicies: policies,
    },
    'AWS Organizations',
  )
}

function named(name: string | undefined): { Name?: string } {
  return name ? { Name: name } : {}
}

/** Every item of a paginated list. */
async function pages<K extends string, T>(
  send: (
    token: string | undefined,
  ) => Promise<{ NextToken?: string | undefined } & { [key in K]?: T[] | undefined }>,
  key: K,
): Promise<T[]> {
  const items: T[] = []
  let token: string | undefined
  do {
    const page = await send(token)
    items.push(...(page[key] ?? []))
    token = page.NextToken
  } while (token)
  return items
}
