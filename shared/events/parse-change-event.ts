import type * as z from 'zod'
import { findCatalogAction } from '#shared/catalog/catalog.ts'
import { findChangeKind, HANDLED_EVENT_SOURCES } from './change-kinds.ts'
import { classifyChange } from './classify-change.ts'
import { changeRecordSchema, recordHeaderSchema } from './cloudtrail-record-schema.ts'
import { type LocatedRecord, locateCloudTrailRecord } from './locate-cloudtrail-record.ts'
import { EventParseError, type ParseOutcome } from './types.ts'

/**
 * Parses and classifies one event. Accepts an EventBridge event (`detail-type: AWS API Call
 * via CloudTrail`), a bare CloudTrail record, or `aws cloudtrail lookup-events` output (its
 * first event). Never throws: bad input is `invalid` with the path of the offending field.
 *
 * - `ignored` / `not-cloudtrail`: not a CloudTrail API call, or a source other than IAM and
 *   the Support App.
 * - `ignored` / `read-only`: a read (Read or List access level) the guard does not classify.
 * - `ignored` / `unknown-event`: any other call of those sources, including names that are not
 *   IAM or Support App actions at all.
 * - `change`: a classified call, failed or not. Only these need an `eventID`, an ISO 8601
 *   `eventTime` and an account, and, when the call succeeded, its `requestParameters`; ignored
 *   records are acknowledged without those checks.
 */
export function parseChangeEvent(input: unknown): ParseOutcome {
  const located = locateCloudTrailRecord(input)
  return located.status === 'record' ? parseRecord(located) : located
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
  const accountId = record.recipientAccountId || located.envelopeAccount || record.userIdentity?.accountId
  if (!accountId) {
    const path = joinPath(located.path, ['recipientAccountId'])
    return invalid(`no account: ${path} is missing and nothing else names the account`, path)
  }
  const context = { kind, accountId, fallbackRegion: located.envelopeRegion }
  return { status: 'change', change: classifyChange(record, context) }
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
