import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { DeleteCommand, DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb'
import { mockClient } from 'aws-sdk-client-mock'
import { beforeEach, describe, expect, it } from 'vitest'
import { NOTIFY_SLOT_TTL_SECONDS, NotifyStateError, NotifyStateStore } from '#shared/aws/notify-state.ts'

const TABLE = 'notify-state'
const doc = mockClient(DynamoDBDocumentClient)
const store = () => new NotifyStateStore(DynamoDBDocumentClient.from(new DynamoDBClient({})), TABLE)
// 2025-03-26T00:00:00Z
const DAY_START = 1742947200

beforeEach(() => {
  doc.reset()
})

describe('NotifyStateStore.claimDailySlot', () => {
  it('puts the slot conditionally and returns true on the first claim', async () => {
    doc.on(PutCommand).resolves({})
    await expect(store().claimDailySlot('sag-1', '2025-03-26')).resolves.toBe(true)
    expect(doc.commandCalls(PutCommand)[0]?.args[0].input).toEqual({
      TableName: TABLE,
      Item: {
        pk: 'NOTIFIED#sag-1',
        sk: '2025-03-26',
        findingId: 'sag-1',
        expiresAt: DAY_START + NOTIFY_SLOT_TTL_SECONDS,
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    })
    expect(NOTIFY_SLOT_TTL_SECONDS).toBe(172_800)
  })

  it('uses the given TTL', async () => {
    doc.on(PutCommand).resolves({})
    await store().claimDailySlot('sag-1', '2025-03-26', 60)
    expect(doc.commandCalls(PutCommand)[0]?.args[0].input.Item?.expiresAt).toBe(DAY_START + 60)
  })

  it('returns false when the slot is already claimed', async () => {
    doc
      .on(PutCommand)
      .rejects(
        new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} }),
      )
    await expect(store().claimDailySlot('sag-1', '2025-03-26')).resolves.toBe(false)
  })

  it('wraps any other failure in NotifyStateError', async () => {
    const cause = Object.assign(new Error('Requested resource not found'), {
      name: 'ResourceNotFoundException',
    })
    doc.on(PutCommand).rejects(cause)
    await expect(store().claimDailySlot('sag-1', '2025-03-26')).rejects.toMatchObject({
      name: 'NotifyStateError',
      cause,
    })
    await expect(store().claimDailySlot('sag-1', '2025-03-26')).rejects.toBeInstanceOf(NotifyStateError)
  })

  it('rejects a day that is not YYYY-MM-DD before calling DynamoDB', async () => {
    await expect(store().claimDailySlot('sag-1', '26/03/2025')).rejects.toThrow(/YYYY-MM-DD/)
    expect(doc.calls()).toHaveLength(0)
  })
})

describe('NotifyStateStore.releaseDailySlot', () => {
  it('deletes the slot item', async () => {
    doc.on(DeleteCommand).resolves({})
    await store().releaseDailySlot('sag-1', '2025-03-26')
    expect(doc.commandCalls(DeleteCommand)[0]?.args[0].input).toEqual({
      TableName: TABLE,
      Key: { pk: 'NOTIFIED#sag-1', sk: '2025-03-26' },
    })
  })
})
