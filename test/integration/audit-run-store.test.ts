import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DynamoAuditRunStore } from '#shared/aws/audit-run-store.ts'
import {
  type AccountAuditOutcome,
  type AuditRunSummary,
  finishAccount,
  MAX_FAILED_LISTED,
} from '#shared/pipeline/audit-run.ts'
import { emulatorClientConfig, type MotoServer, startMotoServer } from '#test-support/emulator/moto-server.ts'

// An organisation's audit run recorded in DynamoDB through the real SDK, against the emulator.
const TABLE = 'audit-runs'
const STARTED = '2026-11-29T10:00:00.000Z'
const FINISHED = new Date('2026-11-29T10:06:00.000Z')
let server: MotoServer | undefined
let dynamo: DynamoDBClient
let doc: DynamoDBDocumentClient
let store: DynamoAuditRunStore

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
  store = new DynamoAuditRunStore(doc, TABLE)
})

afterAll(async () => {
  dynamo?.destroy()
  await server?.stop()
})

const ZERO = { critical: 0, high: 0, medium: 0, low: 0, info: 0 }

function audited(accountId: string, principals: number, critical: number): AccountAuditOutcome {
  return {
    accountId,
    accountName: `workload-${accountId.slice(-2)}`,
    status: 'audited',
    principals,
    findingsBySeverity: { ...ZERO, critical, high: 1 },
  }
}

describe('DynamoAuditRunStore on DynamoDB', () => {
  it('counts four accounts once each over five deliveries and gives exactly one summary', async () => {
    const runId = 'run-five-deliveries'
    const accounts = ['111111111101', '111111111102', '111111111103', '111111111104']
    await store.start({ runId, startedAt: STARTED, accounts: accounts.map((id) => ({ id })) })
    // Starting again (a retried planner) keeps the run as it is.
    await store.start({ runId, startedAt: '2026-11-29T11:00:00.000Z', accounts: [] })
    const deliveries: AccountAuditOutcome[] = [
      audited('111111111101', 10, 1),
      audited('111111111102', 20, 0),
      // SQS delivers the second account again.
      audited('111111111102', 20, 0),
      {
        accountId: '111111111103',
        accountName: 'sandbox',
        status: 'failed',
        reason: 'AccessDenied: sts:AssumeRole',
      },
      audited('111111111104', 5, 2),
    ]
    const summaries: AuditRunSummary[] = []
    for (const outcome of deliveries) {
      const summary = await finishAccount(store, runId, outcome, () => FINISHED)
      if (summary) summaries.push(summary)
    }
    expect(summaries).toEqual([
      {
        runId,
        startedAt: STARTED,
        finishedAt: FINISHED.toISOString(),
        expected: 4,
        audited: 3,
        failed: [
          { accountId: '111111111103', accountName: 'sandbox', reason: 'AccessDenied: sts:AssumeRole' },
        ],
        failedOmitted: 0,
        findingsBySeverity: { ...ZERO, critical: 3, high: 3 },
        principals: 35,
      },
    ])
    // Every later claim, however many race for it, is refused.
    const claims = await Promise.all([1, 2, 3, 4, 5].map(() => store.claimSummary(runId)))
    expect(claims).toEqual([false, false, false, false, false])
    const account = await doc.send(
      new GetCommand({ TableName: TABLE, Key: { pk: `RUN#${runId}`, sk: 'ACCOUNT#111111111102' } }),
    )
    expect(account.Item).toMatchObject({ status: 'audited', principals: 20, accountName: 'workload-02' })
  })

  // Records and claims that race are exercised in the unit tests (every interleaving, in memory):
  // the emulator does not isolate concurrent writes the way DynamoDB does, so a race against it
  // would test the emulator.
  it('hands the summary to the first claim only', async () => {
    const runId = 'run-claims'
    await store.start({ runId, startedAt: STARTED, accounts: [{ id: '222222222201' }] })
    await expect(store.claimSummary(runId)).resolves.toBe(true)
    await expect(store.claimSummary(runId)).resolves.toBe(false)
    await expect(store.claimSummary('run-never-started')).resolves.toBe(false)
  })

  it('lets a released claim be taken again, once', async () => {
    const runId = 'run-released'
    await store.start({ runId, startedAt: STARTED, accounts: [{ id: '222222222202' }] })
    await expect(store.claimSummary(runId)).resolves.toBe(true)
    await store.releaseSummary(runId)
    await expect(store.claimSummary(runId)).resolves.toBe(true)
    await expect(store.claimSummary(runId)).resolves.toBe(false)
  })

  it('never takes back a claim another worker holds: a release sent again after it changed hands is refused', async () => {
    const runId = 'run-released-twice'
    await store.start({ runId, startedAt: STARTED, accounts: [{ id: '222222222203' }] })
    const other = new DynamoAuditRunStore(doc, TABLE)
    await expect(store.claimSummary(runId)).resolves.toBe(true)
    await store.releaseSummary(runId)
    await expect(other.claimSummary(runId)).resolves.toBe(true)
    await store.releaseSummary(runId)
    await expect(new DynamoAuditRunStore(doc, TABLE).claimSummary(runId)).resolves.toBe(false)
  })

  it('lists the first failures and counts the rest', async () => {
    const runId = 'run-many-failures'
    const ids = Array.from({ length: MAX_FAILED_LISTED + 2 }, (_, index) => String(333333330000 + index))
    await store.start({ runId, startedAt: STARTED, accounts: ids.map((id) => ({ id })) })
    let summary: AuditRunSummary | undefined
    for (const id of ids)
      summary = await finishAccount(
        store,
        runId,
        { accountId: id, status: 'failed', reason: `denied ${id}` },
        () => FINISHED,
      )
    expect(summary?.failed).toHaveLength(MAX_FAILED_LISTED)
    expect(summary?.failed[0]).toEqual({ accountId: '333333330000', reason: 'denied 333333330000' })
    expect(summary?.failedOmitted).toBe(2)
    expect(summary?.audited).toBe(0)
  })

  it('refuses an account of a run that was never started', async () => {
    await expect(store.record('run-never-started', audited('444444444401', 1, 0))).rejects.toThrow(
      'audit run run-never-started was not started',
    )
  })
})
