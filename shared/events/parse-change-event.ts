import { createHash } from 'node:crypto'
import type * as z from 'zod'
import { findCatalogAction } from '#shared/catalog/catalog.ts'
import { findChangeKind, HANDLED_EVENT_SOURCES } from './change-kinds.ts'
import { classifyChange } from './classify-change.ts'
import { changeRecordSchema, recordHeaderSchema, recordSummarySchema } from './cloudtrail-record-schema.ts'
import { type LocatedRecord, locateCloudTrailRecord } from './locate-cloudtrail-record.ts'
import { readActor } from './read-actor.ts'
import { EventParseError, type ParseOutcome } from './types.ts'

export interface ParseOptions {
  /**
   * A record without `eventID`: `reject` it (the default; the detect function keys its
   * idempotency and change records on the ID, and CloudTrail always writes one), or `derive`
   * a stable ID from the record's content, `derived-<sha256 prefix of its canonical JSON>`,
   * for dry runs of records written or trimmed by hand.
   */
  readonly missingEventId?: 'reject' | 'derive'
}

/** A parse outcome; `eventIdDerived` says the `derive` option supplied the event ID. */
export type ParsedEvent = ParseOutcome & { readonly eventIdDerived?: true }

/**
 * Parses and classifies one event. Accepts an EventBridge event (`detail-type: AWS API Call
 * via CloudTrail`), a bare CloudTrail record, or `aws cloudtrail lookup-events` output (its
 * first event). Never throws: bad input is `invalid` with the path of the offending field.
 *
 * - `ignored` / `not-cloudtrail`: not a CloudTrail API call, or a source the guard does not
 *   watch (`HANDLED_EVENT_SOURCES`).
 * - `ignored` / `read-only`: a read (Read or List access level) the guard does not classify.
 * - `ignored` / `unknown-event`: any other call of those sources, including names that are not
 *   actions of the watched services at all.
 * - `change`: a classified call, failed or not. Only these need an `eventID`, an ISO 8601
 *   `eventTime` and an account, and, when the call succeeded, its `requestParameters`; ignored
 *   records are acknowledged without those checks. With `missingEventId: 'derive'` a record
 *   without `eventID` gets one derived from its content, and the outcome says so.
 */
export function parseChangeEvent(input: unknown, options: ParseOptions = {}): ParsedEvent {
  const located = locateCloudTrailRecord(input)
  if (located.status !== 'record') return located
  if (options.missingEventId !== 'derive' || !isMissing(located.record.eventID)) return parseRecord(located)
  const eventID = deriveEventId(located.record)
  const outcome = parseRecord({ ...located, record: { ...located.record, eventID } })
  return outcome.status === 'invalid' ? outcome : { ...outcome, eventIdDerived: true }
}

function parseRecord(located: LocatedRecord): ParseOutcome {
  const header = recordHeaderSchema.safeParse(located.record)
  if (!header.success) return invalidRecord(header.error, located.path)
  const { eventSource, eventName, eventID } = header.data
  const ignored = { status: 'ignored', eventName, ...(eventID ? { eventId: eventID } : {}) } as const
  if (!HANDLED_EVENT_SOURCES.has(eventSource)) return { ...ignored, reason: 'not-cloudtrail' }

  const kind = findChangeKind(eventSource, eventName)
  if (!kind) {
    const reason = isKnownRead(eventSource, eventName) ? 'read-only' : 'unknown-event'
    return { ...ignored, reason }
  }

  const parsed = changeRecordSchema.safeParse(located.record)
  if (!parsed.success) return invalidRecord(parsed.error, located.path)
  const record = parsed.data
  // A call that succeeded changed something; without its parameters the guard cannot tell what.
  if (!record.errorCode && !record.requestParameters) {
    const path = joinPath(located.path, ['requestParameters'])
    return invalid(
      `unreadable CloudTrail record: ${path} is empty for a successful ${record.eventName}, so what it changed cannot be told (the scheduled audit judges the account as it is)`,
      path,
    )
  }
  const accountId = accountOf(record, located)
  if (!accountId) {
    const path = joinPath(located.path, ['recipientAccountId'])
    return invalid(`no account: ${path} is missing and nothing else names the account`, path)
  }
  const { envelopeRegion, envelopeAccount } = located
  const context = {
    kind,
    accountId,
    ...(envelopeRegion === undefined ? {} : { fallbackRegion: envelopeRegion }),
  }
  const change = classifyChange(record, context)
  return {
    status: 'change',
    change: envelopeAccount === undefined ? change : { ...change, envelopeAccountId: envelopeAccount },
  }
}

/** What any CloudTrail record says of itself, whatever its call: for records the guard does not classify. */
export interface RecordSummary {
  readonly eventSource?: string
  readonly eventTime?: string
  /** The account the call was made in, as the record or its envelope names it. */
  readonly accountId?: string
  /** The caller, named as for a classified change (`unknown` when the record does not say). */
  readonly actorArn: string
  readonly failed: boolean
  readonly errorCode?: string
}

/**
 * Reads who made the call, where and whether it failed from the record inside `input`,
 * leniently: a field of the wrong type reads as absent. Undefined when the input holds no
 * CloudTrail record.
 */
export function summarizeCloudTrailRecord(input: unknown): RecordSummary | undefined {
  const located = locateCloudTrailRecord(input)
  if (located.status !== 'record') return undefined
  const summary = recordSummarySchema.parse(located.record)
  const accountId = accountOf(summary, located)
  const { actorArn } = readActor(summary.userIdentity ?? undefined, accountId ?? 'unknown')
  return {
    ...(summary.eventSource ? { eventSource: summary.eventSource } : {}),
    ...(summary.eventTime ? { eventTime: summary.eventTime } : {}),
    ...(accountId ? { accountId } : {}),
    actorArn,
    failed: summary.errorCode !== undefined,
    ...(summary.errorCode ? { errorCode: summary.errorCode } : {}),
  }
}

/** The account of a record: `recipientAccountId`, else its envelope's, else the caller's. */
function accountOf(
  record: {
    readonly recipientAccountId?: string | undefined
    readonly userIdentity?: { readonly accountId?: string | undefined } | null | undefined
  },
  located: LocatedRecord,
): string | undefined {
  return record.recipientAccountId || located.envelopeAccount || record.userIdentity?.accountId || undefined
}

function isMissing(eventId: unknown): boolean {
  return eventId === undefined || eventId === null || eventId === ''
}

/**
 * `derived-` and 32 hex digits of the SHA-256 of the record as canonical JSON (keys sorted,
 * `eventID` left out so that absent, null and empty give one ID): the same record always
 * gets the same ID, whichever shape it came in.
 */
function deriveEventId(record: Readonly<Record<string, unknown>>): string {
  const { eventID: _missing, ...content } = record
  return `derived-${createHash('sha256').update(canonicalJson(content)).digest('hex').slice(0, 32)}`
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item ?? null)).join(',')}]`
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, entry]) => entry !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    return `{${entries.map(([key, entry]) => `${JSON.stringify(key)}:${canonicalJson(entry)}`).join(',')}}`
  }
  return JSON.stringify(value) ?? 'null'
}

/**
 * A read is a call the service authorization reference lists at the Read or List access level.
 * The record's own `readOnly` flag is not trusted: published records carry it as a string, or
 * set it on names that are not actions at all. Names the reference does not know are unknown
 * events, even when they look like reads.
 */
function isKnownRead(eventSource: string, eventName: string): boolean {
  const namespace = eventSource.slice(0, eventSource.indexOf('.'))
  const accessLevel = findCatalogAction(`${namespace}:${eventName}`)?.accessLevel
  return accessLevel === 'Read' || accessLevel === 'List'
}

function invalidRecord(error: z.ZodError, recordPath: string): ParseOutcome {
  const issue = error.issues[0]
  const path = joinPath(recordPath, issue?.path ?? [])
  return invalid(`invalid CloudTrail record at ${path || '(root)'}: ${issue?.message ?? 'invalid'}`, path)
}

function invalid(message: string, path: string): ParseOutcome {
  return { status: 'invalid', error: new EventParseError(message, path) }
}

function joinPath(prefix: string, segments: readonly PropertyKey[]): string {
  return [prefix, ...segments.map(String)].filter((part) => part !== '').join('.')
}
