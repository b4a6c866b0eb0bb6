import { SEVERITIES, type Severity } from '#shared/config/rules.ts'

/**
 * One audit run of an organisation: the planner starts it with the member accounts to audit, each
 * audit worker records the outcome of one account, and the worker that records the last account
 * gets the run's summary to publish. SQS delivers each account's message at least once and the
 * workers run side by side, so the store (`AuditRunStore`) counts each account once and hands the
 * summary to exactly one worker.
 */

/** A member account of the organisation, with its name when Organizations gave one. */
export interface MemberAccount {
  readonly id: string
  readonly name?: string
}

export interface AuditRunPlan {
  readonly runId: string
  /** ISO 8601. */
  readonly startedAt: string
  readonly accounts: readonly MemberAccount[]
}

/** How many findings of each severity: every severity has a count, zero included. */
export type SeverityCounts = Readonly<Record<Severity, number>>

/** What auditing one account came to: audited (what it found), or failed (why). */
export type AccountAuditOutcome =
  | {
      readonly accountId: string
      readonly accountName?: string
      readonly status: 'audited'
      readonly principals: number
      readonly findingsBySeverity: SeverityCounts
    }
  | {
      readonly accountId: string
      readonly accountName?: string
      readonly status: 'failed'
      readonly reason: string
    }

/** An account the run could not audit, and why. */
export interface FailedAccount {
  readonly accountId: string
  readonly accountName?: string
  readonly reason: string
}

/** A run as its recorded accounts leave it: totals over every account recorded so far. */
export interface RunProgress {
  readonly runId: string
  readonly startedAt: string
  /** Distinct accounts the run was started with. */
  readonly expected: number
  readonly audited: number
  /** The first `MAX_FAILED_LISTED` failed accounts, in the order they were recorded. */
  readonly failed: readonly FailedAccount[]
  /** Failed accounts beyond `MAX_FAILED_LISTED`: counted, not listed. */
  readonly failedOmitted: number
  readonly findingsBySeverity: SeverityCounts
  /** Users and roles judged, over every audited account. */
  readonly principals: number
}

/** A finished run, as the summary event carries it. */
export interface AuditRunSummary extends RunProgress {
  /** ISO 8601: when the last account was recorded. */
  readonly finishedAt: string
}

/** Where runs are kept (DynamoDB in the function, memory in tests and the CLI). */
export interface AuditRunStore {
  /** Records the run and how many accounts it expects. Starting a run again keeps it as it was. */
  start(plan: AuditRunPlan): Promise<void>
  /**
   * Counts one account's outcome into the run, once per (run, account): a second record of the
   * same account (SQS delivered its message again) changes nothing and returns the progress as it
   * stands. Failure reasons are cut to `MAX_FAILURE_REASON`, and only the first
   * `MAX_FAILED_LISTED` failures are listed.
   */
  record(runId: string, outcome: AccountAuditOutcome): Promise<RunProgress>
  /** True to exactly one caller at a time per run: that caller publishes the run's summary. */
  claimSummary(runId: string): Promise<boolean>
  /**
   * Gives back a claim whose summary could not be published. Only the caller that holds the claim
   * calls it, at once; the queue's redelivery of that caller's account then claims and publishes.
   * A store gives back only a claim it won and still holds, never one another worker took since.
   */
  releaseSummary(runId: string): Promise<void>
}

/**
 * Limits that keep a summary small however many accounts fail. EventBridge rejects an event over
 * 256 KB and SNS a message over 256 KB; the run item that holds the list in DynamoDB may not pass
 * 400 KB. One listed failure is at most about 1 KB: a reason of 300 characters (up to 900 bytes
 * of UTF-8), an account name (Organizations allows 50 characters), a 12-digit ID and the JSON
 * keys. Fifty of them stay near 50 KB, far inside every limit, and fifty reasons are as many as a
 * person reads: when more accounts fail, the cause is usually shared (a member role missing from
 * a stack set), and the count says how far it reaches.
 */
export const MAX_FAILURE_REASON = 300
export const MAX_FAILED_LISTED = 50

const ELLIPSIS = '...'

/** No findings: every severity at zero. */
export function zeroSeverityCounts(): SeverityCounts {
  return countBySeverity([])
}

/** How many of `findings` have each severity; every severity appears, zero included. */
export function countBySeverity(findings: readonly { readonly severity: Severity }[]): SeverityCounts {
  const counts = Object.fromEntries(SEVERITIES.map((severity) => [severity, 0])) as Record<Severity, number>
  for (const finding of findings) counts[finding.severity] += 1
  return counts
}

/** The sum of two counts, severity by severity. */
export function addSeverityCounts(a: SeverityCounts, b: SeverityCounts): SeverityCounts {
  return Object.fromEntries(SEVERITIES.map((severity) => [severity, a[severity] + b[severity]])) as Record<
    Severity,
    number
  >
}

/** How many distinct accounts a plan names: an account listed twice is still audited once. */
export function countPlannedAccounts(plan: AuditRunPlan): number {
  return new Set(plan.accounts.map((account) => account.id)).size
}

/** A reason no longer than `MAX_FAILURE_REASON`, cut with `...` and never inside a character. */
export function cutReason(reason: string): string {
  if (reason.length <= MAX_FAILURE_REASON) return reason
  const cut = reason.slice(0, MAX_FAILURE_REASON - ELLIPSIS.length).replace(/[\uD800-\uDBFF]$/u, '')
  return `${cut}${ELLIPSIS}`
}

/** The failed account as a run lists it: its reason cut to `MAX_FAILURE_REASON`. */
export function failureOf(outcome: Extract<AccountAuditOutcome, { status: 'failed' }>): FailedAccount {
  return {
    accountId: outcome.accountId,
    ...(outcome.accountName === undefined ? {} : { accountName: outcome.accountName }),
    reason: cutReason(outcome.reason),
  }
}

/** A run that has no account recorded yet. */
export function startProgress(plan: AuditRunPlan): RunProgress {
  return {
    runId: plan.runId,
    startedAt: plan.startedAt,
    expected: countPlannedAccounts(plan),
    audited: 0,
    failed: [],
    failedOmitted: 0,
    findingsBySeverity: zeroSeverityCounts(),
    principals: 0,
  }
}

/**
 * The progress with one more account counted. Pure: whether the account was counted before is
 * the store's question, answered before it calls this.
 */
export function addOutcome(progress: RunProgress, outcome: AccountAuditOutcome): RunProgress {
  if (outcome.status === 'audited') {
    return {
      ...progress,
      audited: progress.audited + 1,
      principals: progress.principals + outcome.principals,
      findingsBySeverity: addSeverityCounts(progress.findingsBySeverity, outcome.findingsBySeverity),
    }
  }
  return progress.failed.length < MAX_FAILED_LISTED
    ? { ...progress, failed: [...progress.failed, failureOf(outcome)] }
    : { ...progress, failedOmitted: progress.failedOmitted + 1 }
}

/** Accounts recorded so far, audited or failed. */
export function countRecorded(progress: RunProgress): number {
  return progress.audited + progress.failed.length + progress.failedOmitted
}

/** True once every account the run expects has been recorded. */
export function isRunComplete(progress: RunProgress): boolean {
  return countRecorded(progress) >= progress.expected
}

/**
 * Records one account's outcome and, when that completes the run, claims the run's summary.
 * Returns the summary to the one caller whose claim succeeded, `undefined` to every other caller
 * (the run is not complete, or another worker holds the summary). Several workers may see the run
 * complete at once (each read its progress after its own record); the claim picks one of them.
 * A redelivered last message records nothing new but still finds the run complete, so a worker
 * that failed between recording and claiming is covered by the redelivery.
 */
export async function finishAccount(
  store: AuditRunStore,
  runId: string,
  outcome: AccountAuditOutcome,
  now: () => Date,
): Promise<AuditRunSummary | undefined> {
  const bounded = outcome.status === 'failed' ? { ...outcome, reason: cutReason(outcome.reason) } : outcome
  const progress = await store.record(runId, bounded)
  if (!isRunComplete(progress)) return undefined
  if (!(await store.claimSummary(runId))) return undefined
  return { ...progress, finishedAt: now().toISOString() }
}
