import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { NotifyStateStore } from '#shared/aws/notify-state.ts'
import { emulatorClientConfig, type MotoServer, startMotoServer } from '../../scripts/lib/moto-server.ts'

// The slot protocol's conditional writes, run against DynamoDB as the emulator implements it.
const TABLE = 'notify-state'
let server: MotoServer | undefined
let dynamo: DynamoDBClient
let doc: DynamoDBDocumentClient
let store: NotifyStateStore
let slotNumber = 0

beforeAll(async () => {
  server = await startMotoServer()
  dynamo = new DynamoDBClient(emulatorClientConfig(server.endpoint))
  doc = DynamoDBDocumentClient.from(dynamo)
  await dynamo.send(
    new CreateTableCommand({
      TableName: TABLE,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
    }),
  )
  store = new NotifyStateStore(doc, TABLE)
})

afterAll(async () => {
  dynamo?.destroy()
  await server?.stop()
})

const NOW = new Date('2026-11-29T10:00:00Z')
const later = (ms: number) => new Date(NOW.getTime() + ms)
const freshSlot = () => ({ id: `sag-${++slotNumber}#change:event-${slotNumber}`, period: 'once' })

describe('NotifyStateStore on DynamoDB', () => {
  it('claims a free slot, then reports it busy to another owner and sent once recorded', async () => {
    const slot = freshSlot()
    await expect(store.claim(slot, 'a', later(10_000), NOW)).resolves.toEqual({ status: 'claimed' })
    await expect(store.claim(slot, 'b', later(10_000), later(1_000))).resolves.toEqual({
      status: 'busy',
      until: later(10_000),
    })
    await store.markSent(slot, 'a', later(2_000))
    await expect(store.claim(slot, 'b', later(20_000), later(3_000))).resolves.toEqual({
      status: 'sent',
      sentAt: later(2_000).toISOString(),
    })
    // A sent slot stays sent after the sender's lease ran out.
    await expect(store.claim(slot, 'c', later(90_000), later(60_000))).resolves.toMatchObject({
      status: 'sent',
    })
  })

  it('lets the same owner claim again (a lost reply) without calling it a takeover', async () => {
    const slot = freshSlot()
    await store.claim(slot, 'a', later(10_000), NOW)
    await expect(store.claim(slot, 'a', later(10_000), later(500))).resolves.toEqual({ status: 'claimed' })
  })

  it('hands a lapsed claim to the next owner and says an earlier attempt may have sent', async () => {
    const slot = freshSlot()
    await store.claim(slot, 'a', later(10_000), NOW)
    await expect(store.claim(slot, 'b', later(40_000), later(30_000))).resolves.toEqual({
      status: 'claimed',
      earlierAttemptUntil: later(10_000),
    })
    // The first owner can no longer give it back: the slot is b's now.
    await store.release(slot, 'a')
    await expect(store.claim(slot, 'c', later(50_000), later(31_000))).resolves.toMatchObject({
      status: 'busy',
    })
  })

  it('frees a slot its owner gives back, so the retry claims it cleanly', async () => {
    const slot = freshSlot()
    await store.claim(slot, 'a', later(10_000), NOW)
    await store.release(slot, 'a')
    await expect(store.claim(slot, 'b', later(10_000), later(1_000))).resolves.toEqual({ status: 'claimed' })
  })

  it('treats an item past its TTL as absent, before DynamoDB has deleted it', async () => {
    const slot = freshSlot()
    await doc.send(
      new PutCommand({
        TableName: TABLE,
        Item: {
          pk: `NOTIFIED#${slot.id}`,
          sk: slot.period,
          state: 'sent',
          owner: 'old',
          leaseUntil: 0,
          expiresAt: Math.floor(NOW.getTime() / 1000) - 60,
        },
      }),
    )
    await expect(store.claim(slot, 'a', later(10_000), NOW)).resolves.toEqual({ status: 'claimed' })
    const item = await doc.send(
      new GetCommand({ TableName: TABLE, Key: { pk: `NOTIFIED#${slot.id}`, sk: slot.period } }),
    )
    expect(item.Item).toMatchObject({ state: 'sending', owner: 'a', slot: slot.id })
    expect(item.Item?.expiresAt).toBeGreaterThan(Math.floor(NOW.getTime() / 1000) + 86_400)
  })
})
