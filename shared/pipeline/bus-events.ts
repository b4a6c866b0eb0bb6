import type { Finding } from '#shared/findings/finding.ts'
import type { RemediationPlan, RemediationStep } from './remediation-steps.ts'

/** `source` of every event the guard puts on its findings bus. */
export const GUARD_EVENT_SOURCE = 'support-guard'
export const FINDING_DETAIL_TYPE = 'Support Access Finding'
export const REMEDIATION_DETAIL_TYPE = 'Support Access Remediation'

export type GuardMode = 'monitor' | 'enforce'

/** The change that triggered a finding, as findings and notifications show it. */
export interface ChangeSummary {
  readonly eventName: string
  readonly eventId: string
  readonly eventTime: string
  readonly actorArn: string
  readonly sourceIp?: string
  readonly userAgent?: string
  readonly failed: boolean
  readonly errorCode?: string
  readonly targets: readonly string[]
  /** Request parameters that matter to a reader (policy ARN, names, document). */
  readonly parameters: Readonly<Record<string, unknown>>
}

/**
 * Detail of a `Support Access Finding` event: one finding, the mode, the triggering change
 * (absent for scheduled audits) and, when the guard can revert it, the plan. The remediate
 * rule matches `mode: enforce` and `remediation.automatic: true`.
 */
export interface FindingEventDetail extends Finding {
  readonly mode: GuardMode
  readonly change?: ChangeSummary
  readonly plan?: RemediationPlan
}

export type RemediationOutcome = 'reverted' | 'failed' | 'skipped'

/** Detail of a `Support Access Remediation` event. */
export interface RemediationEventDetail {
  readonly findingId: string
  readonly rule: Finding['rule']
  readonly severity: Finding['severity']
  readonly accountId: string
  readonly principalArn: string
  readonly title: string
  readonly outcome: RemediationOutcome
  /** Steps applied (for `reverted`/`failed`, those attempted). */
  readonly steps: readonly RemediationStep[]
  /** Why it was skipped or what failed. */
  readonly reason: string
  readonly error?: string
  readonly change?: ChangeSummary
}

export interface BusEvent {
  readonly detailType: typeof FINDING_DETAIL_TYPE | typeof REMEDIATION_DETAIL_TYPE
  readonly detail: FindingEventDetail | RemediationEventDetail
}
