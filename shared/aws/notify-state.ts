import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb'
import { DeleteCommand, type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb'

/**
 * Slots are keyed by day, so an old one never blocks a new day; the TTL (two days, counted from the
 * start of the day) only keeps the table small. DynamoDB deletes expired items lazily.
 */
export const NOTIFY_SLOT_TTL_SECONDS = 2 * 24 * 60 * 60

const DAY_PATTERN = /^\d{4}-\d{2}-\d{2}$/

/** The notify state table could not be read or written. */
export class NotifyStateError extends Error {
  override readonly name = 'NotifyStateError'

  constructor(operation: string, key: string, cause: unknown) {
    const detail = cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause)
    super(`notify state ${operation} failed for ${key}: ${detail}`, { cause })
  }
}

/**
 * Remembers which findings were notified on which UTC day. Table key: `pk` (S) =
 * `NOTIFIED#<findingId>`, `sk` (S) = `YYYY-MM-DD`; `expiresAt` (epoch seconds) is the TTL attribute.
 */
export class NotifyStateStore {
  readonly #doc: DynamoDBDocumentClient
  readonly #tableName: string

  constructor(doc: DynamoDBDocumentClient, tableName: string) {
    this.#doc = doc
    this.#tableName = tableName
  }

  /**
   * Claims the day's notification slot for a finding: true for the first claim of that day, false
   * when it was already claimed. `day` is `YYYY-MM-DD`; the item expires `ttlSeconds` after the
   * start of that day.
   */
  async claimDailySlot(
    findingId: string,
    day: string,
    ttlSeconds = NOTIFY_SLOT_TTL_SECONDS,
  ): Promise<boolean> {
    const key = slotKey(findingId, day)
    try {
      await this.#doc.send(
        new PutCommand({
          TableName: this.#tableName,
          Item: { ...key, findingId, expiresAt: startOfDaySeconds(day) + ttlSeconds },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      )
      return true
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false
      throw new NotifyStateError('claim', `${key.pk} ${key.sk}`, error)
    }
  }

  /** Gives a claimed slot back (after a failed publish), so the next delivery sends the notification. */
  async releaseDailySlot(findingId: string, day: string): Promise<void> {
    const key = slotKey(findingId, day)
    try {
      await this.#doc.send(new DeleteCommand({ TableName: this.#tableName, Key: key }))
    } catch (error) {
      throw new NotifyStateError('release', `${key.pk} ${key.sk}`, error)
    }
  }
}

function slotKey(findingId: string, day: string): { pk: string; sk: string } {
  if (!DAY_PATTERN.test(day)) throw new RangeError(`day must be YYYY-MM-DD, got ${day}`)
  return { pk: `NOTIFIED#${findingId}`, sk: day }
}

function startOfDaySeconds(day: string): number {
  return Math.floor(Date.parse(`${day}T00:00:00Z`) / 1000)
}

// By name as well: a bundle may hold a second copy of the client package, defeating instanceof.
function isConditionalCheckFailed(error: unknown): boolean {
  return (
    error instanceof ConditionalCheckFailedException ||
    (error instanceof Error && error.name === 'ConditionalCheckFailedException')
  )
}
