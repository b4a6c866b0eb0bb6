import { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb'
import { mockClient } from 'aws-sdk-client-mock'
import { beforeEach, describe, expect, it } from 'vitest'
import { BaselineStoreError, DynamoBaselineStore } from '#shared/aws/baseline-store.ts'
import type { Baseline } from '#shared/pipeline/baseline.ts'
import type { ChangeRecord } from '#shared/pipeline/change-record.ts'

const TABLE = 'support-guard-baselines'
const doc = mockClient(DynamoDBDocumentClient)

function makeBaseline(name: string): Baseline {
  return {
    accountId: '123456789012',
    principalArn: `arn:aws:iam::123456789012:role/${name}`,
    principalType: 'role',
    name,
    trustPolicy: { Version: '2012-10-17', Statement: [] },
    inline: [],
    attached: ['arn:aws:iam::aws:policy/AWSSupportAccess'],
    policyVersions: {},
    supportApp: false,
    recordedAt: '2025-03-10T16:08:52.000Z',
    source: 'audit',
  }
}

const throttled = () =>
  Object.assign(new Error('throttled'), { name: 'ProvisionedThroughputExceededException' })

function makeStore(): DynamoBaselineStore {
  return new DynamoBaselineStore(
    DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' })),
    TABLE,
  )
}

beforeEach(() => {
  doc.reset()
})

describe('DynamoBaselineStore', () => {
  it('puts a baseline under its account partition and principal sort key', async () => {
    doc.on(PutCommand).resolves({})
    const baseline = makeBaseline('SupportTeam')
    await makeStore().put(baseline)
    expect(doc.commandCalls(PutCommand)[0]?.args[0].input).toEqual({
      TableName: TABLE,
      Item: { pk: 'ACCOUNT#123456789012', sk: `BASELINE#${baseline.principalArn}`, baseline },
    })
  })

  it('gets a baseline by account and principal', async () => {
    const baseline = makeBaseline('SupportTeam')
    doc.on(GetCommand).resolves({ Item: { pk: 'x', sk: 'y', baseline } })
    await expect(makeStore().get('123456789012', baseline.principalArn)).resolves.toEqual(baseline)
    expect(doc.commandCalls(GetCommand)[0]?.args[0].input).toEqual({
      TableName: TABLE,
      Key: { pk: 'ACCOUNT#123456789012', sk: `BASELINE#${baseline.principalArn}` },
    })
  })

  it('returns undefined for a principal without a baseline', async () => {
    doc.on(GetCommand).resolves({})
    await expect(
      makeStore().get('123456789012', 'arn:aws:iam::123456789012:role/None'),
    ).resolves.toBeUndefined()
  })

  it('lists every page of an account', async () => {
    const first = makeBaseline('SupportTeam')
    const second = makeBaseline('AWSSupportAppRole')
    doc
      .on(QueryCommand)
      .resolvesOnce({
        Items: [{ baseline: first }],
        LastEvaluatedKey: { pk: 'ACCOUNT#123456789012', sk: 'k' },
      })
      .resolves({ Items: [{ baseline: second }] })

    await expect(makeStore().list('123456789012')).resolves.toEqual([first, second])

    const queries = doc.commandCalls(QueryCommand).map((call) => call.args[0].input)
    expect(queries).toHaveLength(2)
    expect(queries[0]).toMatchObject({
      TableName: TABLE,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': 'ACCOUNT#123456789012', ':prefix': 'BASELINE#' },
    })
    expect(queries[1]?.ExclusiveStartKey).toEqual({ pk: 'ACCOUNT#123456789012', sk: 'k' })
  })

  it('wraps a get failure in BaselineStoreError with the cause', async () => {
    const cause = throttled()
    doc.on(GetCommand).rejects(cause)
    await expect(makeStore().get('123456789012', 'arn:aws:iam::123456789012:role/X')).rejects.toMatchObject({
      name: 'BaselineStoreError',
      cause,
    })
  })

  it('wraps a put failure in BaselineStoreError with the cause', async () => {
    const cause = throttled()
    doc.on(PutCommand).rejects(cause)
    const error = await makeStore()
      .put(makeBaseline('X'))
      .catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(BaselineStoreError)
    expect(error).toMatchObject({ cause })
  })

  it('wraps a list failure in BaselineStoreError with the cause', async () => {
    const cause = throttled()
    doc.on(QueryCommand).rejects(cause)
    await expect(makeStore().list('123456789012')).rejects.toMatchObject({
      name: 'BaselineStoreError',
      cause,
    })
  })
})

describe('DynamoBaselineStore change records', () => {
  const record: ChangeRecord = {
    accountId: '123456789012',
    eventId: '9aac78ba-6598-427e-a23c-4be748b68e7e',
    eventName: 'DetachRolePolicy',
    eventTime: '2025-03-10T16:08:52Z',
    actorArn: 'arn:aws:iam::123456789012:user/ops-admin',
    mutation: {
      action: 'detach-policy',
      principalType: 'role',
      principalName: 'SupportTeam',
      policyArn: 'arn:aws:iam::aws:policy/AWSSupportAccess',
    },
    findingIds: ['sag-0123456789abcdef0123'],
    plannedSteps: [
      {
        action: 'attach-policy',
        principalType: 'role',
        principalName: 'SupportTeam',
        policyArn: 'arn:aws:iam::aws:policy/AWSSupportAccess',
      },
    ],
    recordedAt: '2025-03-10T16:08:52.000Z',
  }

  it('puts a record beside the baselines, expiring after 7 days', async () => {
    doc.on(PutCommand).resolves({})
    await makeStore().putChange(record)
    const input = doc.commandCalls(PutCommand)[0]?.args[0].input
    expect(input).toMatchObject({
      TableName: TABLE,
      Item: { pk: 'ACCOUNT#123456789012', sk: `CHANGE#${record.eventId}`, change: record },
    })
    const expiresAt = Number(input?.Item?.expiresAt)
    expect(expiresAt - Date.parse(record.recordedAt) / 1000).toBe(7 * 24 * 3600)
  })

  it('reads a live record back and treats an expired one (TTL not yet applied) as gone', async () => {
    const live = { change: record, expiresAt: Math.floor(Date.now() / 1000) + 60 }
    doc
      .on(GetCommand)
      .resolvesOnce({ Item: live })
      .resolvesOnce({ Item: { ...live, expiresAt: 1 } })
    await expect(makeStore().getChange('123456789012', record.eventId)).resolves.toEqual(record)
    await expect(makeStore().getChange('123456789012', record.eventId)).resolves.toBeUndefined()
    expect(doc.commandCalls(GetCommand)[0]?.args[0].input.Key).toEqual({
      pk: 'ACCOUNT#123456789012',
      sk: `CHANGE#${record.eventId}`,
    })
  })
})
