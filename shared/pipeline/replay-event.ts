import type { GuardConfig } from '#shared/config/guard-config.ts'
import { omitUndefined } from '#shared/events/omit-undefined.ts'
import {
  parseChangeEvent,
  type RecordSummary,
  summarizeCloudTrailRecord,
} from '#shared/events/parse-change-event.ts'
import type { ChangeKind, IgnoreReason } from '#shared/events/types.ts'
import { SnapshotReader } from '#shared/snapshot/snapshot-reader.ts'
import type { AccountSnapshot } from '#shared/snapshot/types.ts'
import type { FindingEventDetail } from './bus-events.ts'
import { mutationOfChange } from './change-mutation.ts'
import { judgeChange } from './detect-change.ts'
import { MemoryBaselineStore } from './memory-baseline-store.ts'
import { applyMutation } from './mutate-snapshot.ts'
import { captureProtectedBaselines } from './protected-baselines.ts'
import { describeStep, type RemediationStep } from './remediation-steps.ts'

/** The `change` of the replay report: what the record says of itself, and how the guard classified it. */
export interface ReplayedChange extends RecordSummary {
  readonly eventName: string
  readonly eventId: string
  /** The record has no `eventID`: `eventId` was derived from its content. */
  readonly eventIdDerived?: true
  readonly targets: readonly string[]
  readonly kind?: ChangeKind
  /** Why the guard acknowledges the event without a verdict. */
  readonly ignored?: IgnoreReason
}

/** The `replay --format json` document (docs/contracts.md#replay-json). */
export interface ReplayReport {
  readonly change: ReplayedChange
  readonly findings: readonly FindingEventDetail[]
  readonly remediation: {
    readonly mode: GuardConfig['mode']
    readonly wouldApply: boolean
    readonly reason: string
    /** Why enforce mode would leave the finding alone (not an enforced rule, neverModify, …). */
    readonly withheld?: string
    readonly steps: readonly RemediationStep[]
    readonly commands: readonly string[]
  } | null
}

/** The event was recorded in another account than the export's: judging one by the other means nothing. */
export class AccountMismatchError extends Error {
  override readonly name = 'AccountMismatchError'
}

/** What parse-snapshot names an export whose account it cannot tell: nothing to compare with. */
const UNKNOWN_ACCOUNT = '000000000000'

/**
 * Dry run of one event against an export: the export is the state before the event (and
 * the baseline of its protected principals); the event is applied in memory and judged by
 * the same code as the detect function. Writes nothing. A record without `eventID` is
 * replayed under an ID derived from its content (`change.eventIdDerived`).
 * @throws EventParseError when the event is not a CloudTrail record the guard can read.
 * @throws AccountMismatchError when the event names another account than the export's.
 */
export async function replayEvent(
  event: unknown,
  before: AccountSnapshot,
  config: GuardConfig,
): Promise<ReplayReport> {
  const outcome = parseChangeEvent(event, { missingEventId: 'derive' })
  if (outcome.status === 'invalid') throw outcome.error
  const derived = outcome.eventIdDerived ? ({ eventIdDerived: true } as const) : {}
  if (outcome.status === 'ignored') {
    const summary = summarizeCloudTrailRecord(event)
    checkAccount(summary?.accountId, before)
    return {
      // The summary holds only the fields the record carries (never empty), so absent stays absent.
      change: omitUndefined({
        eventName: outcome.eventName ?? 'unknown',
        eventId: outcome.eventId ?? 'unknown',
        ...derived,
        eventSource: summary?.eventSource,
        eventTime: summary?.eventTime,
        accountId: summary?.accountId,
        actorArn: summary?.actorArn ?? 'unknown',
        failed: summary?.failed ?? false,
        errorCode: summary?.errorCode,
        targets: [],
        ignored: outcome.reason,
      }),
      findings: [],
      remediation: null,
    }
  }
  const { change } = outcome
  checkAccount(change.accountId, before)
  const mutation = mutationOfChange(change)
  const after = mutation ? applyMutation(before, mutation) : before
  const { findings } = await judgeChange(change, {
    reader: new SnapshotReader(after),
    baselines: new MemoryBaselineStore(
      captureProtectedBaselines(before, config, { recordedAt: change.eventTime, source: 'snapshot' }),
    ),
    config,
    mode: config.mode,
    now: () => new Date(change.eventTime),
  })
  const owner =
    findings.find((finding) => finding.plan !== undefined && finding.remediation.automatic) ??
    findings.find((finding) => finding.plan !== undefined)
  const planned = owner?.plan
  return {
    change: {
      eventName: change.eventName,
      eventId: change.eventId,
      ...derived,
      eventSource: change.eventSource,
      eventTime: change.eventTime,
      accountId: change.accountId,
      actorArn: change.actorArn,
      failed: change.failed,
      ...(change.errorCode ? { errorCode: change.errorCode } : {}),
      targets: change.targets,
      kind: change.kind,
    },
    findings,
    remediation: planned
      ? {
          mode: config.mode,
          wouldApply: config.mode === 'enforce' && owner?.withheld === undefined,
          reason: planned.reason,
          ...(owner?.withheld ? { withheld: owner.withheld } : {}),
          steps: planned.steps,
          commands: planned.steps.map(describeStep),
        }
      : null,
  }
}

function checkAccount(eventAccount: string | undefined, before: AccountSnapshot): void {
  if (eventAccount === undefined || before.accountId === UNKNOWN_ACCOUNT) return
  if (eventAccount !== before.accountId)
    throw new AccountMismatchError(
      `event is from account ${eventAccount}, the snapshot is of account ${before.accountId}`,
    )
}
