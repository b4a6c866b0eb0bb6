import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { NotifyStateStore } from '#shared/aws/notify-state.ts'
import { DynamoRevertJournal } from '#shared/aws/revert-journal.ts'
import { emulatorClientConfig, type MotoServer, startMotoServer } from '#test-support/emulator/moto-server.ts'

// The guard's own DynamoDB records (notification slots, the revert journal), against the emulator.
const TABLE = 'notify-state'
const IDEMPOTENCY_TABLE = 'idempotency'
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
  await dynamo.send(
    new CreateTableCommand({
      TableName: IDEMPOTENCY_TABLE,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
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

describe('DynamoRevertJournal on DynamoDB', () => {
  const step = {
    action: 'attach-policy',
    principalType: 'role',
    principalName: 'SupportTeam',
    policyArn: 'arn:aws:iam::aws:policy/AWSSupportAccess',
  } as const

  it('keeps the latest record of a piece of work and reads it back with its steps', async () => {
    const journal = new DynamoRevertJournal(doc, IDEMPOTENCY_TABLE, () => NOW)
    const key = '123456789012#sag-1#change:e-1'
    await expect(journal.get(key)).resolves.toBeUndefined()
    await journal.record({ key, state: 'applying', steps: [step], at: NOW.toISOString() })
    await journal.record({ key, state: 'applied', steps: [step], at: later(1_000).toISOString() })
    await expect(journal.get(key)).resolves.toEqual({
      key,
      state: 'applied',
      steps: [step],
      at: later(1_000).toISOString(),
    })
    const item = await doc.send(
      new GetCommand({ TableName: IDEMPOTENCY_TABLE, Key: { id: `revert#${key}` } }),
    )
    expect(item.Item?.expiration).toBe(Math.floor(NOW.getTime() / 1000) + 7 * 24 * 3600)
  })

  it('treats an expired record, or one whose steps no longer parse, as absent', async () => {
    const writer = new DynamoRevertJournal(doc, IDEMPOTENCY_TABLE, () => NOW)
    await writer.record({ key: 'old', state: 'applied', steps: [step], at: NOW.toISOString() })
    const eightDaysOn = new DynamoRevertJournal(doc, IDEMPOTENCY_TABLE, () => later(8 * 24 * 3600 * 1000))
    await expect(eightDaysOn.get('old')).resolves.toBeUndefined()
    await doc.send(
      new PutCommand({
        TableName: IDEMPOTENCY_TABLE,
        Item: { id: 'revert#bad', state: 'applied', steps: '[{"action":"rm-rf"}]', at: NOW.toISOString() },
      }),
    )
    await expect(writer.get('bad')).resolves.toBeUndefined()
  })
})
