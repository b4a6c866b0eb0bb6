import { SEVERITIES } from '#shared/config/rules.ts'
import { patternOf } from '#shared/findings/evidence.ts'
import type { FindingRecord } from '#shared/findings/finding.ts'
import type { PolicyIssue } from '#shared/policy/types.ts'
import { isSkippedEntry } from '#shared/snapshot/skipped-entries.ts'
import type { AuditReport } from './audit-report.ts'
import {
  accountHeader,
  fitLines,
  layoutTable,
  shortenArns,
  type TextLayout,
  wrapIndented,
} from './text-layout.ts'
import { ASSUMES_PREFIX, type WhoCanReport } from './who-can.ts'

const CORE_COLUMNS: readonly [string, string][] = [
  ['support:CreateCase', 'Create'],
  ['support:DescribeCases', 'Describe'],
  ['support:AddCommunicationToCase', 'Reply'],
  ['support:ResolveCase', 'Resolve'],
]
const MARK = { allow: 'yes', deny: '-', conditional: 'cond' } as const

/**
 * Who can weaken Support itself, shown after the access table: a support permit lets AWS act
 * in the account, and the plan decides what help the account gets. Text only: the JSON
 * report keeps its contract.
 */
const AUDIT_WHO_CAN: readonly (readonly [action: string, title: string])[] = [
  ['supportauthz:CreateSupportPermit', 'Who can create support permits'],
  ['supportplans:StartSupportPlanUpdate', 'Who can change the Support plan'],
]
/** The actions whose who-can answers the audit text shows. */
export const AUDIT_WHO_CAN_ACTIONS: readonly string[] = AUDIT_WHO_CAN.map(([action]) => action)
/** Entries of a who-can section of the audit; the rest are counted. */
const SHORT_LIST = 10

export interface AuditTextOptions {
  readonly layout: TextLayout
  /** Answers for `AUDIT_WHO_CAN_ACTIONS`; an action without one is left out. */
  readonly whoCan?: readonly WhoCanReport[]
}

/**
 * Human-readable audit: findings grouped by severity, who holds Support access, and who can
 * create support permits or change the Support plan, laid out to `options.layout`.
 */
export function formatAuditText(
  report: AuditReport,
  issues: readonly PolicyIssue[],
  options: AuditTextOptions,
): string {
  const { layout } = options
  const lines: string[] = []
  const counts = SEVERITIES.map(
    (severity) => `${report.findings.filter((f) => f.severity === severity).length} ${severity}`,
  )
  lines.push(
    ...wrap(accountHeader(report.accountId, layout, 'Support Access Guard audit of account'), layout),
  )
  lines.push(
    ...wrap(
      `${report.access.length} principals evaluated, ${report.findings.length} findings (${counts.join(', ')})`,
      layout,
    ),
    '',
  )
  for (const severity of SEVERITIES) {
    const group = report.findings.filter((finding) => finding.severity === severity)
    if (group.length === 0) continue
    lines.push(`${severity.toUpperCase()} (${group.length})`)
    for (const finding of group) lines.push(...formatFinding(finding, layout))
    lines.push('')
  }
  lines.push(...formatAccessTable(report, layout))
  for (const [action, title] of AUDIT_WHO_CAN) {
    const answer = options.whoCan?.find((entry) => entry.action === action)
    if (answer) lines.push('', ...formatWhoCanSection(title, answer, layout))
  }
  const skipped = issues.filter(isSkippedEntry)
  const unreadable = issues.filter((issue) => !isSkippedEntry(issue))
  for (const [title, group] of [
    ['Skipped: entries of the export left out of the audit', skipped],
    ['Policies evaluated as granting nothing', unreadable],
  ] as const) {
    if (group.length === 0) continue
    lines.push('', `${title} (${group.length})`)
    for (const issue of group)
      lines.push(
        ...wrapIndented(
          shortenArns(`${issue.policy}${issue.path ? ` at ${issue.path}` : ''}: ${issue.message}`, layout),
          layout,
          '  ',
          '    ',
        ),
      )
  }
  return `${fitLines(lines, layout).join('\n')}\n`
}

/** One finding: rule and subject, then the title, the detail and the first two fixes, wrapped. */
function formatFinding(finding: FindingRecord, layout: TextLayout): string[] {
  const subject = describeSubject(finding, layout)
  const heading = `  ${finding.rule}  ${subject}`
  return [
    ...(heading.length <= layout.width
      ? [heading]
      : [`  ${finding.rule}`, ...wrapIndented(subject, layout, '    ')]),
    ...wrapIndented(shortenArns(finding.title, layout), layout, '    '),
    ...wrapIndented(shortenArns(finding.detail, layout), layout, '      '),
    ...finding.remediation.steps
      .slice(0, 2)
      .flatMap((step) => wrapIndented(shortenArns(step, layout), layout, '      fix: ', '           ')),
  ]
}

/** The finding's principal, or for a required pattern that matches nobody, the pattern. */
export function describeSubject(
  finding: Pick<FindingRecord, 'principalArn' | 'evidence'>,
  layout: TextLayout,
): string {
  if (finding.principalArn !== null) return shortenArns(finding.principalArn, layout)
  const pattern = patternOf(finding.evidence)
  return pattern === undefined ? 'no principal' : `no principal matches ${pattern}`
}

/** Principals holding at least one `support:` action, with the core actions as columns. */
function formatAccessTable(report: AuditReport, layout: TextLayout): string[] {
  const supportDecisions = (decisions: AuditReport['access'][number]['decisions']) =>
    Object.entries(decisions).filter(([action]) => action.startsWith('support:'))
  const holders = report.access.filter((entry) =>
    supportDecisions(entry.decisions).some(([, decision]) => decision !== 'deny'),
  )
  const lines = wrap(
    `Support access (${holders.length} of ${report.access.length} principals hold at least one support: action)`,
    layout,
  )
  if (holders.length === 0) return lines
  const rows = holders.map((entry) => {
    const decisions = supportDecisions(entry.decisions)
    const held = decisions.filter(([, decision]) => decision !== 'deny').length
    return [
      shortenArns(entry.principalArn, layout),
      entry.principalType,
      ...CORE_COLUMNS.map(([action]) => MARK[entry.decisions[action] ?? 'deny']),
      `${held}/${decisions.length}`,
    ]
  })
  const header = ['principal', 'type', ...CORE_COLUMNS.map(([, label]) => label), 'actions']
  return [...lines, ...layoutTable([header, ...rows], layout, [true])]
}

/** A short who-can list inside the audit. */
function formatWhoCanSection(title: string, report: WhoCanReport, layout: TextLayout): string[] {
  const count = report.principals.length
  if (count === 0) return wrap(`${title} (${report.action}): nobody`, layout)
  const rows = report.principals
    .slice(0, SHORT_LIST)
    .map((entry) => [shortenArns(entry.principalArn, layout), entry.decision, describeVia(entry.via, layout)])
  return [
    ...wrap(`${title} (${report.action}): ${count} principal(s)`, layout),
    ...layoutTable([['principal', 'decision', 'via'], ...rows], layout, [true, false, true]),
    ...(count > SHORT_LIST
      ? wrapIndented(
          `… and ${count - SHORT_LIST} more: support-guard who-can ${report.action} lists them all`,
          layout,
          '  ',
        )
      : []),
  ]
}

/** Human-readable who-can answer, under the header of `accountId`. */
export function formatWhoCanText(report: WhoCanReport, accountId: string, layout: TextLayout): string {
  const lines = wrap(accountHeader(accountId, layout), layout)
  const count = report.principals.length
  if (count === 0) {
    lines.push(...wrap(`No principal is allowed ${report.action}.`, layout))
    return `${fitLines(lines, layout).join('\n')}\n`
  }
  const throughRoles = report.principals.filter((entry) => entry.via[0]?.startsWith(ASSUMES_PREFIX)).length
  const rows = report.principals.map((entry) => [
    shortenArns(entry.principalArn, layout),
    entry.decision,
    describeVia(entry.via, layout),
  ])
  lines.push(
    ...wrap(
      `${count} principal(s) can call ${report.action}${throughRoles > 0 ? `, ${throughRoles} of them by assuming a role` : ''}`,
      layout,
    ),
    ...layoutTable([['principal', 'decision', 'via'], ...rows], layout, [true, false, true]),
  )
  return `${fitLines(lines, layout).join('\n')}\n`
}

/**
 * A `via` list as one cell: the policies, comma-separated; a path through roles as
 * `assumes role/Name: policy, …`, one per role, separated by semicolons.
 */
export function describeVia(via: readonly string[], layout: TextLayout): string {
  const groups: string[][] = []
  for (const step of via) {
    const short = shortenArns(step, layout)
    const current = groups.at(-1)
    if (step.startsWith(ASSUMES_PREFIX) || !current) groups.push([short])
    else current.push(short)
  }
  return groups
    .map(([head = '', ...policies]) =>
      head.startsWith(ASSUMES_PREFIX) && policies.length > 0
        ? `${head}: ${policies.join(', ')}`
        : [head, ...policies].join(', '),
    )
    .join('; ')
}

function wrap(text: string, layout: TextLayout): string[] {
  return wrapIndented(text, layout, '')
}
