import { createHash } from 'node:crypto'
import * as z from 'zod'
import { RULE_IDS, SEVERITIES } from '#shared/config/rules.ts'
import { InputError, type InputIssue } from '#shared/errors/input-error.ts'
import { MAX_FAILED_LISTED, MAX_FAILURE_REASON } from './audit-run.ts'
import { remediationPlanSchema, remediationStepSchema } from './remediation-steps.ts'

/**
 * The findings-bus contract: the one schema of each detail type. Every producer (detect,
 * audit, remediate, the CLI's replay) builds these types and every consumer (remediate,
 * notify) parses with these schemas; the types are inferred from them.
 */

/** `source` of every event the guard puts on its findings bus. */
export const GUARD_EVENT_SOURCE = 'support-guard'
export const FINDING_DETAIL_TYPE = 'Support Access Finding'
export const REMEDIATION_DETAIL_TYPE = 'Support Access Remediation'
export const AUDIT_SUMMARY_DETAIL_TYPE = 'Support Access Audit Summary'

export const GUARD_MODES = ['monitor', 'enforce'] as const
export type GuardMode = (typeof GUARD_MODES)[number]

const text = z.string().min(1)

/** The change that triggered a finding, as findings and notifications show it. */
export const changeSummarySchema = z
  .object({
    eventName: text,
    eventId: text,
    eventTime: text,
    actorArn: text,
    sourceIp: z.string().optional(),
    userAgent: z.string().optional(),
    failed: z.boolean(),
    errorCode: z.string().optional(),
    targets: z.array(z.string()).readonly(),
    /** Request parameters that matter to a reader (policy ARN, names, document). */
    parameters: z.record(z.string(), z.unknown()).readonly(),
    /** Roles and users the guard read and judged for this change (every one it reaches). */
    principalsChecked: z.number().int().nonnegative().optional(),
  })
  .readonly()
export type ChangeSummary = z.infer<typeof changeSummarySchema>

const findingFields = {
  id: text,
  rule: z.enum(RULE_IDS),
  severity: z.enum(SEVERITIES),
  accountId: text,
  /** A user, role or policy ARN; null when the finding is about a config pattern that matches nobody. */
  principalArn: text.nullable(),
  title: text,
  detail: z.string(),
  evidence: z.record(z.string(), z.unknown()).readonly(),
  remediation: z.object({ automatic: z.boolean(), steps: z.array(z.string()).readonly() }).readonly(),
}

/**
 * Detail of a `Support Access Finding` event: one finding, the mode, the triggering change
 * (absent for scheduled audits), the revert the guard planned, and, when enforce mode does
 * not apply it, why (`withheld`). The remediate rule matches `mode: enforce` and
 * `remediation.automatic: true`; remediate re-plans on its own and never applies `plan`.
 */
export const findingEventDetailSchema = z
  .object({
    ...findingFields,
    mode: z.enum(GUARD_MODES),
    change: changeSummarySchema.optional(),
    plan: remediationPlanSchema.optional(),
    withheld: z.string().optional(),
  })
  .readonly()
export type FindingEventDetail = z.infer<typeof findingEventDetailSchema>

export const REMEDIATION_OUTCOMES = ['reverted', 'failed', 'skipped'] as const
export type RemediationOutcome = (typeof REMEDIATION_OUTCOMES)[number]

/** Detail of a `Support Access Remediation` event. */
export const remediationEventDetailSchema = z
  .object({
    findingId: text,
    rule: z.enum(RULE_IDS),
    severity: z.enum(SEVERITIES),
    accountId: text,
    principalArn: text.nullable(),
    title: text,
    outcome: z.enum(REMEDIATION_OUTCOMES),
    /** Steps applied (for `reverted`/`failed`, those attempted; for `skipped`, those it would have). */
    steps: z.array(remediationStepSchema).readonly(),
    /** Why it was skipped or what failed. */
    reason: z.string(),
    error: z.string().optional(),
    /** The finding event asked for writes the guard's own plan does not contain: nothing was written. */
    refused: z.boolean().optional(),
    change: changeSummarySchema.optional(),
  })
  .readonly()
export type RemediationEventDetail = z.infer<typeof remediationEventDetailSchema>

const count = z.number().int().nonnegative()

/**
 * Detail of a `Support Access Audit Summary` event: one per audit run of an organisation, put by
 * the worker that recorded the run's last account (see audit-run.ts). Failed accounts are listed
 * up to a cap and counted beyond it, so the event stays far inside EventBridge's 256 KB.
 */
export const auditSummaryEventDetailSchema = z
  .object({
    runId: text.describe('The ID of the audit run, the same in every message of the run.'),
    startedAt: text.describe('When the run was planned (ISO 8601).'),
    finishedAt: text.describe('When the last account of the run was recorded (ISO 8601).'),
    expected: count.describe('Member accounts the run set out to audit.'),
    audited: count.describe('Accounts audited to the end.'),
    failed: z
      .array(
        z
          .object({
            accountId: text.describe('The account that could not be audited.'),
            accountName: z.string().optional().describe('Its name in AWS Organizations, when known.'),
            reason: z
              .string()
              .max(MAX_FAILURE_REASON)
              .describe(`Why it failed, cut to ${MAX_FAILURE_REASON} characters.`),
          })
          .readonly(),
      )
      .max(MAX_FAILED_LISTED)
      .readonly()
      .describe(
        `The first ${MAX_FAILED_LISTED} accounts that could not be audited, in the order they failed.`,
      ),
    failedOmitted: count.describe(
      `Accounts that failed beyond the first ${MAX_FAILED_LISTED}: counted, not listed.`,
    ),
    findingsBySeverity: z
      .record(z.enum(SEVERITIES), count)
      .readonly()
      .describe('Findings of every audited account, by severity; every severity is present.'),
    principals: count.describe('Users and roles judged, over every audited account.'),
  })
  .readonly()
export type AuditSummaryEventDetail = z.infer<typeof auditSummaryEventDetailSchema>

/** An EventBridge event from the guard's findings bus: source and detail-type checked, detail typed. */
export const guardBusEventSchema = z.discriminatedUnion('detail-type', [
  z.object({
    /** EventBridge's ID of this delivery: a retried put gets a new one. */
    id: z.string().min(1).optional(),
    source: z.literal(GUARD_EVENT_SOURCE),
    'detail-type': z.literal(FINDING_DETAIL_TYPE),
    detail: findingEventDetailSchema,
  }),
  z.object({
    id: z.string().min(1).optional(),
    source: z.literal(GUARD_EVENT_SOURCE),
    'detail-type': z.literal(REMEDIATION_DETAIL_TYPE),
    detail: remediationEventDetailSchema,
  }),
  z.object({
    id: z.string().min(1).optional(),
    source: z.literal(GUARD_EVENT_SOURCE),
    'detail-type': z.literal(AUDIT_SUMMARY_DETAIL_TYPE),
    detail: auditSummaryEventDetailSchema,
  }),
])
export type GuardBusEvent = z.infer<typeof guardBusEventSchema>

export interface BusEvent {
  readonly detailType:
    | typeof FINDING_DETAIL_TYPE
    | typeof REMEDIATION_DETAIL_TYPE
    | typeof AUDIT_SUMMARY_DETAIL_TYPE
  readonly detail: FindingEventDetail | RemediationEventDetail | AuditSummaryEventDetail
}

/**
 * Something other than a guard bus event reached a consumer: kept by the dead-letter queue.
 * Each issue names its field (`detail.severity`; empty for the event as a whole).
 */
export class BusEventError extends InputError {
  override readonly name = 'BusEventError'

  constructor(expected: string, issues: readonly InputIssue[], options: { cause?: unknown } = {}) {
    const listed = issues.map((issue) => `${issue.path === '' ? '(event)' : issue.path}: ${issue.message}`)
    super(`not a ${expected} event: ${listed.join('; ')}`, { issues, ...options })
  }
}

/** Validates any findings-bus event (notify's input). @throws BusEventError */
export function parseGuardBusEvent(input: unknown): GuardBusEvent {
  const parsed = guardBusEventSchema.safeParse(input)
  if (!parsed.success) {
    throw new BusEventError('support-guard finding, remediation or audit summary', listIssues(parsed.error), {
      cause: parsed.error,
    })
  }
  return parsed.data
}

/** Validates a `Support Access Finding` event (remediate's input). @throws BusEventError */
export function parseFindingEvent(input: unknown): FindingEventDetail {
  return parseFindingDelivery(input).detail
}

/**
 * A finding event and the key of the work it asks for: a finding raised by a change is one
 * piece of work however often it is put on the bus (detect's retries put it again with a new
 * EventBridge ID); a finding of the scheduled audit is new work on each delivery. The steps the
 * event asks for are part of the key, so an event asking for other writes is judged on its own.
 * @throws BusEventError
 */
export function parseFindingDelivery(input: unknown): {
  readonly key: string
  readonly detail: FindingEventDetail
} {
  const event = parseGuardBusEvent(input)
  if (event['detail-type'] !== FINDING_DETAIL_TYPE)
    throw new BusEventError(FINDING_DETAIL_TYPE, [
      { path: 'detail-type', message: `expected "${FINDING_DETAIL_TYPE}"` },
    ])
  const { detail } = event
  const occasion = detail.change ? `change:${detail.change.eventId}` : event.id && `delivery:${event.id}`
  if (!occasion)
    throw new BusEventError(FINDING_DETAIL_TYPE, [
      { path: 'id', message: 'an audit finding event needs its EventBridge ID' },
    ])
  const asked = createHash('sha256')
    .update(JSON.stringify(detail.plan?.steps ?? []))
    .digest('hex')
    .slice(0, 16)
  return { key: `${detail.accountId}#${detail.id}#${occasion}#steps:${asked}`, detail }
}

function listIssues(error: z.ZodError): readonly InputIssue[] {
  return error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message }))
}
