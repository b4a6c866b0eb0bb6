import type { GuardConfig } from '#shared/config/guard-config.ts'
import { parseChangeEvent } from '#shared/events/parse-change-event.ts'
import type { ChangeKind } from '#shared/events/types.ts'
import { SnapshotReader } from '#shared/snapshot/snapshot-reader.ts'
import type { AccountSnapshot } from '#shared/snapshot/types.ts'
import type { FindingEventDetail } from './bus-events.ts'
import { mutationOfChange } from './change-mutation.ts'
import { judgeChange } from './detect-change.ts'
import { MemoryBaselineStore } from './memory-baseline-store.ts'
import { applyMutation } from './mutate-snapshot.ts'
import { captureProtectedBaselines } from './protected-baselines.ts'
import { describeStep, type RemediationStep } from './remediation-steps.ts'

/** The `replay --format json` document (DESIGN.md §4). */
export interface ReplayReport {
  readonly change: {
    readonly eventName: string
    readonly eventId: string
    readonly actorArn: string
    readonly failed: boolean
    readonly targets: readonly string[]
    readonly kind?: ChangeKind
    readonly errorCode?: string
    readonly ignored?: string
  }
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

/**
 * Dry run of one event against an export: the export is the state before the event (and
 * the baseline of its protected principals); the event is applied in memory and judged by
 * the same code as the detect function. Writes nothing.
 * @throws EventParseError when the event is not a CloudTrail record the guard can read.
 */
export async function replayEvent(
  event: unknown,
  before: AccountSnapshot,
  config: GuardConfig,
): Promise<ReplayReport> {
  const outcome = parseChangeEvent(event)
  if (outcome.status === 'invalid') throw outcome.error
  if (outcome.status === 'ignored') {
    return {
      change: {
        eventName: outcome.eventName ?? 'unknown',
        eventId: outcome.eventId ?? 'unknown',
        actorArn: 'unknown',
        failed: false,
        targets: [],
        ignored: outcome.reason,
      },
      findings: [],
      remediation: null,
    }
  }
  const { change } = outcome
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
      actorArn: change.actorArn,
      failed: change.failed,
      targets: change.targets,
      kind: change.kind,
      ...(change.errorCode ? { errorCode: change.errorCode } : {}),
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
