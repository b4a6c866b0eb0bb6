import { formatDeliveryStats } from './delivery-stats.ts'
import { formatFaultsByService } from './fault-tally.ts'
import { type CampaignReport, sampleFates } from './phase-campaign.ts'

/** The short breakdown printed under the summary line, each line indented by two spaces. */
export function formatCampaignBreakdown(report: CampaignReport): string[] {
  const { options, figures } = report
  const requests = Object.entries(report.tallies)
  const totalRequests = requests.reduce((sum, [, tally]) => sum + tally.requests, 0)
  const sdkRetries = requests.reduce((sum, [, tally]) => sum + tally.sdkRetries, 0)
  const lines = [
    `mode ${options.mode}, seed ${options.seed}, fault rate ${options.faultRate}, function timeout ${options.timeoutMs} ms, ${options.concurrency} environments per function`,
    `kinds: ${formatCounts(report.kinds)}`,
    `faults by service: ${formatFaultsByService(report.tallies)}`,
    `requests by the functions: ${totalRequests} (${requests.map(([service, tally]) => `${service} ${tally.requests}`).join(', ')}); SDK retries ${sdkRetries}`,
    `invocations: ${formatDeliveryStats(report.functions)}`,
    `most frequent errors: ${report.errors.length === 0 ? 'none' : report.errors.join('; ')}`,
    `notifications: ${report.notifications} (${formatCounts(report.outcomes)}); flagged possibleRepeat ${report.possibleRepeats}; repeated without the mark ${report.unmarkedRepeats}${report.unmarkedRepeatIds.length > 0 ? ` (${report.unmarkedRepeatIds.join(', ')})` : ''}; without notificationId ${report.withoutNotificationId}; redelivered by the subscriber queue ${report.queueRedeliveries} (not counted)`,
    `IAM writes by the guard: ${report.guardWrites.operations} (${report.guardWrites.requests} requests); principals written more than once: ${report.writtenTwice.length}`,
  ]
  if (options.mode === 'enforce') {
    lines.push(
      `reverts announced but never reported (no remediation message, no dead letter): ${figures.remediationSilent}`,
    )
  }
  const lost = sampleFates(report.fates, 'lost')
  if (lost.length > 0) lines.push(`lost, first ${lost.length}: ${lost.join('; ')}`)
  const silent = sampleFates(report.fates, 'silent')
  if (silent.length > 0) lines.push(`silent reverts, first ${silent.length}: ${silent.join('; ')}`)
  const letters = report.fates.flatMap((fate) =>
    fate.deadLetters.map((letter) => `${fate.event.eventId} ${letter.functionId}: ${letter.lastError}`),
  )
  if (letters.length > 0) {
    lines.push(
      `dead letters, first ${Math.min(3, letters.length)} of ${letters.length}: ${letters.slice(0, 3).join('; ')}`,
    )
  }
  lines.push(`wall time ${(report.wallMs / 1000).toFixed(1)} s`)
  return lines.map((line) => `  ${line}`)
}

function formatCounts(counts: Readonly<Record<string, number>>): string {
  return Object.entries(counts)
    .map(([name, count]) => `${name} ${count}`)
    .join(', ')
}
