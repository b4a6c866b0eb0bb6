import { describe, expect, it } from 'vitest'
import { formatAuditSummaryNotification } from '#shared/notify/format-audit-summary.ts'
import { selectMessage } from '#shared/notify/format-mode.ts'
import { makeSummaryDetail, ZERO } from './sample-summary.ts'

describe('formatAuditSummaryNotification', () => {
  it('says in the subject how many accounts, what was found and how many failed', () => {
    const notification = formatAuditSummaryNotification(makeSummaryDetail())
    expect(notification.subject).toBe(
      'Support Access Guard: audit of 12 accounts: 3 critical, 5 high; 1 account failed',
    )
    expect(notification.attributes).toEqual({
      severity: 'critical',
      rule: 'AUDIT_SUMMARY',
      outcome: 'summary',
    })
  })

  it('says when nothing was found and nothing failed', () => {
    const notification = formatAuditSummaryNotification(
      makeSummaryDetail({ expected: 1, audited: 1, failed: [], findingsBySeverity: ZERO }),
    )
    expect(notification.subject).toBe('Support Access Guard: audit of 1 account: no findings')
    expect(notification.attributes.severity).toBe('info')
    expect(notification.body).not.toContain('Accounts not audited')
  })

  it('lists the accounts, the findings by severity and each failed account with its name and reason', () => {
    const { body } = formatAuditSummaryNotification(makeSummaryDetail())
    expect(body).toContain(
      ['Accounts', '  Expected: 12', '  Audited:  11', '  Failed:   1', '  Users and roles judged: 240'].join(
        '\n',
      ),
    )
    expect(body).toContain(
      ['Findings by severity', '  critical: 3', '  high: 5', '  medium: 0', '  low: 0', '  info: 0'].join(
        '\n',
      ),
    )
    expect(body).toContain(
      [
        'Accounts not audited',
        '  - 111122223333 (workload-prod): AccessDenied: not authorized to perform sts:AssumeRole on SupportGuardMemberRole',
      ].join('\n'),
    )
    expect(body).toContain('Run: run-2026-11-29')
    expect(body).toContain('Finished: 2026-11-29T10:07:30.000Z')
  })

  it('counts the failures it does not list', () => {
    const notification = formatAuditSummaryNotification(
      makeSummaryDetail({
        audited: 2,
        failed: [
          { accountId: '111122223333', reason: 'timed out' },
          { accountId: '444455556666', accountName: 'sandbox', reason: 'AccessDenied' },
        ],
        failedOmitted: 8,
      }),
    )
    expect(notification.subject).toBe(
      'Support Access Guard: audit of 12 accounts: 3 critical, 5 high; 10 accounts failed',
    )
    expect(notification.body).toContain(
      [
        '  - 111122223333: timed out',
        '  - 444455556666 (sandbox): AccessDenied',
        '  ...and 8 more accounts that failed, not listed.',
      ].join('\n'),
    )
  })

  it('builds one chat notification for the run', () => {
    const notification = formatAuditSummaryNotification(makeSummaryDetail())
    const chat = JSON.parse(selectMessage(notification, 'chatbot'))
    expect(chat).toMatchObject({
      version: '1.0',
      source: 'custom',
      content: {
        textType: 'client-markdown',
        title: 'Support Access Guard: audit of 12 accounts: 3 critical, 5 high; 1 account failed',
        keywords: ['audit-summary', 'critical'],
      },
      metadata: {
        threadId: 'audit-run#run-2026-11-29',
        eventType: 'Support Access Audit Summary',
        relatedResources: [],
        additionalContext: {
          severity: 'critical',
          rule: 'AUDIT_SUMMARY',
          outcome: 'summary',
          runId: 'run-2026-11-29',
          expected: '12',
          audited: '11',
          failed: '1',
        },
      },
    })
    expect(chat.content.description).toContain(
      '- 111122223333 (workload-prod): AccessDenied: not authorized to perform sts:AssumeRole',
    )
    expect(chat.content.description).toContain('critical: 3')
    expect(chat.content.nextSteps).toEqual([
      'Each finding of this run was sent in a notification of its own: act on those first.',
      'Fix what kept the failed accounts from being audited (the reason of each); the next scheduled run audits them again.',
    ])
    expect(selectMessage(notification, 'text')).toBe(notification.body)
  })
})
