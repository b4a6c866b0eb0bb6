import {
  DeleteItemCommand,
  DynamoDBClient,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb'
import { DescribeAccountCommand, OrganizationsClient } from '@aws-sdk/client-organizations'
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns'
import { DynamoDBDocumentClient, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb'
import type { Context } from 'aws-lambda'
import { mockClient } from 'aws-sdk-client-mock'
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { readEnv } from '#shared/aws/runtime-config.ts'
import { makeFindingDetail } from './sample-details.ts'
import { makeSummaryDetail } from './sample-summary.ts'

// The notify function as deployed in an organisation (ORGANIZATION_ID set) and without one.
const TOPIC = 'arn:aws:sns:us-east-1:123456789012:support-guard-notifications'
const TABLE = 'support-guard-notify-state'
const ORGANIZATION = 'o-a1b2c3d4e5'
const sns = mockClient(SNSClient)
const doc = mockClient(DynamoDBDocumentClient)
const idempotency = mockClient(DynamoDBClient)
const organizations = mockClient(OrganizationsClient)
const savedEnv = { ...process.env }

const context = {
  functionName: 'notify',
  awsRequestId: 'req-1',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:notify',
  getRemainingTimeInMillis: () => 10_000,
} as Context

const event = (detailType: string, detail: unknown, id: string) => ({
  version: '0',
  id,
  'detail-type': detailType,
  source: 'support-guard',
  account: '123456789012',
  time: '2026-11-29T10:08:00Z',
  region: 'us-east-1',
  resources: [],
  detail,
})

async function loadHandler(env: Record<string, string | undefined>) {
  vi.resetModules()
  process.env = {
    ...savedEnv,
    POWERTOOLS_LOG_LEVEL: 'SILENT',
    POWERTOOLS_METRICS_DISABLED: 'true',
    AWS_REGION: 'us-east-1',
    IDEMPOTENCY_TABLE_NAME: 'support-guard-idempotency',
    NOTIFICATION_TOPIC_ARN: TOPIC,
    NOTIFY_STATE_TABLE_NAME: TABLE,
    ...env,
  }
  return (await import('../../../functions/notify/handler.ts')).handler
}

beforeEach(() => {
  for (const mock of [sns, doc, idempotency, organizations]) mock.reset()
  idempotency.on(PutItemCommand).resolves({})
  idempotency.on(UpdateItemCommand).resolves({})
  idempotency.on(DeleteItemCommand).resolves({})
  sns.on(PublishCommand).resolves({ MessageId: 'm-1' })
  doc.on(PutCommand).resolves({})
  doc.on(UpdateCommand).resolves({})
  organizations
    .on(DescribeAccountCommand)
    .resolves({ Account: { Id: '123456789012', Name: 'workload-prod' } })
})

afterAll(() => {
  process.env = savedEnv
})

describe('notify handler in an organisation', () => {
  it('names the account of a finding by ID and name', async () => {
    const handler = await loadHandler({ ORGANIZATION_ID: ORGANIZATION })
    const finding = event('Support Access Finding', makeFindingDetail('SLR_DELETION_ATTEMPT'), 'delivery-1')
    await expect(handler(finding, context)).resolves.toBe('sent')
    expect(organizations.commandCalls(DescribeAccountCommand)[0]?.args[0].input).toEqual({
      AccountId: '123456789012',
    })
    expect(sns.commandCalls(PublishCommand)[0]?.args[0].input.Message).toContain(
      'Account: 123456789012 (workload-prod)',
    )
  })

  it('sends the finding with the ID alone when Organizations refuses', async () => {
    organizations
      .on(DescribeAccountCommand)
      .rejects(Object.assign(new Error('not authorized'), { name: 'AccessDeniedException' }))
    const handler = await loadHandler({ ORGANIZATION_ID: ORGANIZATION })
    const finding = event('Support Access Finding', makeFindingDetail('SLR_DELETION_ATTEMPT'), 'delivery-2')
    await expect(handler(finding, context)).resolves.toBe('sent')
    const message = sns.commandCalls(PublishCommand)[0]?.args[0].input.Message
    expect(message).toMatch(/^ {2}Account: 123456789012$/m)
    expect(message).not.toContain('workload-prod')
  })

  it('publishes a run summary under its own slot', async () => {
    const handler = await loadHandler({ ORGANIZATION_ID: ORGANIZATION })
    await expect(
      handler(event('Support Access Audit Summary', makeSummaryDetail(), 'delivery-3'), context),
    ).resolves.toBe('sent')
    expect(doc.commandCalls(PutCommand)[0]?.args[0].input.Item).toMatchObject({
      pk: 'NOTIFIED#audit-run#run-2026-11-29',
      sk: 'once',
    })
    const publish = sns.commandCalls(PublishCommand)[0]?.args[0].input
    expect(publish?.Subject).toBe(
      'Support Access Guard: audit of 12 accounts: 3 critical, 5 high; 1 account failed',
    )
    expect(publish?.MessageAttributes?.rule).toEqual({ DataType: 'String', StringValue: 'AUDIT_SUMMARY' })
    expect(organizations.calls()).toHaveLength(0)
  })
})

describe('notify handler outside an organisation', () => {
  it('asks Organizations nothing and names the account by ID', async () => {
    const handler = await loadHandler({ ORGANIZATION_ID: undefined })
    const finding = event('Support Access Finding', makeFindingDetail('SLR_DELETION_ATTEMPT'), 'delivery-4')
    await expect(handler(finding, context)).resolves.toBe('sent')
    expect(organizations.calls()).toHaveLength(0)
    expect(sns.commandCalls(PublishCommand)[0]?.args[0].input.Message).toMatch(/^ {2}Account: 123456789012$/m)
  })

  it('fails at cold start on an ORGANIZATION_ID that is not one', async () => {
    await expect(loadHandler({ ORGANIZATION_ID: 'my-org' })).rejects.toThrow(
      'environment variable ORGANIZATION_ID must be an organisation ID such as o-a1b2c3d4e5, got my-org',
    )
  })
})

describe('ORGANIZATION_ID', () => {
  it('is optional, trimmed, and must look like an organisation ID', () => {
    expect(readEnv('ORGANIZATION_ID', {})).toBeUndefined()
    expect(readEnv('ORGANIZATION_ID', { ORGANIZATION_ID: '  ' })).toBeUndefined()
    expect(readEnv('ORGANIZATION_ID', { ORGANIZATION_ID: ` ${ORGANIZATION} ` })).toBe(ORGANIZATION)
    expect(() => readEnv('ORGANIZATION_ID', { ORGANIZATION_ID: 'o-SHOUTING123' })).toThrow(
      expect.objectContaining({ name: 'RuntimeConfigError', path: 'ORGANIZATION_ID' }),
    )
  })
})
