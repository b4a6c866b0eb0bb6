import { type DynamoDBDocumentClient, PutCommand, paginateQuery } from '@aws-sdk/lib-dynamodb'
import * as z from 'zod'
import type { ExternalRole } from '#shared/evaluator/reachability.ts'
import { type ExposureStore, mergeExposures } from '#shared/pipeline/organization-audit.ts'

/** The partition of the exposures in the audit run table, one item per account. */
const PARTITION = 'EXPOSURE'
/** An account that left the organisation (or is no longer audited) stops counting after a month. */
const EXPOSURE_TTL_SECONDS = 30 * 24 * 60 * 60

const exposureSchema = z.record(
  z.string(),
  z.array(z.object({ arn: z.string(), trustsAccount: z.boolean(), principals: z.array(z.string()) })),
)

/** An exposure could not be written or read. */
export class ExposureStoreError extends Error {
  override readonly name = 'ExposureStoreError'
}

/**
 * Each account's exposure in the audit run table: `pk = EXPOSURE`, `sk = ACCOUNT#<id>`, the roles
 * by the account they let in as JSON text, overwritten by every audit of the account and expiring
 * (`expiresAt`) when no audit renews it. One query reads them all.
 */
export class DynamoExposureStore implements ExposureStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async put(accountId: string, exposed: ReadonlyMap<string, readonly ExternalRole[]>): Promise<void> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            pk: PARTITION,
            sk: `ACCOUNT#${accountId}`,
            accountId,
            roles: JSON.stringify(Object.fromEntries(exposed)),
            expiresAt: Math.floor(this.now().getTime() / 1000) + EXPOSURE_TTL_SECONDS,
          },
        }),
      )
    } catch (error) {
      throw new ExposureStoreError(`recording what account ${accountId} exposes failed`, { cause: error })
    }
  }

  async all(): Promise<ReadonlyMap<string, readonly ExternalRole[]>> {
    const exposures: Map<string, ExternalRole[]>[] = []
    const now = Math.floor(this.now().getTime() / 1000)
    try {
      for await (const page of paginateQuery(
        { client: this.doc },
        {
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': PARTITION },
        },
      )) {
        for (const item of page.Items ?? []) {
          // DynamoDB deletes expired items within days; until then a query still returns them.
          if (typeof item.expiresAt === 'number' && item.expiresAt < now) continue
          const parsed = exposureSchema.safeParse(JSON.parse(String(item.roles ?? '{}')))
          if (parsed.success) exposures.push(new Map(Object.entries(parsed.data)))
        }
      }
    } catch (error) {
      throw new ExposureStoreError('reading what the accounts expose failed', { cause: error })
    }
    return mergeExposures(exposures)
  }
}
