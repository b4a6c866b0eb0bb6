import { readdirSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { listClassifiedEvents } from '#shared/events/change-kinds.ts'
import { listSampleDir, parseSampleChange } from './load-sample-event.ts'
import { ACCT, EXPECTED_CHANGES, readExpectedEventName } from './sample-event-expectations.ts'

describe('sample events in events/', () => {
  it('lists every sample file in the table, and every table row has a file', () => {
    const files = readdirSync(listSampleDir()).filter((name) => name.endsWith('.json'))
    expect([...files].sort()).toEqual(EXPECTED_CHANGES.map((row) => row.file).sort())
  })

  it('covers every classified event name with a successful call', () => {
    const succeeded = new Set(EXPECTED_CHANGES.filter((row) => !row.errorCode).map(readExpectedEventName))
    const missing = listClassifiedEvents().filter((event) => !succeeded.has(event.eventName))
    expect(missing).toEqual([])
  })

  it('gives every sample its own event ID', () => {
    const ids = EXPECTED_CHANGES.map((row) => parseSampleChange(row.file).eventId)
    expect(new Set(ids).size).toBe(EXPECTED_CHANGES.length)
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
})
