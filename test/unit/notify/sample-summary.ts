import type { AuditSummaryEventDetail } from '#shared/pipeline/bus-events.ts'

export const ZERO = { critical: 0, high: 0, medium: 0, low: 0, info: 0 }

/** The summary of a run of twelve accounts: eleven audited, one failed. */
export function makeSummaryDetail(overrides: Partial<AuditSummaryEventDetail> = {}): AuditSummaryEventDetail {
  return {
    runId: 'run-2026-11-29',
    startedAt: '2026-11-29T10:00:00.000Z',
    finishedAt: '2026-11-29T10:07:30.000Z',
    expected: 12,
    audited: 11,
    failed: [
      {
        accountId: '111122223333',
        accountName: 'workload-prod',
        reason: 'AccessDenied: not authorized to perform sts:AssumeRole on SupportGuardMemberRole',
      },
    ],
    failedOmitted: 0,
    findingsBySeverity: { ...ZERO, critical: 3, high: 5 },
    principals: 240,
    ...overrides,
  }
}
