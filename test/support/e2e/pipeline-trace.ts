import type {
  AuditSummaryEventDetail,
  FindingEventDetail,
  RemediationEventDetail,
} from '#shared/pipeline/bus-events.ts'
import {
  FINDING_DETAIL_TYPE,
  guardBusEventSchema,
  REMEDIATION_DETAIL_TYPE,
} from '#shared/pipeline/bus-events.ts'

/** One handler invocation the harness made, and what the handler returned. */
export interface Invocation {
  readonly functionId: string
  readonly trigger: 'cloudtrail' | 'schedule' | 'findings-bus' | 'audit-queue'
  readonly result: unknown
  /**
   * The IAM API actions the function called during this invocation, in order, as the emulator
   * received them: the functions run one at a time, so every IAM request in between is theirs.
   */
  readonly iamCalls: readonly string[]
}

/** An SNS notification as the subscribed queue received it (the SNS JSON envelope, unwrapped). */
export interface SnsNotification {
  /** SNS's ID of the message: the same on a redelivery of one message by the subscriber queue. */
  readonly messageId?: string
  readonly subject: string
  readonly message: string
  /** `MessageAttributes` by name (`severity`, `rule`, `outcome`), string values. */
  readonly attributes: Readonly<Record<string, string>>
}

/** Everything one delivery set off: invocations in order, the bus events, the notifications. */
export interface PipelineTrace {
  readonly invocations: Invocation[]
  readonly findings: FindingEventDetail[]
  readonly remediations: RemediationEventDetail[]
  /** Summaries of organisation audit runs. */
  readonly auditSummaries: AuditSummaryEventDetail[]
  readonly notifications: SnsNotification[]
}

export function createTrace(): PipelineTrace {
  return { invocations: [], findings: [], remediations: [], auditSummaries: [], notifications: [] }
}

/** Appends traces in order (a scenario may deliver several events). */
export function mergeTraces(traces: readonly PipelineTrace[]): PipelineTrace {
  return {
    invocations: traces.flatMap((trace) => trace.invocations),
    findings: traces.flatMap((trace) => trace.findings),
    remediations: traces.flatMap((trace) => trace.remediations),
    auditSummaries: traces.flatMap((trace) => trace.auditSummaries),
    notifications: traces.flatMap((trace) => trace.notifications),
  }
}

/** Records a findings-bus event, checked against the schema the notify function validates with. */
export function recordBusEvent(trace: PipelineTrace, event: unknown): void {
  const parsed = guardBusEventSchema.parse(event)
  if (parsed['detail-type'] === FINDING_DETAIL_TYPE) trace.findings.push(parsed.detail)
  else if (parsed['detail-type'] === REMEDIATION_DETAIL_TYPE) trace.remediations.push(parsed.detail)
  else trace.auditSummaries.push(parsed.detail)
}

/**
 * Reads one SQS body of the topic's subscriber queue. Without raw message delivery SNS wraps
 * the message in a JSON envelope with `Subject`, `Message` and `MessageAttributes`
 * (`{ name: { Type, Value } }`).
 */
export function parseSnsEnvelope(body: string): SnsNotification {
  const envelope: unknown = JSON.parse(body)
  if (!isRecord(envelope) || envelope.Type !== 'Notification' || typeof envelope.Message !== 'string') {
    throw new Error(`not an SNS notification envelope: ${body.slice(0, 200)}`)
  }
  const attributes: Record<string, string> = {}
  const raw = isRecord(envelope.MessageAttributes) ? envelope.MessageAttributes : {}
  for (const [name, value] of Object.entries(raw)) {
    if (isRecord(value) && typeof value.Value === 'string') attributes[name] = value.Value
  }
  return {
    ...(typeof envelope.MessageId === 'string' ? { messageId: envelope.MessageId } : {}),
    subject: typeof envelope.Subject === 'string' ? envelope.Subject : '',
    message: envelope.Message,
    attributes,
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
