import { readdirSync } from 'node:fs'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { listClassifiedEvents } from '#shared/events/change-kinds.ts'
import { parseChangeEvent } from '#shared/events/parse-change-event.ts'
import { EventParseError, type ParseOutcome } from '#shared/events/types.ts'
import { buildRecord, wrapInEnvelope } from './build-test-event.ts'
import { listSampleDir, loadSampleEvent } from './load-sample-event.ts'

const RUNS = { numRuns: 2000 }

/** What every outcome must satisfy, whatever the input. */
function expectWellFormed(outcome: ParseOutcome): void {
  switch (outcome.status) {
    case 'change': {
      const { change } = outcome
      expect(change.eventId.length).toBeGreaterThan(0)
      expect(change.accountId.length).toBeGreaterThan(0)
      expect(change.failed).toBe(change.errorCode !== undefined)
      expect(change.targets.every((target) => typeof target === 'string' && target.length > 0)).toBe(true)
      expect(new Set(change.targets).size).toBe(change.targets.length)
      break
    }
    case 'ignored':
      expect(['unknown-event', 'read-only', 'not-cloudtrail']).toContain(outcome.reason)
      break
    case 'invalid':
      expect(outcome.error).toBeInstanceOf(EventParseError)
      expect(typeof outcome.error.path).toBe('string')
      break
    default:
      throw new Error(`unexpected outcome ${JSON.stringify(outcome)}`)
  }
}

const eventNames = fc.constantFrom(
  ...listClassifiedEvents().map((event) => event.eventName),
  'GetRole',
  'CreateUser',
  'toString',
)
const eventSources = fc.constantFrom('iam.amazonaws.com', 'supportapp.amazonaws.com', 's3.amazonaws.com')
const samples = readdirSync(listSampleDir()).filter((name) => name.endsWith('.json'))

/** Paths of every value inside a JSON value, objects and arrays included. */
function listPaths(value: unknown, prefix: readonly string[] = []): string[][] {
  if (typeof value !== 'object' || value === null) return [[...prefix]]
  const children = Object.entries(value).flatMap(([key, child]) => listPaths(child, [...prefix, key]))
  return [[...prefix], ...children]
}

/** Replaces (or, with `undefined`, removes) the value at `path`. */
function replaceAt(root: unknown, path: readonly string[], replacement: unknown): unknown {
  const [head, ...rest] = path
  if (head === undefined) return replacement
  if (Array.isArray(root)) {
    const copy: unknown[] = [...root]
    const next = replaceAt(copy[Number(head)], rest, replacement)
    if (next === undefined) copy.splice(Number(head), 1)
    else copy[Number(head)] = next
    return copy
  }
  if (typeof root !== 'object' || root === null) return root
  const copy: Record<string, unknown> = { ...root }
  const next = replaceAt(copy[head], rest, replacement)
  if (next === undefined) delete copy[head]
  else copy[head] = next
  return copy
}

describe('parseChangeEvent properties', () => {
  it('never throws on arbitrary JSON and returns one of the three statuses', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (input) => {
        expectWellFormed(parseChangeEvent(input))
      }),
      RUNS,
    )
  })

  it('never throws on record-shaped input with arbitrary field values', () => {
    const field = fc.option(fc.jsonValue(), { nil: undefined })
    const record = fc.record({
      eventSource: eventSources,
      eventName: eventNames,
      eventID: fc.option(fc.uuid(), { nil: undefined }),
      eventTime: field,
      userIdentity: field,
      requestParameters: fc.option(
        fc.dictionary(
          fc.constantFrom(
            'roleName',
            'userName',
            'groupName',
            'policyArn',
            'policyDocument',
            'setAsDefault',
            'tags',
            'tagKeys',
            'aWSServiceName',
            'deletionTaskId',
            'channelRoleArn',
            'path',
          ),
          fc.jsonValue(),
        ),
        { nil: undefined },
      ),
      responseElements: field,
      errorCode: field,
      recipientAccountId: field,
    })
    fc.assert(
      fc.property(record, fc.boolean(), (input, wrapped) => {
        expectWellFormed(parseChangeEvent(wrapped ? wrapInEnvelope(input) : input))
      }),
      RUNS,
    )
  })

  it('never throws when any part of a sample event is replaced or removed', () => {
    const mutation = fc.constantFrom(...samples).chain((file) => {
      const event = loadSampleEvent(file)
      return fc.tuple(
        fc.constant(event),
        fc.constantFrom(...listPaths(event)),
        fc.option(fc.jsonValue(), { nil: undefined }),
      )
    })
    fc.assert(
      fc.property(mutation, ([event, path, replacement]) => {
        expectWellFormed(parseChangeEvent(replaceAt(event, path, replacement)))
      }),
      RUNS,
    )
  })

  it('classifies any classified call that carries the required fields, whatever its parameters', () => {
    const call = fc.constantFrom(...listClassifiedEvents())
    const parameters = fc.dictionary(fc.string(), fc.jsonValue())
    fc.assert(
      fc.property(call, parameters, ({ eventSource, eventName, kind }, requestParameters) => {
        const outcome = parseChangeEvent(buildRecord({ eventSource, eventName, requestParameters }))
        expectWellFormed(outcome)
        if (outcome.status === 'change') expect(outcome.change.kind).toBe(kind)
        else expect(outcome.status === 'invalid' && outcome.error.path).toMatch(/^requestParameters\./)
      }),
      RUNS,
    )
  })
})
