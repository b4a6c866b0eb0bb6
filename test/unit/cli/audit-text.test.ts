import { describe, expect, it } from 'vitest'
import { SEVERITIES } from '#shared/config/rules.ts'
import { auditReportSchema } from '#shared/report/contract-schemas.ts'
import { asRecord, EXAMPLE_ACCOUNT, EXAMPLE_CONFIG, runBuiltCli, runBuiltCliJson } from './run-built-cli.ts'

const ARGS = ['audit', '--snapshot', EXAMPLE_ACCOUNT, '--config', EXAMPLE_CONFIG]

describe('support-guard audit (text)', () => {
  it('groups findings under one heading per severity, most severe first, counted as in the JSON report', async () => {
    const [text, { json }] = await Promise.all([
      runBuiltCli(ARGS),
      runBuiltCliJson([...ARGS, '--format', 'json']),
    ])
    const report = auditReportSchema.parse(json)
    expect(text.stderr).toBe('')
    expect(text.status).toBe(1)
    const headings = [...text.stdout.matchAll(/^([A-Z]+) \((\d+)\)$/gm)].map((match) => ({
      severity: (match[1] ?? '').toLowerCase(),
      count: Number(match[2]),
      at: match.index,
    }))
    const expected = SEVERITIES.map((severity) => ({
      severity,
      count: report.findings.filter((finding) => finding.severity === severity).length,
    })).filter((group) => group.count > 0)
    expect(headings.map(({ severity, count }) => ({ severity, count }))).toEqual(expected)
    expect(headings.map((heading) => heading.at)).toEqual(
      [...headings.map((heading) => heading.at)].sort((a, b) => a - b),
    )
  })

  it('places each finding under the heading of its severity (--wide: titles whole, as in the JSON)', async () => {
    const [text, { json }] = await Promise.all([
      runBuiltCli([...ARGS, '--wide']),
      runBuiltCliJson([...ARGS, '--format', 'json']),
    ])
    const report = auditReportSchema.parse(json)
    const sections = text.stdout.split(/^(?=[A-Z]+ \(\d+\)$)/m)
    for (const finding of report.findings) {
      const section = sections.find((part) => part.startsWith(`${finding.severity.toUpperCase()} (`))
      expect(section, finding.id).toContain(`${finding.rule}`)
      expect(section, finding.id).toContain(finding.title)
    }
  })

  it('ends with the principal table: a header and a row per principal holding support access', async () => {
    const [text, { json }] = await Promise.all([
      runBuiltCli(ARGS),
      runBuiltCliJson([...ARGS, '--format', 'json']),
    ])
    const report = auditReportSchema.parse(json)
    const holders = report.access.filter((entry) =>
      Object.values(entry.decisions).some((decision) => decision !== 'deny'),
    )
    const table = text.stdout.slice(text.stdout.indexOf('Support access ('), text.stdout.indexOf('Who can'))
    expect(table).toMatch(/^ {2}principal\s+type\s+Create\s+Describe\s+Reply\s+Resolve\s+actions$/m)
    for (const entry of holders) {
      const short = `${entry.principalType}/${entry.principalArn.split('/').pop()}`
      expect(table).toMatch(new RegExp(`^ {2}${short}\\s+${entry.principalType}\\s`, 'm'))
    }
    expect(table).toMatch(/^ {2}user\/support-reader\s+user\s+yes\s+yes\s+yes\s+-\s+38\/39$/m)
    expect(table).toMatch(/^ {2}user\/finance-analyst\s+user\s+cond\s+cond\s+cond\s+cond\s/m)
    expect(table).not.toContain('user/boundary-dev')
    expect(table).not.toContain('arn:aws:iam::123456789012:')
  })

  it('prints full ARNs with --wide', async () => {
    const text = await runBuiltCli([...ARGS, '--wide'])
    expect(text.status).toBe(1)
    expect(text.stdout).toMatch(/^Support Access Guard audit of account 123456789012$/m)
    expect(text.stdout).toMatch(
      /^ {2}arn:aws:iam::123456789012:user\/support-reader\s+user\s+yes\s+yes\s+yes\s+-\s+38\/39$/m,
    )
    expect(text.stdout).toContain('arn:aws:iam::aws:policy/AdministratorAccess')
  })

  it('names the account once and its principals and policies by short names', async () => {
    const text = await runBuiltCli(ARGS)
    const [header] = text.stdout.split('\n')
    expect(header).toBe(
      'Support Access Guard audit of account 123456789012 (short names; --wide prints full ARNs)',
    )
    expect(text.stdout).not.toContain('arn:aws:iam::123456789012:role/')
    expect(text.stdout).not.toContain('arn:aws:iam::aws:policy/')
    expect(text.stdout).toMatch(/^ {2}SUPPORT_ACCESS_EXTERNAL_TRUST {2}role\/VendorSupportAccess$/m)
    // Another account's ARN is not this account's to shorten.
    expect(text.stdout).toContain('arn:aws:iam::999988887777:root')
    for (const line of text.stdout.split('\n')) expect(line.length).toBeLessThanOrEqual(100)
  })

  it('lists after the access table who can create support permits and who can change the Support plan', async () => {
    const [text, { json }] = await Promise.all([
      runBuiltCli(ARGS),
      runBuiltCliJson([...ARGS, '--format', 'json']),
    ])
    const table = text.stdout.indexOf('Support access (')
    const permits = text.stdout.indexOf(
      'Who can create support permits (supportauthz:CreateSupportPermit): 3 principal(s)',
    )
    const plan = text.stdout.indexOf(
      'Who can change the Support plan (supportplans:StartSupportPlanUpdate): 3 principal(s)',
    )
    expect(table).toBeGreaterThan(0)
    expect(permits).toBeGreaterThan(table)
    expect(plan).toBeGreaterThan(permits)
    const section = text.stdout.slice(permits, plan)
    expect(section).toMatch(/^ {2}principal\s+decision\s+via$/m)
    expect(section).toMatch(/^ {2}user\/ops-admin\s+allow\s+group:Admins\/aws:policy\/AdministratorAccess$/m)
    expect(section).toMatch(/^ {2}role\/AdminRole\s+allow\s+aws:policy\/AdministratorAccess$/m)
    // Text only: the JSON report keeps exactly the keys of its contract.
    expect(Object.keys(asRecord(json)).sort()).toEqual(['access', 'accountId', 'findings', 'schemaVersion'])
  })
})
