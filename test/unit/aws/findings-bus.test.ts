import { EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge'
import { mockClient } from 'aws-sdk-client-mock'
import { beforeEach, describe, expect, it } from 'vitest'
import { EventBridgeFindingsPublisher, FindingsBusError } from '#shared/aws/findings-bus.ts'
import {
  type BusEvent,
  REMEDIATION_DETAIL_TYPE,
  type RemediationEventDetail,
} from '#shared/pipeline/bus-events.ts'

const BUS = 'support-guard-findings'
const bus = mockClient(EventBridgeClient)

function makeEvent(index: number): BusEvent {
  const detail: RemediationEventDetail = {
    findingId: `sag-${index}`,
    rule: 'SUPPORT_ACCESS_LOST',
    severity: 'high',
    accountId: '123456789012',
    principalArn: 'arn:aws:iam::123456789012:role/SupportTeam',
    title: `finding ${index}`,
    outcome: 'skipped',
    steps: [],
    reason: 'the guard is in monitor mode',
  }
  return { detailType: REMEDIATION_DETAIL_TYPE, detail }
}

const makeEvents = (count: number) => Array.from({ length: count }, (_, index) => makeEvent(index))

function sentEntries(call: number): PutEventsRequestEntry[] {
  return bus.commandCalls(PutEventsCommand)[call]?.args[0].input.Entries ?? []
}

function publisher(attempts?: number): EventBridgeFindingsPublisher {
  return new EventBridgeFindingsPublisher(new EventBridgeClient({ region: 'us-east-1' }), BUS, attempts)
}

beforeEach(() => {
  bus.reset()
})

describe('EventBridgeFindingsPublisher', () => {
  it('puts events in batches of at most 10 entries', async () => {
    bus.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [] })
    await publisher().publish(makeEvents(25))
    expect(bus.commandCalls(PutEventsCommand).map((call) => call.args[0].input.Entries?.length)).toEqual([
      10, 10, 5,
    ])
  })

  it('sends each event to the findings bus as source support-guard with its detail as JSON', async () => {
    bus.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [] })
    const [event] = makeEvents(1)
    await publisher().publish(makeEvents(1))
    expect(sentEntries(0)).toEqual([
      {
        EventBusName: BUS,
        Source: 'support-guard',
        DetailType: 'Support Access Remediation',
        Detail: JSON.stringify(event?.detail),
        Resources: [],
      },
    ])
  })

  it('puts nothing when there is nothing to publish', async () => {
    await publisher().publish([])
    expect(bus.calls()).toHaveLength(0)
  })

  it('retries only the entries PutEvents rejected', async () => {
    bus
      .on(PutEventsCommand)
      .resolvesOnce({
        FailedEntryCount: 1,
        Entries: [
          { EventId: 'e-0' },
          { ErrorCode: 'ThrottlingException', ErrorMessage: 'Rate exceeded' },
          { EventId: 'e-2' },
        ],
      })
      .resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e-1' }] })

    await publisher().publish(makeEvents(3))

    expect(bus.commandCalls(PutEventsCommand)).toHaveLength(2)
    expect(sentEntries(1)).toEqual([sentEntries(0)[1]])
    expect(JSON.parse(sentEntries(1)[0]?.Detail ?? '{}').findingId).toBe('sag-1')
  })

  it('throws FindingsBusError naming the error when entries still fail after every attempt', async () => {
    bus.on(PutEventsCommand).resolves({
      FailedEntryCount: 1,
      Entries: [{ ErrorCode: 'InternalFailure', ErrorMessage: 'try again' }],
    })
    const error = await publisher(2)
      .publish(makeEvents(1))
      .catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(FindingsBusError)
    expect(error).toMatchObject({ name: 'FindingsBusError' })
    expect((error as Error).message).toContain(
      '1 event(s) not accepted by support-guard-findings after 2 attempts',
    )
    expect((error as Error).message).toContain('InternalFailure: try again')
    expect(bus.commandCalls(PutEventsCommand)).toHaveLength(2)
  })

  it('wraps a thrown SDK error in FindingsBusError with the SDK error as cause', async () => {
    const sdkError = Object.assign(new Error('Access denied'), { name: 'AccessDeniedException' })
    bus.on(PutEventsCommand).rejects(sdkError)
    const error = await publisher()
      .publish(makeEvents(2))
      .catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(FindingsBusError)
    expect((error as Error).message).toBe(`PutEvents to ${BUS} failed`)
    expect((error as Error).cause).toBe(sdkError)
    expect(bus.commandCalls(PutEventsCommand)).toHaveLength(1)
  })
})
