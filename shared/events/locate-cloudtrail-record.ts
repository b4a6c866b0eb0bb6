import { EventParseError, type ParseOutcome } from './types.ts'

/** EventBridge's detail-type for CloudTrail-recorded management API calls. */
export const CLOUDTRAIL_DETAIL_TYPE = 'AWS API Call via CloudTrail'

/** A CloudTrail record found inside the input, with where it was found. */
export interface LocatedRecord {
  readonly status: 'record'
  readonly record: Readonly<Record<string, unknown>>
  /** Path of the record inside the input (`detail`, `Events.0.CloudTrailEvent`, or `` when bare). */
  readonly path: string
  /** The EventBridge envelope's `account` and `region`, when the record came in one. */
  readonly envelopeAccount?: string
  readonly envelopeRegion?: string
}

/** Keys only a CloudTrail record has at its top level. */
const RECORD_MARKERS = ['eventVersion', 'eventSource', 'eventName', 'eventID', 'eventType', 'userIdentity']

/**
 * Finds the CloudTrail record in one of the shapes the guard accepts: an EventBridge event
 * (`detail-type: AWS API Call via CloudTrail`), `aws cloudtrail lookup-events` output (the
 * first `Events[].CloudTrailEvent`, a JSON string), or a bare record.
 */
export function locateCloudTrailRecord(input: unknown): LocatedRecord | ParseOutcome {
  if (!isJsonObject(input)) return invalid('event is not a JSON object', '')
  if ('detail-type' in input) return locateInEnvelope(input)
  if ('Events' in input) return locateInLookupEvents(input.Events)
  if (RECORD_MARKERS.some((key) => key in input)) return { status: 'record', record: input, path: '' }
  return { status: 'ignored', reason: 'not-cloudtrail' }
}

function locateInEnvelope(envelope: Readonly<Record<string, unknown>>): LocatedRecord | ParseOutcome {
  const detailType = envelope['detail-type']
  if (typeof detailType !== 'string') return invalid('detail-type is not a string', 'detail-type')
  if (detailType !== CLOUDTRAIL_DETAIL_TYPE) return { status: 'ignored', reason: 'not-cloudtrail' }
  const { detail, account, region } = envelope
  if (!isJsonObject(detail)) return invalid('detail is not a CloudTrail record object', 'detail')
  return {
    status: 'record',
    record: detail,
    path: 'detail',
    ...(typeof account === 'string' && account !== '' ? { envelopeAccount: account } : {}),
    ...(typeof region === 'string' && region !== '' ? { envelopeRegion: region } : {}),
  }
}

function locateInLookupEvents(events: unknown): LocatedRecord | ParseOutcome {
  if (!Array.isArray(events)) return invalid('Events is not an array', 'Events')
  const first: unknown = events[0]
  if (first === undefined) return invalid('Events holds no event', 'Events')
  const path = 'Events.0.CloudTrailEvent'
  const text = isJsonObject(first) ? first.CloudTrailEvent : undefined
  if (typeof text !== 'string') return invalid('CloudTrailEvent is not a string', path)
  let record: unknown
  try {
    record = JSON.parse(text)
  } catch (cause) {
    return invalid('CloudTrailEvent is not valid JSON', path, cause)
  }
  if (!isJsonObject(record)) return invalid('CloudTrailEvent is not a JSON object', path)
  return { status: 'record', record, path }
}

function isJsonObject(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function invalid(message: string, path: string, cause?: unknown): ParseOutcome {
  return {
    status: 'invalid',
    error: new EventParseError(message, path, cause === undefined ? {} : { cause }),
  }
}
