import type { IgnoreReason } from '#shared/events/types.ts'
import type { ReplayReport } from '#shared/pipeline/replay-event.ts'
import { describeSubject } from './format-text.ts'
import {
  accountHeader,
  breakWord,
  fitLines,
  shortenArns,
  type TextLayout,
  wrapIndented,
} from './text-layout.ts'

/** Why an event got no verdict, in words; a reason added later reads by its name alone. */
const NOT_JUDGED: Readonly<Partial<Record<IgnoreReason, string>>> = {
  'not-cloudtrail': 'a call of a service the guard does not watch',
  'read-only': 'a read, which changes nothing',
  'unknown-event': 'a call the guard does not classify: it cannot change Support access',
}

/**
 * Human-readable replay, laid out to `layout`: the event (who, when, whether it failed), what
 * the guard would find, and what it would do. The revert commands keep full ARNs.
 */
export function formatReplayText(report: ReplayReport, accountId: string, layout: TextLayout): string {
  const { change } = report
  const short = (text: string) => shortenArns(text, layout)
  const lines = [
    ...wrapIndented(accountHeader(accountId, layout), layout, ''),
    ...wrapIndented(`${change.eventName} ${change.eventId} by ${short(change.actorArn)}`, layout, '', '  '),
    ...wrapIndented(
      `${change.eventTime ? `at ${change.eventTime}; ` : ''}${change.failed ? `failed: ${change.errorCode ?? 'error'}` : 'succeeded'}`,
      layout,
      '  ',
    ),
  ]
  if (change.eventIdDerived)
    lines.push(
      ...wrapIndented(
        `the record has no eventID: ${change.eventId} is derived from its content`,
        layout,
        '  ',
        '    ',
      ),
    )
  if (change.ignored) {
    const why = NOT_JUDGED[change.ignored]
    const reason = why ? `${why} (${change.ignored})` : change.ignored
    lines.push(...wrapIndented(`not judged: ${reason}`, layout, '  ', '    '))
    return `${fitLines(lines, layout).join('\n')}\n`
  }
  lines.push(
    ...wrapIndented(
      `kind: ${change.kind ?? 'unknown'}; targets: ${change.targets.map(short).join(', ') || 'none'}`,
      layout,
      '  ',
      '    ',
    ),
    '',
  )
  if (report.findings.length === 0) lines.push('No findings: the change keeps Support access as declared.')
  for (const finding of report.findings) {
    const rule = `[${finding.severity.toUpperCase()}] ${finding.rule}`
    const subject = describeSubject(finding, layout)
    const heading = `${rule}  ${subject}`
    lines.push(
      ...(heading.length <= layout.width ? [heading] : [rule, ...wrapIndented(subject, layout, '    ')]),
      ...wrapIndented(short(finding.title), layout, '    '),
      ...wrapIndented(short(finding.detail), layout, '      '),
    )
  }
  lines.push('')
  if (report.remediation) {
    const { withheld } = report.remediation
    const verb = withheld
      ? `Enforce mode leaves it alone (${withheld}); the revert it would otherwise take:`
      : report.remediation.wouldApply
        ? 'The guard would revert it (enforce mode):'
        : 'In enforce mode the guard would revert it (monitor mode: nothing written):'
    lines.push(...wrapIndented(short(verb), layout, ''))
    for (const command of report.remediation.commands) lines.push(...wrapCommand(command, layout))
  } else {
    lines.push('No automatic revert.')
  }
  return `${fitLines(lines, layout).join('\n')}\n`
}

/**
 * A shell command that fits the width: broken between arguments with ` \` continuations, a
 * quoted JSON document printed over several lines (the shell keeps the line breaks inside the
 * quotes, and JSON reads them as spaces). Full ARNs, as the shell needs them.
 */
function wrapCommand(command: string, layout: TextLayout): string[] {
  const first = '  '
  const rest = '      '
  if (!Number.isFinite(layout.width) || first.length + command.length <= layout.width)
    return [`${first}${command}`]
  const lines: string[] = []
  let line = first
  const room = layout.width - ' \\'.length
  for (const token of splitArguments(command)) {
    const pieces = token.length > room - rest.length ? spreadDocument(token) : [token]
    const [head = '', ...tail] = pieces
    if (line.trim() && line.length + 1 + head.length > room) {
      lines.push(`${line} \\`)
      line = rest
    }
    line = line.trim() ? `${line} ${head}` : `${line}${head}`
    for (const piece of tail) {
      lines.push(line)
      line = `${rest}${piece}`
    }
  }
  lines.push(line)
  return lines.flatMap((text) => (text.length <= layout.width ? [text] : breakWord(text, layout.width)))
}

/** Splits a command at spaces outside single quotes. */
function splitArguments(command: string): string[] {
  return command.match(/(?:'[^']*'|[^\s'])+/g) ?? [command]
}

/** `'{…}'` as the lines of its pretty-printed JSON, still inside the quotes; any other token as is. */
function spreadDocument(token: string): string[] {
  if (!token.startsWith("'{") || !token.endsWith("}'")) return [token]
  try {
    const pretty = JSON.stringify(JSON.parse(token.slice(1, -1)), null, 2).split('\n')
    return pretty.map(
      (line, index) => `${index === 0 ? "'" : ''}${line}${index === pretty.length - 1 ? "'" : ''}`,
    )
  } catch {
    // Not JSON after all: printed as it is, broken only where the width forces it.
    return [token]
  }
}
