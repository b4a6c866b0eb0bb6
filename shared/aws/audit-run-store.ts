import { randomUUID } from 'node:crypto'
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb'
import * as z from 'zod'
import { SEVERITIES } from '#shared/config/rules.ts'
import {
  type AccountAuditOutcome,
  type AuditRunPlan,
  type AuditRunStore,
  failureOf,
  MAX_FAILED_LISTED,
  type RunProgress,
  startProgress,
} from '#shared/pipeline/audit-run.ts'

/** Runs are kept a month for whoever looks into one, then expire (TTL). */
export const AUDIT_RUN_TTL_SECONDS = 30 * 24 * 60 * 60

/**
 * A write on the run item may meet a transaction in flight on it (another worker recording its
 * account): DynamoDB refuses it with a conflict, which the SDK does not retry, and nothing is
 * written. Tried again this many times, with a growing random pause.
 */
const CONFLICT_TRIES = 6
const CONFLICT_BACKOFF_MS = 25

/** The audit run table could not be read or written. */
export class AuditRunStoreError extends Error {
  override readonly name = 'AuditRunStoreError'
}

export interface DynamoAuditRunStoreOptions {
  readonly now?: () => Date
  readonly sleep?: (ms: number) => Promise<void>
}

const count = z.number().int().nonnegative()

/** The run item as this store writes it; anything else is an error, not a guess. */
const runItemSchema = z.object({
  runId: z.string(),
  startedAt: z.string(),
  expected: count,
  audited: count,
  failures: z.array(
    z.object({ accountId: z.string(), accountName: z.string().optional(), reason: z.string() }),
  ),
  failedOmitted: count,
  findingsBySeverity: z.record(z.enum(SEVERITIES), count),
  principals: count,
  summaryClaimedBy: z.string().optional(),
})

/**
 * Audit runs in DynamoDB. Table key: `pk` (S) = `RUN#<run ID>`, `sk` (S) = `RUN` for the run
 * (expected accounts, totals, the listed failures, the summary claim) or `ACCOUNT#<account ID>`
 * for each recorded account (its outcome); `expiresAt` (epoch seconds) is the TTL attribute.
 *
 * An account is recorded by one transaction: put its item if absent, and add its outcome to the
 * run's totals. Both happen or neither does, so a message SQS delivers again finds the account
 * item and counts nothing, and a worker that stops halfway leaves nothing half-counted for the
 * redelivery to skip.
 */
export class DynamoAuditRunStore implements AuditRunStore {
  readonly #doc: DynamoDBDocumentClient
  readonly #tableName: string
  readonly #now: () => Date
  readonly #sleep: (ms: number) => Promise<void>
  /** The token of each summary claim this store won and has not given back, by run. */
  readonly #claims = new Map<string, string>()

  constructor(doc: DynamoDBDocumentClient, tableName: string, options: DynamoAuditRunStoreOptions = {}) {
    this.#doc = doc
    this.#tableName = tableName
    this.#now = options.now ?? (() => new Date())
    this.#sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)))
  }

  /** Writes the run item unless it exists: a planner that runs again does not reset the totals. */
  async start(plan: AuditRunPlan): Promise<void> {
    const progress = startProgress(plan)
    try {
      await this.#doc.send(
        new PutCommand({
          TableName: this.#tableName,
          Item: {
            ...runKey(plan.runId),
            runId: progress.runId,
            startedAt: progress.startedAt,
            expected: progress.expected,
            audited: 0,
            failures: [],
            failedOmitted: 0,
            findingsBySeverity: progress.findingsBySeverity,
            principals: 0,
            expiresAt: this.#expiresAt(),
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      )
    } catch (error) {
      if (isConditionalCheckFailed(error)) return
      throw new AuditRunStoreError(`starting audit run ${plan.runId} failed`, { cause: error })
    }
  }

  async record(runId: string, outcome: AccountAuditOutcome): Promise<RunProgress> {
    // A failure is listed while the run lists fewer than MAX_FAILED_LISTED, counted after that.
    let listFailure = outcome.status === 'failed'
    for (let tries = 1; ; tries++) {
      try {
        await this.#doc.send(
          new TransactWriteCommand({
            TransactItems: [
              { Put: this.#accountPut(runId, outcome) },
              { Update: this.#runUpdate(runId, outcome, listFailure) },
            ],
          }),
        )
        return await this.#read(runId)
      } catch (error) {
        const [account, run] = cancellationCodes(error) ?? []
        // The account item exists: an earlier delivery counted it.
        if (account === 'ConditionalCheckFailed') return await this.#read(runId)
        if (run === 'ConditionalCheckFailed') {
          if (!listFailure)
            throw new AuditRunStoreError(`audit run ${runId} was not started`, { cause: error })
          // The run item is missing, or its list is full: the next try only counts the failure.
          listFailure = false
          continue
        }
        if (isConflict(error) && tries < CONFLICT_TRIES) {
          await this.#backOff(tries)
          continue
        }
        if (error instanceof AuditRunStoreError) throw error
        throw new AuditRunStoreError(`recording account ${outcome.accountId} in audit run ${runId} failed`, {
          cause: error,
        })
      }
    }
  }

  /**
   * Sets the claim only where none is set. Each call writes its own token, so a call whose first
   * attempt was applied but whose reply was lost (the SDK then tries again and meets its own
   * claim) still learns it won.
   */
  async claimSummary(runId: string): Promise<boolean> {
    const token = randomUUID()
    for (let tries = 1; ; tries++) {
      try {
        await this.#doc.send(
          new UpdateCommand({
            TableName: this.#tableName,
            Key: runKey(runId),
            UpdateExpression: 'SET summaryClaimedBy = :token, summaryClaimedAt = :now',
            ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(summaryClaimedBy)',
            ExpressionAttributeValues: { ':token': token, ':now': this.#now().toISOString() },
          }),
        )
        this.#claims.set(runId, token)
        return true
      } catch (error) {
        if (isConditionalCheckFailed(error)) {
          const item = await this.#readItem(runId)
          if (item?.summaryClaimedBy !== token) return false
          this.#claims.set(runId, token)
          return true
        }
        if (isConflict(error) && tries < CONFLICT_TRIES) {
          await this.#backOff(tries)
          continue
        }
        if (error instanceof AuditRunStoreError) throw error
        throw new AuditRunStoreError(`claiming the summary of audit run ${runId} failed`, { cause: error })
      }
    }
  }

  /**
   * Removes the claim only while it is still the one this store won: a release sent again (its
   * reply lost, the SDK retrying) after another worker took the claim must not take it from that
   * worker, who would then publish a second summary. A store that holds no claim sends nothing.
   */
  async releaseSummary(runId: string): Promise<void> {
    const token = this.#claims.get(runId)
    if (token === undefined) return
    try {
      await this.#doc.send(
        new UpdateCommand({
          TableName: this.#tableName,
          Key: runKey(runId),
          UpdateExpression: 'REMOVE summaryClaimedBy, summaryClaimedAt',
          ConditionExpression: 'summaryClaimedBy = :token',
          ExpressionAttributeValues: { ':token': token },
        }),
      )
    } catch (error) {
      // Not ours any more: already given back (a retried first attempt), or taken since.
      if (!isConditionalCheckFailed(error))
        throw new AuditRunStoreError(`releasing the summary of audit run ${runId} failed`, { cause: error })
    }
    this.#claims.delete(runId)
  }

  #accountPut(runId: string, outcome: AccountAuditOutcome) {
    const named = outcome.accountName === undefined ? {} : { accountName: outcome.accountName }
    const result =
      outcome.status === 'audited'
        ? { principals: outcome.principals, findingsBySeverity: outcome.findingsBySeverity }
        : { reason: failureOf(outcome).reason }
    return {
      TableName: this.#tableName,
      Item: {
        pk: runKey(runId).pk,
        sk: `ACCOUNT#${outcome.accountId}`,
        accountId: outcome.accountId,
        ...named,
        status: outcome.status,
        ...result,
        recordedAt: this.#now().toISOString(),
        expiresAt: this.#expiresAt(),
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    }
  }

  #runUpdate(runId: string, outcome: AccountAuditOutcome, listFailure: boolean) {
    const base = { TableName: this.#tableName, Key: runKey(runId) }
    if (outcome.status === 'audited') {
      const names = Object.fromEntries(SEVERITIES.map((severity) => [`#${severity}`, severity]))
      const values = Object.fromEntries(
        SEVERITIES.map((severity) => [`:${severity}`, outcome.findingsBySeverity[severity]]),
      )
      const severities = SEVERITIES.map(
        (severity) => `findingsBySeverity.#${severity} = findingsBySeverity.#${severity} + :${severity}`,
      )
      return {
        ...base,
        UpdateExpression: `SET audited = audited + :one, principals = principals + :principals, ${severities.join(', ')}`,
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: { ':one': 1, ':principals': outcome.principals, ...values },
      }
    }
    if (listFailure) {
      return {
        ...base,
        UpdateExpression: 'SET failures = list_append(failures, :failure)',
        ConditionExpression: 'attribute_exists(pk) AND size(failures) < :listed',
        ExpressionAttributeValues: { ':failure': [failureOf(outcome)], ':listed': MAX_FAILED_LISTED },
      }
    }
    return {
      ...base,
      UpdateExpression: 'SET failedOmitted = failedOmitted + :one',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeValues: { ':one': 1 },
    }
  }

  /** The run as it stands, read after this worker's own write (a strongly consistent read). */
  async #read(runId: string): Promise<RunProgress> {
    const item = await this.#readItem(runId)
    if (item === undefined) throw new AuditRunStoreError(`audit run ${runId} was not started`)
    const { failures, summaryClaimedBy: _claim, ...totals } = item
    return { ...totals, failed: failures.map(dropUndefinedName) }
  }

  async #readItem(runId: string): Promise<z.infer<typeof runItemSchema> | undefined> {
    let item: Record<string, unknown> | undefined
    try {
      const result = await this.#doc.send(
        new GetCommand({ TableName: this.#tableName, Key: runKey(runId), ConsistentRead: true }),
      )
      item = result.Item
    } catch (error) {
      throw new AuditRunStoreError(`reading audit run ${runId} failed`, { cause: error })
    }
    if (item === undefined) return undefined
    const parsed = runItemSchema.safeParse(item)
    if (!parsed.success)
      throw new AuditRunStoreError(`audit run ${runId} is malformed in the table`, { cause: parsed.error })
    return parsed.data
  }

  #expiresAt(): number {
    return Math.floor(this.#now().getTime() / 1000) + AUDIT_RUN_TTL_SECONDS
  }

  #backOff(tries: number): Promise<void> {
    return this.#sleep(Math.random() * CONFLICT_BACKOFF_MS * 2 ** tries)
  }
}

function runKey(runId: string): { pk: string; sk: string } {
  return { pk: `RUN#${runId}`, sk: 'RUN' }
}

function dropUndefinedName(failure: {
  accountId: string
  accountName?: string | undefined
  reason: string
}): RunProgress['failed'][number] {
  const { accountName, ...rest } = failure
  return accountName === undefined ? rest : { ...rest, accountName }
}

/** The code of each item of a cancelled transaction, in the order the items were sent. */
function cancellationCodes(error: unknown): (string | undefined)[] | undefined {
  if (!(error instanceof Error) || error.name !== 'TransactionCanceledException') return undefined
  const reasons: unknown = Reflect.get(error, 'CancellationReasons')
  if (!Array.isArray(reasons)) return undefined
  return reasons.map((reason: unknown) =>
    typeof reason === 'object' && reason !== null ? String(Reflect.get(reason, 'Code') ?? '') : undefined,
  )
}

/** Another transaction held an item: nothing was written, and trying again is safe. */
function isConflict(error: unknown): boolean {
  if (!(error instanceof Error)) return false
  if (error.name === 'TransactionConflictException') return true
  return cancellationCodes(error)?.includes('TransactionConflict') ?? false
}

// By name: a bundle may hold a second copy of the client package, defeating instanceof.
function isConditionalCheckFailed(error: unknown): boolean {
  return error instanceof Error && error.name === 'ConditionalCheckFailedException'
}
