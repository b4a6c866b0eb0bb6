import { describe, expect, it } from 'vitest'
import { SEVERITIES } from '#shared/config/rules.ts'
import { auditReportSchema } from './report-schemas.ts'
import { EXAMPLE_ACCOUNT, EXAMPLE_CONFIG, runBuiltCli, runBuiltCliJson } from './run-built-cli.ts'

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

  it('places each finding under the heading of its severity', async () => {
    const [text, { json }] = await Promise.all([
      runBuiltCli(ARGS),
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
    const table = text.stdout.slice(text.stdout.indexOf('Support access ('))
    expect(table).toMatch(/^ {2}principal\s+type\s+Create\s+Describe\s+Reply\s+Resolve\s+actions$/m)
    for (const entry of holders) {
      expect(table).toMatch(new RegExp(`^ {2}${entry.principalArn}\\s+${entry.principalType}\\s`, 'm'))
    }
    expect(table).toMatch(
      /^ {2}arn:aws:iam::123456789012:user\/support-reader\s+user\s+yes\s+yes\s+yes\s+-\s+38\/39$/m,
    )
    expect(table).toMatch(
      /^ {2}arn:aws:iam::123456789012:user\/finance-analyst\s+user\s+cond\s+cond\s+cond\s+cond\s/m,
    )
    expect(table).not.toContain('user/boundary-dev')
  })
})
