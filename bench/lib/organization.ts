/**
 * The organisation section: the CLI's audit over many accounts (`audit --snapshot DIR
 * --format json`), a directory of synthetic exports and the organisation file, its SCPs by level.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { generateAccount } from '#test-support/synthetic/synthetic-account.ts'
import { type CliRun, runCliAudit } from './cli-run.ts'
import { renderTable } from './table.ts'

const text = (...Statement: object[]) => JSON.stringify({ Version: '2012-10-17', Statement })

/** Account IDs of the synthetic organisation: 100000000000, 100000000001, … */
export function organizationAccountIds(count: number): string[] {
  return Array.from({ length: count }, (_, index) => String(100_000_000_000 + index))
}

/**
 * An organisation file: Root › Workloads › Prod and NonProd, Root › Sandbox; accounts spread
 * over Prod, NonProd and Sandbox. FullAWSAccess at every level, a Deny of leaving the
 * organisation at the root, a Deny of `support:*` at Sandbox, and NonProd allowing only
 * us-east-1 (a conditional allow).
 */
export function buildOrganizationFile(accounts: readonly string[]) {
  const leaves = ['ou-prod', 'ou-nonprod', 'ou-sandbox']
  const placed = accounts.map((id, index) => ({
    Id: id,
    Name: `account-${index}`,
    ParentId: leaves[index % 3] ?? 'ou-prod',
  }))
  return {
    Organization: { Id: 'o-bench00001', MasterAccountId: '999999999999' },
    Roots: [{ Id: 'r-root', Name: 'Root' }],
    OrganizationalUnits: [
      { Id: 'ou-workloads', Name: 'Workloads', ParentId: 'r-root' },
      { Id: 'ou-prod', Name: 'Prod', ParentId: 'ou-workloads' },
      { Id: 'ou-nonprod', Name: 'NonProd', ParentId: 'ou-workloads' },
      { Id: 'ou-sandbox', Name: 'Sandbox', ParentId: 'r-root' },
    ],
    Accounts: placed,
    ServiceControlPolicies: [
      {
        Id: 'p-FullAWSAccess',
        Name: 'FullAWSAccess',
        Content: text({ Effect: 'Allow', Action: '*', Resource: '*' }),
        Targets: ['r-root', 'ou-workloads', 'ou-prod', 'ou-sandbox', ...accounts],
      },
      {
        Id: 'p-denyleave',
        Name: 'DenyLeaveOrganization',
        Content: text({ Effect: 'Deny', Action: 'organizations:LeaveOrganization', Resource: '*' }),
        Targets: ['r-root'],
      },
      {
        Id: 'p-sandbox',
        Name: 'NoSupportInSandbox',
        Content: text({ Effect: 'Deny', Action: 'support:*', Resource: '*' }),
        Targets: ['ou-sandbox'],
      },
      {
        Id: 'p-region',
        Name: 'UsEast1Only',
        Content: text({
          Effect: 'Allow',
          Action: '*',
          Resource: '*',
          Condition: { StringEquals: { 'aws:RequestedRegion': 'us-east-1' } },
        }),
        Targets: ['ou-nonprod'],
      },
    ],
  }
}

export interface OrganizationResult {
  readonly accounts: number
  readonly principalsPerAccount: number
  readonly exportMb: number
  readonly generateMs: number
  readonly runs: readonly CliRun[]
  readonly bestMs: number
  readonly peakRssMb: number
  readonly reportMb: number
}

export function measureOrganization(
  context: {
    readonly root: string
    readonly dir: string
    readonly cli: string
    readonly log: (line: string) => void
  },
  options: {
    readonly orgAccounts: number
    readonly orgPrincipals: number
    readonly seed: number
    readonly runs: number
  },
): OrganizationResult {
  const exportsDir = join(context.dir, 'organization')
  mkdirSync(exportsDir, { recursive: true })
  const started = performance.now()
  const accounts = organizationAccountIds(options.orgAccounts)
  writeFileSync(join(exportsDir, 'organization.json'), JSON.stringify(buildOrganizationFile(accounts)))
  let bytes = 0
  for (const [index, accountId] of accounts.entries()) {
    const exported = JSON.stringify(
      generateAccount({ seed: options.seed + index, principals: options.orgPrincipals, accountId }),
    )
    bytes += Buffer.byteLength(exported)
    writeFileSync(join(exportsDir, `${accountId}.json`), exported)
  }
  const generateMs = performance.now() - started
  context.log(`organisation: ${options.orgAccounts} accounts × ${options.orgPrincipals} principals`)
  const runs: CliRun[] = []
  for (let run = 0; run < options.runs; run++)
    runs.push(
      runCliAudit(context.cli, exportsDir, {
        cwd: context.root,
        scratchDir: context.dir,
        timeoutMs: 600_000,
      }),
    )
  return {
    accounts: options.orgAccounts,
    principalsPerAccount: options.orgPrincipals,
    exportMb: bytes / 1_048_576,
    generateMs,
    runs,
    bestMs: Math.min(...runs.map((run) => run.wallMs)),
    peakRssMb: Math.max(...runs.map((run) => run.peakRssMb)),
    reportMb: Math.max(...runs.map((run) => run.reportBytes)) / 1_048_576,
  }
}

export function renderOrganization(result: OrganizationResult): string[] {
  return [
    ...renderTable(
      [
        'accounts',
        'principals each',
        'exports MB',
        'CLI wall best ms',
        'CLI peak RSS MB',
        'report MB',
        'ms per account',
      ],
      [
        [
          String(result.accounts),
          String(result.principalsPerAccount),
          result.exportMb.toFixed(1),
          result.bestMs.toFixed(0),
          result.peakRssMb.toFixed(0),
          result.reportMb.toFixed(1),
          (result.bestMs / result.accounts).toFixed(0),
        ],
      ],
    ),
    '',
    `\`node support-guard.js audit --snapshot DIR --format json > report.json\`, DIR holding organization.json and one export per account; ${result.runs.length} run(s). The accounts sit under Root › Workloads › Prod or NonProd, or Root › Sandbox, with FullAWSAccess at every level, a Deny at the root, a Deny of support:* at Sandbox and a us-east-1-only allow at NonProd. The CLI reads every export twice (a first pass finds the support roles other accounts can reach) and holds one account at a time.`,
  ]
}
