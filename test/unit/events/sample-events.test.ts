import { readdirSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { listClassifiedEvents } from '#shared/events/change-kinds.ts'
import { parseChangeEvent } from '#shared/events/parse-change-event.ts'
import { listSampleDir, loadSampleEvent, parseSampleChange } from './load-sample-event.ts'
import { parseClassified } from './parse-classified.ts'
import {
  ACCT,
  CLASSIFIED_WITHOUT_SAMPLE,
  EXPECTED_CHANGES,
  EXPECTED_NOT_CHANGES,
  EXPECTED_SERVICE_CHANGES,
  readExpectedEventName,
  SERVICE_SAMPLE_DIR,
} from './sample-event-expectations.ts'

const ALL_CHANGES = [...EXPECTED_CHANGES, ...EXPECTED_SERVICE_CHANGES]

function listJson(dir: URL, prefix = ''): string[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .map((name) => `${prefix}${name}`)
}

describe('sample events in events/', () => {
  it('lists every sample file in the table, and every table row has a file', () => {
    const files = [
      ...listJson(listSampleDir()),
      ...listJson(new URL(`${SERVICE_SAMPLE_DIR}/`, listSampleDir()), `${SERVICE_SAMPLE_DIR}/`),
    ]
    const rows = [...ALL_CHANGES, ...EXPECTED_NOT_CHANGES].map((row) => row.file)
    expect([...files].sort()).toEqual([...rows].sort())
  })

  it('covers every classified event name with a successful call, but the ones no API documents', () => {
    const succeeded = new Set(ALL_CHANGES.filter((row) => !row.errorCode).map(readExpectedEventName))
    const missing = listClassifiedEvents().filter((event) => !succeeded.has(event.eventName))
    expect(missing.map((event) => event.eventName)).toEqual(CLASSIFIED_WITHOUT_SAMPLE)
  })

  it('gives every sample its own event ID', () => {
    const ids = [
      ...ALL_CHANGES.map((row) => readEventId(loadSampleEvent(row.file))),
      ...EXPECTED_NOT_CHANGES.map((row) => readEventId(loadSampleEvent(row.file))),
    ]
    expect(new Set(ids).size).toBe(ids.length)
  })

  it.each(EXPECTED_CHANGES)('$file parses to $kind with its targets', (row) => {
    const change = parseSampleChange(row.file)
    expect(change).toMatchObject({
      eventName: readExpectedEventName(row),
      kind: row.kind,
      accountId: ACCT,
      awsRegion: 'us-east-1',
      actorArn: row.actorArn,
      failed: row.errorCode !== undefined,
    })
    expect(change.targets).toEqual(row.targets)
    expect(change.errorCode).toBe(row.errorCode)
    expect(change.eventId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
  })

  it.each(EXPECTED_SERVICE_CHANGES)('$file parses to $kind with its targets', (row) => {
    const expected = {
      eventName: readExpectedEventName(row),
      kind: row.kind,
      accountId: ACCT,
      awsRegion: 'us-east-1',
      actorArn: row.actorArn,
      failed: row.errorCode !== undefined,
    }
    const change = parseClassified(loadSampleEvent(row.file))
    expect(change).toMatchObject(expected)
    expect(change.targets).toEqual(row.targets)
    expect(change.eventId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
  })

  it.each(EXPECTED_NOT_CHANGES)('$file is acknowledged without a verdict ($reason)', (row) => {
    expect(parseChangeEvent(loadSampleEvent(row.file))).toMatchObject({
      status: 'ignored',
      reason: row.reason,
    })
  })
})

function readEventId(event: unknown): unknown {
  const detail = (event as { detail?: { eventID?: unknown } }).detail
  return detail?.eventID
}
