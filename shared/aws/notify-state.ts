import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb'
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb'
import type { NotificationSlot, SlotClaim, SlotStore } from '#shared/notify/notification-slot.ts'

/**
 * How long a slot is kept after it was claimed: longer than EventBridge (1 hour) and Lambda
 * (6 hours) keep retrying one event, so a late retry still finds it sent. DynamoDB deletes
 * expired items lazily; an expired item is treated as absent.
 */
export const NOTIFY_SLOT_TTL_SECONDS = 2 * 24 * 60 * 60

/** The notify state table could not be read or written. */
export class NotifyStateError extends Error {
  override readonly name = 'NotifyStateError'

  constructor(operation: string, key: string, cause: unknown) {
    const detail = cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause)
    super(`notify state ${operation} failed for ${key}: ${detail}`, { cause })
  }
}

interface SlotItem {
  readonly state?: unknown
  readonly owner?: unknown
  readonly leaseUntil?: unknown
  readonly sentAt?: unknown
  readonly expiresAt?: unknown
}

/**
 * The notification slots in DynamoDB. Table key: `pk` (S) = `NOTIFIED#<slot id>`, `sk` (S) = the
 * slot's period (`YYYY-MM-DD` or `once`); `expiresAt` (epoch seconds) is the TTL attribute.
 * An item is `sending` (owner, lease) until the message was published, then `sent`.
 */
export class NotifyStateStore implements SlotStore {
  readonly #doc: DynamoDBDocumentClient
  readonly #tableName: string

  constructor(doc: DynamoDBDocumentClient, tableName: string) {
    this.#doc = doc
    this.#tableName = tableName
  }

  /**
   * Claims a slot for `owner` until `leaseUntil`. The conditional write succeeds when the slot is
   * free, expired, left by an owner whose lease ran out, or already this owner's (the same
   * invocation retrying a write whose reply was lost).
   */
  async claim(slot: NotificationSlot, owner: string, leaseUntil: Date, now: Date): Promise<SlotClaim> {
    const key = itemKey(slot)
    const nowSeconds = Math.floor(now.getTime() / 1000)
    try {
      const result = await this.#doc.send(
        new PutCommand({
          TableName: this.#tableName,
          Item: {
            ...key,
            slot: slot.id,
            state: 'sending',
            owner,
            leaseUntil: leaseUntil.getTime(),
            expiresAt: nowSeconds + NOTIFY_SLOT_TTL_SECONDS,
          },
          ConditionExpression:
            'attribute_not_exists(pk) OR expiresAt < :nowSeconds OR #owner = :owner OR (#state = :sending AND leaseUntil < :now)',
          ExpressionAttributeNames: { '#owner': 'owner', '#state': 'state' },
          ExpressionAttributeValues: {
            ':owner': owner,
            ':sending': 'sending',
            ':now': now.getTime(),
            ':nowSeconds': nowSeconds,
          },
          ReturnValues: 'ALL_OLD',
        }),
      )
      const previous = (result.Attributes ?? {}) as SlotItem
      const takenOver =
        previous.state === 'sending' && previous.owner !== owner && !isExpired(previous, nowSeconds)
      const earlier = takenOver ? leaseEnd(previous) : undefined
      return earlier ? { status: 'claimed', earlierAttemptUntil: earlier } : { status: 'claimed' }
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw new NotifyStateError('claim', describe(key), error)
    }
    const current = await this.#read(key)
    if (current?.state === 'sent')
      return { status: 'sent', ...(typeof current.sentAt === 'string' ? { sentAt: current.sentAt } : {}) }
    const until = typeof current?.leaseUntil === 'number' ? new Date(current.leaseUntil) : leaseUntil
    return { status: 'busy', until }
  }

  /** Records that the slot's message was published; unconditional, so repeating it is harmless. */
  async markSent(slot: NotificationSlot, owner: string, now: Date): Promise<void> {
    const key = itemKey(slot)
    try {
      await this.#doc.send(
        new UpdateCommand({
          TableName: this.#tableName,
          Key: key,
          UpdateExpression: 'SET #state = :sent, sentAt = :sentAt, #owner = :owner, expiresAt = :expiresAt',
          ExpressionAttributeNames: { '#state': 'state', '#owner': 'owner' },
          ExpressionAttributeValues: {
            ':sent': 'sent',
            ':sentAt': now.toISOString(),
            ':owner': owner,
            ':expiresAt': Math.floor(now.getTime() / 1000) + NOTIFY_SLOT_TTL_SECONDS,
          },
        }),
      )
    } catch (error) {
      throw new NotifyStateError('mark sent', describe(key), error)
    }
  }

  /** Gives back a slot this owner still holds (after a failed publish): the retry sends at once. */
  async release(slot: NotificationSlot, owner: string): Promise<void> {
    const key = itemKey(slot)
    try {
      await this.#doc.send(
        new DeleteCommand({
          TableName: this.#tableName,
          Key: key,
          ConditionExpression: '#owner = :owner AND #state = :sending',
          ExpressionAttributeNames: { '#owner': 'owner', '#state': 'state' },
          ExpressionAttributeValues: { ':owner': owner, ':sending': 'sending' },
        }),
      )
    } catch (error) {
      // Someone else holds it now, or it was sent: either way it is not ours to give back.
      if (isConditionalCheckFailed(error)) return
      throw new NotifyStateError('release', describe(key), error)
    }
  }

  async #read(key: { pk: string; sk: string }): Promise<SlotItem | undefined> {
    try {
      const result = await this.#doc.send(
        new GetCommand({ TableName: this.#tableName, Key: key, ConsistentRead: true }),
      )
      return result.Item as SlotItem | undefined
    } catch (error) {
      throw new NotifyStateError('read', describe(key), error)
    }
  }
}

function itemKey(slot: NotificationSlot): { pk: string; sk: string } {
  return { pk: `NOTIFIED#${slot.id}`, sk: slot.period }
}

function describe(key: { pk: string; sk: string }): string {
  return `${key.pk} ${key.sk}`
}

function isExpired(item: SlotItem, nowSeconds: number): boolean {
  return typeof item.expiresAt === 'number' && item.expiresAt < nowSeconds
}

function leaseEnd(item: SlotItem): Date | undefined {
  return typeof item.leaseUntil === 'number' ? new Date(item.leaseUntil) : undefined
}

// By name as well: a bundle may hold a second copy of the client package, defeating instanceof.
function isConditionalCheckFailed(error: unknown): boolean {
  return (
    error instanceof ConditionalCheckFailedException ||
    (error instanceof Error && error.name === 'ConditionalCheckFailedException')
  )
}
