import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb'
import {
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb'
import { mockClient } from 'aws-sdk-client-mock'
import { beforeEach, describe, expect, it } from 'vitest'
import { NOTIFY_SLOT_TTL_SECONDS, NotifyStateError, NotifyStateStore } from '#shared/aws/notify-state.ts'

// The conditions themselves are exercised on the emulator (test/integration/notify-state.test.ts).
const TABLE = 'notify-state'
const doc = mockClient(DynamoDBDocumentClient)
const store = () => new NotifyStateStore(DynamoDBDocumentClient.from(new DynamoDBClient({})), TABLE)
const NOW = new Date('2026-11-29T10:00:00Z')
const LEASE = new Date('2026-11-29T10:00:10Z')
const SLOT = { id: 'sag-1#change:e-1', period: 'once' }
const conditionFailed = () =>
  new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} })

beforeEach(() => {
  doc.reset()
})

describe('NotifyStateStore', () => {
  it('claims with one conditional put that keeps the slot for two days', async () => {
    doc.on(PutCommand).resolves({})
    await expect(store().claim(SLOT, 'a', LEASE, NOW)).resolves.toEqual({ status: 'claimed' })
    const input = doc.commandCalls(PutCommand)[0]?.args[0].input
    expect(input?.Item).toEqual({
      pk: 'NOTIFIED#sag-1#change:e-1',
      sk: 'once',
      slot: SLOT.id,
      state: 'sending',
      owner: 'a',
      leaseUntil: LEASE.getTime(),
      expiresAt: NOW.getTime() / 1000 + NOTIFY_SLOT_TTL_SECONDS,
    })
    expect(input?.ReturnValues).toBe('ALL_OLD')
    expect(NOTIFY_SLOT_TTL_SECONDS).toBe(172_800)
  })

  it('reports a takeover when the put replaced another owner’s live claim', async () => {
    doc.on(PutCommand).resolves({
      Attributes: { state: 'sending', owner: 'b', leaseUntil: NOW.getTime() - 1, expiresAt: 2e9 },
    })
    await expect(store().claim(SLOT, 'a', LEASE, NOW)).resolves.toEqual({
      status: 'claimed',
      earlierAttemptUntil: new Date(NOW.getTime() - 1),
    })
  })

  it('reads the slot after a failed condition: sent, or busy until the holder’s lease ends', async () => {
    doc.on(PutCommand).rejects(conditionFailed())
    doc
      .on(GetCommand)
      .resolvesOnce({ Item: { state: 'sent', sentAt: '2026-11-29T09:59:00.000Z' } })
      .resolvesOnce({ Item: { state: 'sending', owner: 'b', leaseUntil: LEASE.getTime() } })
    await expect(store().claim(SLOT, 'a', LEASE, NOW)).resolves.toEqual({
      status: 'sent',
      sentAt: '2026-11-29T09:59:00.000Z',
    })
    await expect(store().claim(SLOT, 'a', LEASE, NOW)).resolves.toEqual({ status: 'busy', until: LEASE })
    expect(doc.commandCalls(GetCommand)[0]?.args[0].input.ConsistentRead).toBe(true)
  })

  it('wraps every other failure in NotifyStateError naming the slot', async () => {
    const cause = Object.assign(new Error('Requested resource not found'), {
      name: 'ResourceNotFoundException',
    })
    doc.on(PutCommand).rejects(cause)
    doc.on(UpdateCommand).rejects(cause)
    doc.on(DeleteCommand).rejects(cause)
    for (const call of [
      () => store().claim(SLOT, 'a', LEASE, NOW),
      () => store().markSent(SLOT, 'a', NOW),
      () => store().release(SLOT, 'a'),
    ]) {
      const result = call()
      await expect(result).rejects.toBeInstanceOf(NotifyStateError)
      await expect(result).rejects.toMatchObject({
        cause,
        message: expect.stringContaining('NOTIFIED#sag-1'),
      })
    }
  })

  it('gives a slot back only while this owner still holds it, and ignores a failed condition', async () => {
    doc.on(DeleteCommand).rejects(conditionFailed())
    await expect(store().release(SLOT, 'a')).resolves.toBeUndefined()
    expect(doc.commandCalls(DeleteCommand)[0]?.args[0].input).toMatchObject({
      Key: { pk: 'NOTIFIED#sag-1#change:e-1', sk: 'once' },
      ConditionExpression: '#owner = :owner AND #state = :sending',
      ExpressionAttributeValues: { ':owner': 'a', ':sending': 'sending' },
    })
  })
})
