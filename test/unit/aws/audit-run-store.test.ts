import {
  ConditionalCheckFailedException,
  DynamoDBClient,
  TransactionCanceledException,
  TransactionConflictException,
} from '@aws-sdk/client-dynamodb'
import {
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb'
import { mockClient } from 'aws-sdk-client-mock'
import { beforeEach, describe, expect, it } from 'vitest'
import {
  AUDIT_RUN_TTL_SECONDS,
  AuditRunStoreError,
  DynamoAuditRunStore,
} from '#shared/aws/audit-run-store.ts'
import { type AccountAuditOutcome, MAX_FAILED_LISTED, type RunProgress } from '#shared/pipeline/audit-run.ts'

const TABLE = 'support-guard-audit-runs'
const RUN = 'run-1'
const NOW = new Date('2026-11-29T10:00:00.000Z')
const EXPIRES = NOW.getTime() / 1000 + AUDIT_RUN_TTL_SECONDS
const doc = mockClient(DynamoDBDocumentClient)

const ZERO = { critical: 0, high: 0, medium: 0, low: 0, info: 0 }

/** The run item as the store writes it, with the totals given. */
function runItem(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    pk: `RUN#${RUN}`,
    sk: 'RUN',
    runId: RUN,
    startedAt: '2026-11-29T09:59:00.000Z',
    expected: 3,
    audited: 0,
    failures: [],
    failedOmitted: 0,
    findingsBySeverity: ZERO,
    principals: 0,
    expiresAt: EXPIRES,
    ...overrides,
  }
}

const AUDITED: AccountAuditOutcome = {
  accountId: '111122223333',
  accountName: 'workload-prod',
  status: 'audited',
  principals: 12,
  findingsBySeverity: { ...ZERO, critical: 1, high: 2 },
}

const FAILED: AccountAuditOutcome = {
  accountId: '444455556666',
  status: 'failed',
  reason: 'AccessDenied: not authorized to perform sts:AssumeRole',
}

function cancelled(...codes: string[]): TransactionCanceledException {
  return new TransactionCanceledException({
    message: `Transaction cancelled, please refer cancellation reasons for specific reasons [${codes.join(', ')}]`,
    $metadata: { httpStatusCode: 400 },
    CancellationReasons: codes.map((Code) => ({ Code })),
  })
}

function conditionFailed(): ConditionalCheckFailedException {
  return new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} })
}

const pauses: number[] = []

function makeStore(): DynamoAuditRunStore {
  return new DynamoAuditRunStore(
    DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' })),
    TABLE,
    {
      now: () => NOW,
      sleep: async (ms) => {
        pauses.push(ms)
      },
    },
  )
}

beforeEach(() => {
  doc.reset()
  pauses.length = 0
})

describe('DynamoAuditRunStore.start', () => {
  it('writes the run item only if absent, with distinct accounts expected and a TTL', async () => {
    doc.on(PutCommand).resolves({})
    await makeStore().start({
      runId: RUN,
      startedAt: '2026-11-29T09:59:00.000Z',
      accounts: [
        { id: '111122223333', name: 'workload-prod' },
        { id: '444455556666' },
        { id: '111122223333' },
      ],
    })
    expect(doc.commandCalls(PutCommand)[0]?.args[0].input).toEqual({
      TableName: TABLE,
      Item: runItem({ expected: 2 }),
      ConditionExpression: 'attribute_not_exists(pk)',
    })
  })

  it('leaves a run that was started before as it is', async () => {
    doc.on(PutCommand).rejects(conditionFailed())
    await expect(
      makeStore().start({ runId: RUN, startedAt: '2026-11-29T09:59:00.000Z', accounts: [] }),
    ).resolves.toBeUndefined()
  })

  it('wraps any other failure, keeping the cause', async () => {
    const cause = Object.assign(new Error('throttled'), { name: 'ProvisionedThroughputExceededException' })
    doc.on(PutCommand).rejects(cause)
    const error = await makeStore()
      .start({ runId: RUN, startedAt: '2026-11-29T09:59:00.000Z', accounts: [] })
      .catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(AuditRunStoreError)
    expect(error).toMatchObject({
      name: 'AuditRunStoreError',
      message: 'starting audit run run-1 failed',
      cause,
    })
  })
})

describe('DynamoAuditRunStore.record', () => {
  it('puts the account item and adds its totals in one transaction, then reads the run', async () => {
    doc.on(TransactWriteCommand).resolves({})
    doc.on(GetCommand).resolves({
      Item: runItem({ audited: 1, principals: 12, findingsBySeverity: { ...ZERO, critical: 1, high: 2 } }),
    })
    const progress = await makeStore().record(RUN, AUDITED)
    expect(progress).toEqual({
      runId: RUN,
      startedAt: '2026-11-29T09:59:00.000Z',
      expected: 3,
      audited: 1,
      failed: [],
      failedOmitted: 0,
      findingsBySeverity: { ...ZERO, critical: 1, high: 2 },
      principals: 12,
    } satisfies RunProgress)
    const [put, update] = doc.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems ?? []
    expect(put?.Put).toEqual({
      TableName: TABLE,
      Item: {
        pk: `RUN#${RUN}`,
        sk: 'ACCOUNT#111122223333',
        accountId: '111122223333',
        accountName: 'workload-prod',
        status: 'audited',
        principals: 12,
        findingsBySeverity: { ...ZERO, critical: 1, high: 2 },
        recordedAt: NOW.toISOString(),
        expiresAt: EXPIRES,
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    })
    expect(update?.Update).toMatchObject({
      TableName: TABLE,
      Key: { pk: `RUN#${RUN}`, sk: 'RUN' },
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeValues: { ':one': 1, ':principals': 12, ':critical': 1, ':high': 2, ':info': 0 },
    })
    expect(update?.Update?.UpdateExpression).toContain('audited = audited + :one')
    expect(update?.Update?.UpdateExpression).toContain(
      'findingsBySeverity.#critical = findingsBySeverity.#critical + :critical',
    )
    expect(doc.commandCalls(GetCommand)[0]?.args[0].input).toEqual({
      TableName: TABLE,
      Key: { pk: `RUN#${RUN}`, sk: 'RUN' },
      ConsistentRead: true,
    })
  })

  it('lists a failure while the list has room', async () => {
    doc.on(TransactWriteCommand).resolves({})
    doc
      .on(GetCommand)
      .resolves({ Item: runItem({ failures: [{ accountId: '444455556666', reason: 'denied' }] }) })
    const progress = await makeStore().record(RUN, FAILED)
    expect(progress.failed).toEqual([{ accountId: '444455556666', reason: 'denied' }])
    const [put, update] = doc.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems ?? []
    expect(put?.Put?.Item).toMatchObject({
      status: 'failed',
      reason: 'AccessDenied: not authorized to perform sts:AssumeRole',
    })
    expect(update?.Update).toMatchObject({
      UpdateExpression: 'SET failures = list_append(failures, :failure)',
      ConditionExpression: 'attribute_exists(pk) AND size(failures) < :listed',
      ExpressionAttributeValues: {
        ':failure': [
          { accountId: '444455556666', reason: 'AccessDenied: not authorized to perform sts:AssumeRole' },
        ],
        ':listed': MAX_FAILED_LISTED,
      },
    })
  })

  it('counts a failure without listing it once the list is full', async () => {
    doc.on(TransactWriteCommand).rejectsOnce(cancelled('None', 'ConditionalCheckFailed')).resolves({})
    doc.on(GetCommand).resolves({ Item: runItem({ failedOmitted: 1 }) })
    await expect(makeStore().record(RUN, FAILED)).resolves.toMatchObject({ failedOmitted: 1 })
    const calls = doc.commandCalls(TransactWriteCommand)
    expect(calls).toHaveLength(2)
    expect(calls[1]?.args[0].input.TransactItems?.[1]?.Update).toMatchObject({
      UpdateExpression: 'SET failedOmitted = failedOmitted + :one',
      ConditionExpression: 'attribute_exists(pk)',
    })
  })

  it('counts nothing for an account recorded before, and returns the run as it stands', async () => {
    doc.on(TransactWriteCommand).rejects(cancelled('ConditionalCheckFailed', 'None'))
    doc.on(GetCommand).resolves({ Item: runItem({ audited: 2, principals: 30 }) })
    await expect(makeStore().record(RUN, AUDITED)).resolves.toMatchObject({ audited: 2, principals: 30 })
    expect(doc.commandCalls(TransactWriteCommand)).toHaveLength(1)
  })

  it('refuses an account of a run that was never started', async () => {
    doc.on(TransactWriteCommand).rejects(cancelled('None', 'ConditionalCheckFailed'))
    await expect(makeStore().record(RUN, AUDITED)).rejects.toThrow(
      new AuditRunStoreError('audit run run-1 was not started'),
    )
    // A failure first tries to be listed, then only counted: both find no run.
    doc.resetHistory()
    await expect(makeStore().record(RUN, FAILED)).rejects.toThrow('audit run run-1 was not started')
    expect(doc.commandCalls(TransactWriteCommand)).toHaveLength(2)
  })

  it('tries again when another transaction held the run item', async () => {
    doc
      .on(TransactWriteCommand)
      .rejectsOnce(cancelled('None', 'TransactionConflict'))
      .rejectsOnce(cancelled('None', 'TransactionConflict'))
      .resolves({})
    doc.on(GetCommand).resolves({ Item: runItem({ audited: 1 }) })
    await expect(makeStore().record(RUN, AUDITED)).resolves.toMatchObject({ audited: 1 })
    expect(doc.commandCalls(TransactWriteCommand)).toHaveLength(3)
    expect(pauses).toHaveLength(2)
  })

  it('gives up on a conflict that does not clear, wrapping it', async () => {
    const conflict = cancelled('None', 'TransactionConflict')
    doc.on(TransactWriteCommand).rejects(conflict)
    const error = await makeStore()
      .record(RUN, AUDITED)
      .catch((caught: unknown) => caught)
    expect(error).toMatchObject({
      name: 'AuditRunStoreError',
      message: 'recording account 111122223333 in audit run run-1 failed',
      cause: conflict,
    })
    expect(doc.commandCalls(TransactWriteCommand)).toHaveLength(6)
  })

  it('wraps a failed write and a failed read', async () => {
    const cause = new Error('socket hang up')
    doc.on(TransactWriteCommand).rejects(cause)
    await expect(makeStore().record(RUN, AUDITED)).rejects.toMatchObject({
      name: 'AuditRunStoreError',
      cause,
    })
    doc.reset()
    doc.on(TransactWriteCommand).resolves({})
    doc.on(GetCommand).rejects(cause)
    await expect(makeStore().record(RUN, AUDITED)).rejects.toMatchObject({
      name: 'AuditRunStoreError',
      message: 'reading audit run run-1 failed',
      cause,
    })
  })

  it('refuses a run item it did not write', async () => {
    doc.on(TransactWriteCommand).resolves({})
    doc.on(GetCommand).resolves({ Item: runItem({ audited: 'many' }) })
    await expect(makeStore().record(RUN, AUDITED)).rejects.toThrow(
      'audit run run-1 is malformed in the table',
    )
  })
})

describe('DynamoAuditRunStore.claimSummary', () => {
  it('claims the summary where nobody has', async () => {
    doc.on(UpdateCommand).resolves({})
    await expect(makeStore().claimSummary(RUN)).resolves.toBe(true)
    expect(doc.commandCalls(UpdateCommand)[0]?.args[0].input).toEqual({
      TableName: TABLE,
      Key: { pk: `RUN#${RUN}`, sk: 'RUN' },
      UpdateExpression: 'SET summaryClaimedBy = :token, summaryClaimedAt = :now',
      ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(summaryClaimedBy)',
      ExpressionAttributeValues: { ':token': expect.any(String), ':now': NOW.toISOString() },
    })
  })

  it('answers false when another worker holds the claim', async () => {
    doc.on(UpdateCommand).rejects(conditionFailed())
    doc.on(GetCommand).resolves({ Item: runItem({ summaryClaimedBy: 'another-worker' }) })
    await expect(makeStore().claimSummary(RUN)).resolves.toBe(false)
  })

  it('answers false for a run that does not exist', async () => {
    doc.on(UpdateCommand).rejects(conditionFailed())
    doc.on(GetCommand).resolves({})
    await expect(makeStore().claimSummary(RUN)).resolves.toBe(false)
  })

  it('answers true when the claim it meets is its own (a reply lost, the write retried)', async () => {
    let token: unknown
    doc.on(UpdateCommand).callsFake((input: { ExpressionAttributeValues: Record<string, unknown> }) => {
      token = input.ExpressionAttributeValues[':token']
      throw conditionFailed()
    })
    doc.on(GetCommand).callsFake(() => ({ Item: runItem({ summaryClaimedBy: token }) }))
    await expect(makeStore().claimSummary(RUN)).resolves.toBe(true)
  })

  it('tries again when a transaction held the run item', async () => {
    doc
      .on(UpdateCommand)
      .rejectsOnce(new TransactionConflictException({ message: 'conflict', $metadata: {} }))
      .resolves({})
    await expect(makeStore().claimSummary(RUN)).resolves.toBe(true)
    expect(doc.commandCalls(UpdateCommand)).toHaveLength(2)
  })

  it('wraps any other failure', async () => {
    const cause = new Error('AccessDeniedException')
    doc.on(UpdateCommand).rejects(cause)
    await expect(makeStore().claimSummary(RUN)).rejects.toMatchObject({
      name: 'AuditRunStoreError',
      message: 'claiming the summary of audit run run-1 failed',
      cause,
    })
  })
})

describe('DynamoAuditRunStore.releaseSummary', () => {
  it('gives back only the claim this store won, by its token', async () => {
    doc.on(UpdateCommand).resolves({})
    const store = makeStore()
    await store.claimSummary(RUN)
    const won = doc.commandCalls(UpdateCommand)[0]?.args[0].input.ExpressionAttributeValues?.[':token']
    await store.releaseSummary(RUN)
    expect(doc.commandCalls(UpdateCommand)[1]?.args[0].input).toEqual({
      TableName: TABLE,
      Key: { pk: `RUN#${RUN}`, sk: 'RUN' },
      UpdateExpression: 'REMOVE summaryClaimedBy, summaryClaimedAt',
      ConditionExpression: 'summaryClaimedBy = :token',
      ExpressionAttributeValues: { ':token': won },
    })
    // Given back once, it is not this store's to give back again.
    await store.releaseSummary(RUN)
    expect(doc.commandCalls(UpdateCommand)).toHaveLength(2)
  })

  it('sends nothing for a claim it never won', async () => {
    doc.on(UpdateCommand).rejects(conditionFailed())
    doc.on(GetCommand).resolves({ Item: runItem({ summaryClaimedBy: 'another-worker' }) })
    const store = makeStore()
    await expect(store.claimSummary(RUN)).resolves.toBe(false)
    await store.releaseSummary(RUN)
    expect(doc.commandCalls(UpdateCommand)).toHaveLength(1)
  })

  it('leaves a claim another worker took since in place, without an error', async () => {
    const store = makeStore()
    doc.on(UpdateCommand).resolvesOnce({}).rejects(conditionFailed())
    await store.claimSummary(RUN)
    await expect(store.releaseSummary(RUN)).resolves.toBeUndefined()
  })

  it('wraps any other failure', async () => {
    const cause = new Error('AccessDeniedException')
    const store = makeStore()
    doc.on(UpdateCommand).resolvesOnce({}).rejects(cause)
    await store.claimSummary(RUN)
    await expect(store.releaseSummary(RUN)).rejects.toMatchObject({
      name: 'AuditRunStoreError',
      message: 'releasing the summary of audit run run-1 failed',
      cause,
    })
  })
})
