import { describe, expect, it } from 'vitest'
import { asRecord, runBuiltCliJson } from './run-built-cli.ts'

const ACCOUNT = 'test/fixtures/accounts/org-member-account.json'
const ORG_CONFIG = 'test/fixtures/accounts/org-member-config.json'

interface ReportFinding {
  readonly rule: string
  readonly severity: string
  readonly principalArn: string | null
  readonly evidence: Record<string, unknown>
}

async function auditFindings(extra: readonly string[] = []): Promise<ReportFinding[]> {
  const { json } = await runBuiltCliJson(['audit', '--snapshot', ACCOUNT, '--format', 'json', ...extra])
  return asRecord(json).findings as ReportFinding[]
}

const serious = (findings: readonly ReportFinding[]) =>
  findings
    .filter((finding) => finding.severity === 'high' || finding.severity === 'critical')
    .map((finding) => `${finding.severity} ${finding.rule} ${finding.principalArn?.split('/').pop()}`)
    .sort()

describe('an organisation member account (IAM Identity Center, organisation roles, a partner role)', () => {
  it('with the default config: no finding on Identity Center roles; the organisation roles wait for the management account to be declared', async () => {
    const findings = await auditFindings()
    expect(serious(findings)).toEqual([
      'high SUPPORT_ACCESS_EXTERNAL_TRUST OrganizationAccountAccessRole',
      'high SUPPORT_ACCESS_EXTERNAL_TRUST VendorSupportAccess',
      'high SUPPORT_ACCESS_EXTERNAL_TRUST stacksets-exec-5d1c0b9a8f7e6d5c4b3a29180716f5e4',
    ])
    const vendor = findings.find((finding) => finding.principalArn?.endsWith('/VendorSupportAccess'))
    expect(vendor?.evidence).toMatchObject({ trustClass: 'external-account' })
  })

  it('with the organisation declared: only the partner role, a finding to act on', async () => {
    const findings = await auditFindings(['--config', ORG_CONFIG])
    expect(serious(findings)).toEqual(['high SUPPORT_ACCESS_EXTERNAL_TRUST VendorSupportAccess'])
    // The CI role is trusted through OIDC with a subject restriction but holds no support access.
    expect(findings.some((finding) => finding.principalArn?.endsWith('/github-deploy'))).toBe(false)
  })
})
