import { SEVERITIES, type Severity } from '#shared/config/rules.ts'
import { AUDIT_SUMMARY_DETAIL_TYPE, type AuditSummaryEventDetail } from '#shared/pipeline/bus-events.ts'
import { accountLabel } from './account-label.ts'
import { assembleNotification } from './build-chatbot-message.ts'
import { makeSubject } from './make-subject.ts'
import type { Notification } from './notification.ts'
import { renderProse } from './render-values.ts'
import { bullets, type Section } from './sections.ts'

/** The `rule` attribute of a summary, so a subscription can take or leave summaries. */
export const AUDIT_SUMMARY_RULE = 'AUDIT_SUMMARY'

/**
 * The one notification of an organisation's audit run: how many accounts it audited, what it found
 * by severity, and every account it could not audit with its name and why. Each finding of the run
 * has its own notification; this one is the run as a whole, so a reader sees at once whether every
 * account was looked at.
 */
export function formatAuditSummaryNotification(detail: AuditSummaryEventDetail): Notification {
  const subject = makeSubject(`Support Access Guard: ${describeRun(detail)}`)
  const failedCount = detail.failed.length + detail.failedOmitted
  const sections: Section[] = [
    {
      heading: 'Accounts',
      lines: [
        `Expected: ${detail.expected}`,
        `Audited:  ${detail.audited}`,
        `Failed:   ${failedCount}`,
        `Users and roles judged: ${detail.principals}`,
      ],
    },
    {
      heading: 'Findings by severity',
      lines: SEVERITIES.map((severity) => `${severity}: ${detail.findingsBySeverity[severity]}`),
    },
    ...(failedCount === 0 ? [] : [describeFailures(detail)]),
    {
      heading: 'Run',
      lines: [`Run: ${detail.runId}`, `Started:  ${detail.startedAt}`, `Finished: ${detail.finishedAt}`],
    },
  ]
  const nextSteps = [
    ...(countFindings(detail) > 0
      ? ['Each finding of this run was sent in a notification of its own: act on those first.']
      : []),
    ...(failedCount > 0
      ? [
          'Fix what kept the failed accounts from being audited (the reason of each); the next scheduled run audits them again.',
        ]
      : []),
  ]
  const attributes = { severity: topSeverity(detail), rule: AUDIT_SUMMARY_RULE, outcome: 'summary' as const }
  return assembleNotification({
    subject,
    sections,
    attributes,
    nextSteps,
    keywords: ['audit-summary', attributes.severity],
    threadId: `audit-run#${detail.runId}`,
    eventType: AUDIT_SUMMARY_DETAIL_TYPE,
    relatedResources: [],
    additionalContext: {
      ...attributes,
      runId: detail.runId,
      expected: String(detail.expected),
      audited: String(detail.audited),
      failed: String(failedCount),
    },
  })
}

/** `audit of 12 accounts: 3 critical, 5 high; 1 account failed`, counts of zero left out. */
function describeRun(detail: AuditSummaryEventDetail): string {
  const found = SEVERITIES.filter((severity) => detail.findingsBySeverity[severity] > 0).map(
    (severity) => `${detail.findingsBySeverity[severity]} ${severity}`,
  )
  const failed = detail.failed.length + detail.failedOmitted
  const findings = found.length > 0 ? found.join(', ') : 'no findings'
  const failures = failed > 0 ? `; ${plural(failed, 'account')} failed` : ''
  return `audit of ${plural(detail.expected, 'account')}: ${findings}${failures}`
}

function describeFailures(detail: AuditSummaryEventDetail): Section {
  const listed = detail.failed.map(
    (failure) => `${accountLabel(failure.accountId, failure.accountName)}: ${renderProse(failure.reason)}`,
  )
  const omitted =
    detail.failedOmitted > 0
      ? [`...and ${plural(detail.failedOmitted, 'more account')} that failed, not listed.`]
      : []
  return { heading: 'Accounts not audited', lines: [...bullets(listed), ...omitted] }
}

/**
 * The most severe severity the run found, for subscriptions that filter on `severity`; `info`
 * when it found nothing, so a run with no findings reaches only those who asked for everything.
 */
function topSeverity(detail: AuditSummaryEventDetail): Severity {
  return SEVERITIES.find((severity) => detail.findingsBySeverity[severity] > 0) ?? 'info'
}

function countFindings(detail: AuditSummaryEventDetail): number {
  return SEVERITIES.reduce((total, severity) => total + detail.findingsBySeverity[severity], 0)
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`
}
