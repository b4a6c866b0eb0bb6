import { SEVERITIES } from '#shared/config/rules.ts'
import type { Finding } from '#shared/findings/finding.ts'
import type { PolicyIssue } from '#shared/policy/types.ts'
import type { AuditReport } from './audit-report.ts'
import type { WhoCanReport } from './who-can.ts'

const CORE_COLUMNS: readonly [string, string][] = [
  ['support:CreateCase', 'Create'],
  ['support:DescribeCases', 'Describe'],
  ['support:AddCommunicationToCase', 'Reply'],
  ['support:ResolveCase', 'Resolve'],
]
const MARK = { allow: 'yes', deny: '-', conditional: 'cond' } as const

/** Human-readable audit: findings grouped by severity, then who holds Support access. */
export function formatAuditText(report: AuditReport, issues: readonly PolicyIssue[]): string {
  const lines: string[] = []
  const counts = SEVERITIES.map(
    (severity) => `${report.findings.filter((f) => f.severity === severity).length} ${severity}`,
  )
  lines.push(`Support Access Guard audit of account ${report.accountId}`)
  lines.push(
    `${report.access.length} principals evaluated, ${report.findings.length} findings (${counts.join(', ')})`,
    '',
  )
  for (const severity of SEVERITIES) {
    const group = report.findings.filter((finding) => finding.severity === severity)
    if (group.length === 0) continue
    lines.push(`${severity.toUpperCase()} (${group.length})`)
    const ruleWidth = Math.max(...group.map((finding) => finding.rule.length))
    for (const finding of group) lines.push(...formatFinding(finding, ruleWidth))
    lines.push('')
  }
  const holders = report.access.filter((entry) =>
    Object.values(entry.decisions).some((decision) => decision !== 'deny'),
  )
  lines.push(
    `Support access (${holders.length} of ${report.access.length} principals hold at least one support: action)`,
  )
  if (holders.length > 0) {
    const rows = holders.map((entry) => {
      const held = Object.values(entry.decisions).filter((decision) => decision !== 'deny').length
      return [
        entry.principalArn,
        entry.principalType,
        ...CORE_COLUMNS.map(([action]) => MARK[entry.decisions[action] ?? 'deny']),
        `${held}/${Object.keys(entry.decisions).length}`,
      ]
    })
    lines.push(
      ...alignTable([['principal', 'type', ...CORE_COLUMNS.map(([, label]) => label), 'actions'], ...rows]),
    )
  }
  if (issues.length > 0) {
    lines.push('', `Policies evaluated as granting nothing (${issues.length})`)
    for (const issue of issues)
      lines.push(`  ${issue.policy}${issue.path ? ` at ${issue.path}` : ''}: ${issue.message}`)
  }
  return `${lines.join('\n')}\n`
}

function formatFinding(finding: Finding, ruleWidth: number): string[] {
  return [
    `  ${finding.rule.padEnd(ruleWidth)}  ${finding.title}`,
    `  ${' '.repeat(ruleWidth)}  ${finding.principalArn}`,
    ...wrap(finding.detail, 96).map((line) => `  ${' '.repeat(ruleWidth)}    ${line}`),
    ...finding.remediation.steps.slice(0, 2).map((step) => `  ${' '.repeat(ruleWidth)}    fix: ${step}`),
  ]
}

/** Human-readable who-can answer. */
export function formatWhoCanText(report: WhoCanReport): string {
  if (report.principals.length === 0) return `No principal is allowed ${report.action}.\n`
  const rows = report.principals.map((entry) => [entry.principalArn, entry.decision, entry.via.join(', ')])
  return `${[`${report.principals.length} principal(s) can call ${report.action}`, ...alignTable([['principal', 'decision', 'via'], ...rows])].join('\n')}\n`
}

/** Pads every column to its widest cell. */
export function alignTable(rows: readonly (readonly string[])[]): string[] {
  const widths: number[] = []
  for (const row of rows) {
    row.forEach((cell, index) => {
      widths[index] = Math.max(widths[index] ?? 0, cell.length)
    })
  }
  return rows.map((row) =>
    `  ${row.map((cell, index) => cell.padEnd(widths[index] ?? 0)).join('  ')}`.trimEnd(),
  )
}

function wrap(text: string, width: number): string[] {
  const lines: string[] = []
  let line = ''
  for (const word of text.split(/\s+/)) {
    if (line && line.length + word.length + 1 > width) {
      lines.push(line)
      line = word
    } else {
      line = line ? `${line} ${word}` : word
    }
  }
  if (line) lines.push(line)
  return lines
}
