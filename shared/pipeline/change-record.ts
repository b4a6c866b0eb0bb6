import type { Mutation } from './mutate-snapshot.ts'
import type { RemediationStep } from './remediation-steps.ts'

/**
 * What detect learnt from one CloudTrail event whose finding it asked enforce mode to revert:
 * the change as a mutation, read from the record EventBridge delivered on the default bus
 * (where only AWS services can put `aws.*` events). Remediate re-plans from this record and
 * never from the finding event, which anyone allowed to put events on a bus could forge.
 */
export interface ChangeRecord {
  readonly accountId: string
  readonly eventId: string
  readonly eventName: string
  readonly eventTime: string
  readonly actorArn: string
  readonly mutation: Mutation
  /** The findings whose revert answers this change. */
  readonly findingIds: readonly string[]
  /**
   * The steps detect planned. Never applied from here: remediate applies only what it re-plans;
   * a finding event asking for these is not a forgery even when the state has moved on since.
   */
  readonly plannedSteps: readonly RemediationStep[]
  readonly recordedAt: string
}

/** Change records, written by detect only, read by remediate. */
export interface ChangeRecordStore {
  putChange(record: ChangeRecord): Promise<void>
  getChange(accountId: string, eventId: string): Promise<ChangeRecord | undefined>
}
