import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { SUPPORT_ACTIONS, SUPPORT_CONSOLE_ACTIONS } from '#shared/catalog/support-actions.ts'
import { type AuditReportJson, auditReportSchema } from '#shared/report/contract-schemas.ts'
import { EXAMPLE_ACCOUNT, EXAMPLE_CONFIG, ROOT, runBuiltCliJson } from './run-built-cli.ts'

interface ExportEntry {
  readonly Arn: string
}

const exported = JSON.parse(readFileSync(join(ROOT, EXAMPLE_ACCOUNT), 'utf8')) as {
  AccountId: string
  UserDetailList: ExportEntry[]
  RoleDetailList: ExportEntry[]
}

async function audit(
  extra: readonly string[] = [],
): Promise<{ status: number | null; report: AuditReportJson }> {
  const { result, json } = await runBuiltCliJson([
    'audit',
    '--snapshot',
    EXAMPLE_ACCOUNT,
    '--format',
    'json',
    ...extra,
  ])
  expect(result.stderr).toBe('')
  return { status: result.status, report: auditReportSchema.parse(json) }
}

function findingKeys(report: AuditReportJson, rule: string): string[] {
  return report.findings
    .filter((finding) => finding.rule === rule)
    .map((finding) => `${finding.severity} ${finding.principalArn?.split('/').pop() ?? ''}`)
    .sort()
}

describe('support-guard audit --format json', () => {
  it('prints a schemaVersion 1 report for the account of the export', async () => {
    const { report } = await audit()
    expect(report.schemaVersion).toBe(1)
    expect(report.accountId).toBe(exported.AccountId)
    expect(report.findings.length).toBeGreaterThan(0)
  })

  it('prints exactly the keys docs/contracts.md#audit-json defines, and names unreadable policies on stderr instead', async () => {
    const { report } = await audit()
    expect(Object.keys(report).sort()).toEqual(['access', 'accountId', 'findings', 'schemaVersion'])

    const dir = mkdtempSync(join(tmpdir(), 'support-guard-issues-'))
    const file = join(dir, 'account.json')
    writeFileSync(
      file,
      JSON.stringify({
        AccountId: '123456789012',
        RoleDetailList: [
          {
            RoleName: 'broken',
            Arn: 'arn:aws:iam::123456789012:role/broken',
            AssumeRolePolicyDocument: { Version: '2012-10-17', Statement: [] },
            RolePolicyList: [{ PolicyName: 'bad', PolicyDocument: '{not json' }],
          },
        ],
      }),
    )
    const { result, json } = await runBuiltCliJson(['audit', '--snapshot', file, '--format', 'json'])
    expect(Object.keys(json as object).sort()).toEqual(['access', 'accountId', 'findings', 'schemaVersion'])
    expect(result.stderr).toContain(
      'warning: arn:aws:iam::123456789012:role/broken#inline/bad: not valid JSON',
    )
  })

  it('lists every user and role of the export in access, each exactly once', async () => {
    const { report } = await audit()
    const expected = [
      ...exported.UserDetailList.map((user) => `user ${user.Arn}`),
      ...exported.RoleDetailList.map((role) => `role ${role.Arn}`),
    ].sort()
    const listed = report.access.map((entry) => `${entry.principalType} ${entry.principalArn}`).sort()
    expect(listed).toEqual(expected)
  })

  it('decides every support: and support-console: action of the catalog for every principal', async () => {
    const { report } = await audit()
    expect(SUPPORT_ACTIONS).toHaveLength(39)
    expect(SUPPORT_CONSOLE_ACTIONS).toHaveLength(13)
    const expected = [...SUPPORT_ACTIONS, ...SUPPORT_CONSOLE_ACTIONS].sort()
    for (const entry of report.access) {
      expect(Object.keys(entry.decisions).sort()).toEqual(expected)
    }
  })

  it('reports the decisions the example documents', async () => {
    const { report } = await audit()
    const decisionsOf = (name: string) =>
      report.access.find((entry) => entry.principalArn.endsWith(`/${name}`))?.decisions
    expect(decisionsOf('SupportTeam')?.['support:ResolveCase']).toBe('allow')
    expect(decisionsOf('support-reader')?.['support:ResolveCase']).toBe('deny')
    expect(decisionsOf('support-reader')?.['support:CreateCase']).toBe('allow')
    expect(decisionsOf('finance-analyst')?.['support:CreateCase']).toBe('conditional')
    expect(decisionsOf('boundary-dev')?.['support:CreateCase']).toBe('deny')
    expect(decisionsOf('case-scoped-user')?.['support:DescribeCases']).toBe('deny')
    // AWSSupportAccess grants support-console:*; a customer policy of support: actions does not.
    expect(decisionsOf('SupportTeam')?.['support-console:GetAccountState']).toBe('allow')
    expect(decisionsOf('ops-oncall')?.['support-console:GetAccountState']).toBe('deny')
    expect(decisionsOf('AdminRole')?.['support-console:CreateCaseDraft']).toBe('allow')
  })

  it('flags the people allowed the support actions but not the Support Center console', async () => {
    const { report } = await audit(['--config', EXAMPLE_CONFIG])
    // ops-oncall's customer policy and finance-analyst's inline policy grant support: only;
    // SupportTeam and the admins hold support-console:* through AWSSupportAccess or "*".
    expect(findingKeys(report, 'SUPPORT_CONSOLE_ACCESS_MISSING')).toEqual([
      'medium finance-analyst',
      'medium ops-oncall',
    ])
  })

  it('gives findings the same IDs on every run, one ID per finding', async () => {
    const [first, second] = await Promise.all([audit(), audit()])
    const ids = first.report.findings.map((finding) => finding.id)
    expect(second.report.findings.map((finding) => finding.id)).toEqual(ids)
    expect(new Set(ids).size).toBe(ids.length)
  })

  it('finds what the example README expects with the example config', async () => {
    const { status, report } = await audit(['--config', EXAMPLE_CONFIG])
    expect(findingKeys(report, 'SUPPORT_ACCESS_EXTERNAL_TRUST')).toEqual([
      'high SupportBroker',
      'high VendorSupportAccess',
    ])
    expect(findingKeys(report, 'SUPPORT_APP_TRUST_INVALID')).toEqual(['high SupportAppIncidentsRole'])
    expect(findingKeys(report, 'SUPPORT_APP_EXCESSIVE_PERMISSIONS')).toEqual(['high SupportAppIncidentsRole'])
    expect(findingKeys(report, 'SUPPORT_APP_UNSCOPED_SLR_CREATION')).toEqual(['high SupportAppIncidentsRole'])
    expect(findingKeys(report, 'SLR_MISSING')).toEqual(['medium AWSServiceRoleForServiceQuotas'])
    expect(findingKeys(report, 'SUPPORT_ACCESS_GRANTED')).toEqual([
      'medium SupportBroker',
      'medium VendorSupportAccess',
      'medium finance-analyst',
      'medium support-reader',
    ])
    expect(findingKeys(report, 'SUPPORT_APP_MISSING_PERMISSIONS')).toEqual([
      'medium SupportAppIncidentsRole',
      'medium SupportAppReadOnlyRole',
    ])
    expect(findingKeys(report, 'SUPPORT_RESOURCE_SCOPE_INEFFECTIVE')).toEqual([
      'info SupportCaseScopedAccess',
    ])
    const rules: string[] = report.findings.map((finding) => finding.rule)
    for (const absent of ['NO_SUPPORT_ROLE', 'SUPPORT_ACCESS_LOST', 'SLR_DELETION_ATTEMPT']) {
      expect(rules).not.toContain(absent)
    }
    expect(status).toBe(1)
  })
})
