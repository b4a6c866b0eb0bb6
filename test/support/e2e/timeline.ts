import type { FindingEventDetail } from '#shared/pipeline/bus-events.ts'
import { describeStep } from '#shared/pipeline/remediation-steps.ts'
import { E2E_ACCOUNT_ID } from './cloudtrail-event.ts'
import type { PipelineTrace, SnsNotification } from './pipeline-trace.ts'
import type { ScenarioResult, ScenarioStep } from './scenario.ts'
import { describeAction, findRemediation, isPutFromOutside, listDetectVerdicts } from './trace-queries.ts'

const LINE_WIDTH = 118
const LABEL_WIDTH = 9
/** `left alone`, the longest action word, and a space. */
const ACTION_WIDTH = 11

/** The lines `npm start` prints for one scenario: change → finding → action → notification. */
export function formatScenario(result: ScenarioResult, index: number): string[] {
  const { scenario } = result
  const heading = `${String(index).padStart(2)}. ${scenario.title}`
  const lines = [`${heading.padEnd(LINE_WIDTH - 10)}[${scenario.mode}]`]
  for (const step of result.steps) lines.push(...formatStep(step))
  return lines
}

function formatStep(step: ScenarioStep): string[] {
  const lines = row('change', step.change)
  const { trace } = step
  if (trace.invocations.length === 0) lines.push(...row('detect', 'not invoked: no rule matched the event'))
  if (trace.findings.length === 0) lines.push(...row('detect', describeQuietVerdict(step)))
  const label = isPutFromOutside(trace) ? 'event' : 'finding'
  for (const finding of trace.findings) {
    // A finding of another account than the harness's own (an organisation's member) says where.
    const where = finding.accountId === E2E_ACCOUNT_ID ? '' : ` (account ${finding.accountId})`
    lines.push(
      ...row(label, `${finding.severity.toUpperCase().padEnd(8)} ${finding.rule}  ${finding.title}${where}`),
    )
    const action = describeAction(trace, finding)
    const detail = describeActionDetail(trace, finding, action)
    const word = detail ? action.replace(/ \(.*\)$/, '') : action
    lines.push(...row('action', detail ? `${word.padEnd(ACTION_WIDTH)} ${detail}` : word))
  }
  for (const notification of trace.notifications) lines.push(...row('notify', notification.subject))
  return lines
}

/**
 * One notification whole, as its e-mail subscriber reads it: the subject, then every line of the
 * message as SNS delivers it, set off by a rule. A line wider than the timeline is broken (at
 * spaces where it has them) and continued under its own indent: nothing is cut.
 */
export function formatWholeNotification(notification: SnsNotification): string[] {
  const rule = `    ${'─'.repeat(LINE_WIDTH - 4)}`
  return [
    '    the notification a subscriber receives for this finding, whole:',
    rule,
    `    Subject: ${notification.subject}`,
    '',
    ...notification.message.split('\n').flatMap(indentWrapped),
    rule,
  ]
}

function indentWrapped(line: string): string[] {
  if (line === '') return ['']
  const indent = `    ${' '.repeat(line.length - line.trimStart().length)}  `
  const [first = '', ...rest] = wrap(line.trimStart(), LINE_WIDTH - indent.length)
  return [
    `    ${line.slice(0, line.length - line.trimStart().length)}${first}`,
    ...rest.map((part) => `${indent}${part}`),
  ]
}

/** The revert written, or why nothing was: the reason is the point of a skipped or refused step. */
function describeActionDetail(trace: PipelineTrace, finding: FindingEventDetail, action: string): string {
  const remediation = findRemediation(trace, finding.id)
  const applied = remediation?.steps[0] ?? finding.plan?.steps[0]
  if (action === 'reverted' && applied) return describeStep(applied)
  if (remediation?.refused) return remediation.reason.replace(/^refused: /, '')
  if (remediation) return remediation.reason
  if (finding.mode === 'enforce' && finding.withheld) return `nothing written: ${finding.withheld}`
  return ''
}

function describeQuietVerdict(step: ScenarioStep): string {
  const verdicts = listDetectVerdicts(step)
  if (verdicts.includes('own-change')) return "own-change: the guard's own write, ignored (no revert loop)"
  if (verdicts.includes('findings')) {
    return 'duplicate delivery: the stored verdict is returned, nothing is judged, reverted or sent again'
  }
  return verdicts.length > 0 ? verdicts.join(', ') : 'no findings'
}

/** A labelled row, wrapped under its text column: a reason is never cut short. */
function row(label: string, text: string): string[] {
  const indent = ' '.repeat(4 + LABEL_WIDTH)
  return wrap(text, LINE_WIDTH - indent.length).map((part, index) =>
    index === 0 ? `    ${label.padEnd(LABEL_WIDTH)}${part}` : `${indent}${part}`,
  )
}

/** Breaks at spaces; a word wider than a line (a JSON document) is cut where the line ends. */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = []
  let line = ''
  for (const word of text.split(' ')) {
    const candidate = line === '' ? word : `${line} ${word}`
    if (candidate.length <= width) {
      line = candidate
    } else if (word.length <= width) {
      lines.push(line)
      line = word
    } else {
      let rest = candidate
      while (rest.length > width) {
        lines.push(rest.slice(0, width))
        rest = rest.slice(width)
      }
      line = rest
    }
  }
  lines.push(line)
  return lines
}

const SEVERITY_ORDER = ['critical', 'high', 'medium', 'low', 'info']

/** One row per scenario: what fired, what the guard did, how many messages went out, how long it took. */
export function formatSummary(results: readonly ScenarioResult[]): string[] {
  // As wide as the timeline above it: the mode is in each scenario's heading, the number in its order.
  const header = ['scenario', 'found', 'most severe', 'action', 'SNS', 'ms']
  const rows = results.map((result) => {
    const traces = result.steps.map((step) => step.trace)
    // A finding event put on the bus from outside is not a finding the guard raised.
    const findings = traces.filter((trace) => !isPutFromOutside(trace)).flatMap((trace) => trace.findings)
    const [top] = [...findings].sort(
      (a, b) => SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity),
    )
    const actions = new Set(
      traces.flatMap((trace) =>
        trace.findings.map((finding) => describeAction(trace, finding).replace(/ \(.*\)$/, '')),
      ),
    )
    for (const step of result.steps) if (step.trace.findings.length === 0) actions.add(labelQuietStep(step))
    return [
      result.scenario.id,
      String(findings.length),
      top ? `${top.severity.toUpperCase()} ${top.rule}` : '-',
      [...actions].join(', '),
      String(traces.reduce((count, trace) => count + trace.notifications.length, 0)),
      String(result.durationMs),
    ]
  })
  return formatTable([header, ...rows], new Set([1, 4, 5]))
}

function labelQuietStep(step: ScenarioStep): string {
  const verdicts = listDetectVerdicts(step)
  if (verdicts.includes('own-change')) return 'ignored'
  if (verdicts.includes('foreign-account')) return 'refused'
  return verdicts.includes('findings') ? 'deduplicated' : 'nothing'
}

function formatTable(rows: readonly string[][], numeric: ReadonlySet<number>): string[] {
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length))) ?? []
  const render = (row: readonly string[]): string =>
    row
      .map((cell, column) => {
        const width = widths[column] ?? 0
        return numeric.has(column) ? cell.padStart(width) : cell.padEnd(width)
      })
      .join('  ')
      .trimEnd()
  const [header, ...body] = rows
  if (!header) return []
  return [render(header), widths.map((width) => '-'.repeat(width)).join('  '), ...body.map(render)]
}
