import type { ReplayReport } from '#shared/pipeline/replay-event.ts'

/** Human-readable replay: the change, what the guard would find, and what it would do. */
export function formatReplayText(report: ReplayReport): string {
  const { change } = report
  const lines = [
    `${change.eventName} ${change.eventId} by ${change.actorArn}${change.failed ? ` (failed: ${change.errorCode ?? 'error'})` : ''}`,
  ]
  if (change.ignored) return `${lines[0]}\nacknowledged without a verdict: ${change.ignored}\n`
  lines.push(`  kind: ${change.kind ?? 'unknown'}; targets: ${change.targets.join(', ') || 'none'}`, '')
  if (report.findings.length === 0) lines.push('No findings: the change keeps Support access as declared.')
  for (const finding of report.findings) {
    lines.push(
      `[${finding.severity.toUpperCase()}] ${finding.rule}: ${finding.title}`,
      `    ${finding.detail}`,
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
    lines.push(verb, ...report.remediation.commands.map((command) => `  ${command}`))
  } else {
    lines.push('No automatic revert.')
  }
  return `${lines.join('\n')}\n`
}
