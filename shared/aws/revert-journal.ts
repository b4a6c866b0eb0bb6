import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb'
import { remediationStepSchema } from '#shared/pipeline/remediation-steps.ts'
import type { RevertEntry, RevertJournal } from '#shared/pipeline/revert-journal.ts'

/** Kept as long as the delivery's idempotency record: no retry of the work comes later. */
const JOURNAL_TTL_SECONDS = 7 * 24 * 3600
const KEY_PREFIX = 'revert#'

/** The revert journal could not be read or written. */
export class RevertJournalError extends Error {
  override readonly name = 'RevertJournalError'

  constructor(operation: string, key: string, cause: unknown) {
    const detail = cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause)
    super(`revert journal ${operation} failed for ${key}: ${detail}`, { cause })
  }
}

/**
 * The revert journal in the remediate function's idempotency table, beside the records of the
 * deliveries it answers: key `id` = `revert#<work key>`, TTL attribute `expiration` (the table's).
 * Entries whose steps no longer parse are treated as absent.
 */
export class DynamoRevertJournal implements RevertJournal {
  readonly #doc: DynamoDBDocumentClient
  readonly #tableName: string
  readonly #now: () => Date

  constructor(doc: DynamoDBDocumentClient, tableName: string, now: () => Date = () => new Date()) {
    this.#doc = doc
    this.#tableName = tableName
    this.#now = now
  }

  async get(key: string): Promise<RevertEntry | undefined> {
    let item: Record<string, unknown> | undefined
    try {
      const result = await this.#doc.send(
        new GetCommand({ TableName: this.#tableName, Key: { id: KEY_PREFIX + key }, ConsistentRead: true }),
      )
      item = result.Item
    } catch (error) {
      throw new RevertJournalError('read', key, error)
    }
    if (!item || (typeof item.expiration === 'number' && item.expiration * 1000 < this.#now().getTime()))
      return undefined
    const steps = remediationStepSchema.array().safeParse(parseJson(item.steps))
    const state = item.state === 'applying' || item.state === 'applied' ? item.state : undefined
    if (!steps.success || !state || typeof item.at !== 'string') return undefined
    return { key, state, steps: steps.data, at: item.at }
  }

  async record(entry: RevertEntry): Promise<void> {
    try {
      await this.#doc.send(
        new PutCommand({
          TableName: this.#tableName,
          Item: {
            id: KEY_PREFIX + entry.key,
            state: entry.state,
            steps: JSON.stringify(entry.steps),
            at: entry.at,
            expiration: Math.floor(this.#now().getTime() / 1000) + JOURNAL_TTL_SECONDS,
          },
        }),
      )
    } catch (error) {
      throw new RevertJournalError('write', entry.key, error)
    }
  }
}

function parseJson(value: unknown): unknown {
  if (typeof value !== 'string') return undefined
  try {
    return JSON.parse(value)
  } catch {
    return undefined
  }
}
