import { type DynamoDBDocumentClient, GetCommand, PutCommand, paginateQuery } from '@aws-sdk/lib-dynamodb'
import type { Baseline } from '#shared/pipeline/baseline.ts'
import type { ChangeRecord, ChangeRecordStore } from '#shared/pipeline/change-record.ts'
import type { BaselineStore } from '#shared/pipeline/ports.ts'

/** Change records outlive EventBridge's retries (an hour) and remediate's own, then expire (TTL). */
const CHANGE_RECORD_DAYS = 7

/** A baseline could not be read or written. */
export class BaselineStoreError extends Error {
  override readonly name = 'BaselineStoreError'
}

/**
 * Baselines in DynamoDB: partition `ACCOUNT#<id>` (the account stays explicit in every key,
 * so one table can serve many accounts), sort key `BASELINE#<principal ARN>`; change records
 * beside them under `CHANGE#<CloudTrail event ID>`, expiring through the `expiresAt` TTL.
 */
export class DynamoBaselineStore implements BaselineStore, ChangeRecordStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(accountId: string, principalArn: string): Promise<Baseline | undefined> {
    try {
      const result = await this.doc.send(
        new GetCommand({
          TableName: this.tableName,
          Key: { pk: partition(accountId), sk: sortKey(principalArn) },
        }),
      )
      return result.Item?.baseline as Baseline | undefined
    } catch (error) {
      throw new BaselineStoreError(`reading the baseline of ${principalArn} failed`, { cause: error })
    }
  }

  async put(baseline: Baseline): Promise<void> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { pk: partition(baseline.accountId), sk: sortKey(baseline.principalArn), baseline },
        }),
      )
    } catch (error) {
      throw new BaselineStoreError(`writing the baseline of ${baseline.principalArn} failed`, {
        cause: error,
      })
    }
  }

  async list(accountId: string): Promise<readonly Baseline[]> {
    const baselines: Baseline[] = []
    try {
      const pages = paginateQuery(
        { client: this.doc },
        {
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: { ':pk': partition(accountId), ':prefix': 'BASELINE#' },
        },
      )
      for await (const page of pages)
        for (const item of page.Items ?? []) baselines.push(item.baseline as Baseline)
    } catch (error) {
      throw new BaselineStoreError(`listing the baselines of account ${accountId} failed`, { cause: error })
    }
    return baselines
  }

  async putChange(record: ChangeRecord): Promise<void> {
    const expiresAt = Math.floor(Date.parse(record.recordedAt) / 1000) + CHANGE_RECORD_DAYS * 24 * 3600
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          // A JSON round trip drops undefined fields, which the document client refuses to marshal.
          Item: {
            pk: partition(record.accountId),
            sk: changeKey(record.eventId),
            change: JSON.parse(JSON.stringify(record)),
            expiresAt,
          },
        }),
      )
    } catch (error) {
      throw new BaselineStoreError(`writing the change record of ${record.eventId} failed`, { cause: error })
    }
  }

  async getChange(accountId: string, eventId: string): Promise<ChangeRecord | undefined> {
    try {
      const result = await this.doc.send(
        new GetCommand({
          TableName: this.tableName,
          Key: { pk: partition(accountId), sk: changeKey(eventId) },
        }),
      )
      // TTL deletion lags by up to days: an expired record is treated as gone.
      const expiresAt = Number(result.Item?.expiresAt ?? 0)
      if (!result.Item || expiresAt * 1000 < Date.now()) return undefined
      return result.Item.change as ChangeRecord
    } catch (error) {
      throw new BaselineStoreError(`reading the change record of ${eventId} failed`, { cause: error })
    }
  }
}

const partition = (accountId: string) => `ACCOUNT#${accountId}`
const sortKey = (principalArn: string) => `BASELINE#${principalArn}`
const changeKey = (eventId: string) => `CHANGE#${eventId}`
