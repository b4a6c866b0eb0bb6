import { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb'
import { mockClient } from 'aws-sdk-client-mock'
import { beforeEach, describe, expect, it } from 'vitest'
import { DynamoExposureStore, ExposureStoreError } from '#shared/aws/exposure-store.ts'

const doc = mockClient(DynamoDBDocumentClient)
const NOW = new Date('2026-11-29T12:00:00Z')
const NOW_SECONDS = NOW.getTime() / 1000
const ROLE = { arn: 'arn:aws:iam::222222222222:role/AdminSharedSupport', trustsAccount: true, principals: [] }

function store() {
  return new DynamoExposureStore(DynamoDBDocumentClient.from(new DynamoDBClient({})), 'runs', () => NOW)
}

beforeEach(() => doc.reset())

describe('DynamoExposureStore', () => {
  it("overwrites an account's exposure, expiring a month on", async () => {
    doc.on(PutCommand).resolves({})
    await store().put('222222222222', new Map([['333333333333', [ROLE]]]))
    expect(doc.commandCalls(PutCommand)[0]?.args[0].input).toEqual({
      TableName: 'runs',
      Item: {
        pk: 'EXPOSURE',
        sk: 'ACCOUNT#222222222222',
        accountId: '222222222222',
        roles: JSON.stringify({ '333333333333': [ROLE] }),
        expiresAt: NOW_SECONDS + 30 * 24 * 3600,
      },
    })
  })

  it('merges every account by the account let in, every page, leaving out expired items', async () => {
    const other = { ...ROLE, arn: 'arn:aws:iam::444444444444:role/AdminOpen' }
    doc
      .on(QueryCommand)
      .resolvesOnce({
        Items: [{ roles: JSON.stringify({ '333333333333': [ROLE] }), expiresAt: NOW_SECONDS + 10 }],
        LastEvaluatedKey: { pk: 'EXPOSURE', sk: 'ACCOUNT#222222222222' },
      })
      .resolvesOnce({
        Items: [
          { roles: JSON.stringify({ '333333333333': [other], '*': [other] }), expiresAt: NOW_SECONDS + 10 },
          {
            roles: JSON.stringify({ '333333333333': [{ ...ROLE, arn: 'expired' }] }),
            expiresAt: NOW_SECONDS - 1,
          },
        ],
      })
    const all = await store().all()
    expect(all.get('333333333333')).toEqual([ROLE, other])
    expect(all.get('*')).toEqual([other])
    expect(doc.commandCalls(QueryCommand)).toHaveLength(2)
  })

  it('wraps a failed read or write in a typed error', async () => {
    doc.on(QueryCommand).rejects(new Error('throttled'))
    doc.on(PutCommand).rejects(new Error('throttled'))
    await expect(store().all()).rejects.toThrow(ExposureStoreError)
    await expect(store().put('222222222222', new Map())).rejects.toThrow(ExposureStoreError)
  })
})
