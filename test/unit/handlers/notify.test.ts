import {
  DeleteItemCommand,
  DynamoDBClient,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb'
import { PublishCommand, SNSClient, SNSServiceException } from '@aws-sdk/client-sns'
import { DeleteCommand, DynamoDBDocumentClient, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb'
import type { Context } from 'aws-lambda'
import { mockClient } from 'aws-sdk-client-mock'
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { makeFindingDetail } from '../notify/sample-details.ts'

const TOPIC = 'arn:aws:sns:us-east-1:123456789012:support-guard-notifications'
const TABLE = 'support-guard-notify-state'
const sns = mockClient(SNSClient)
const doc = mockClient(DynamoDBDocumentClient)
// The idempotency layer (one notification per bus event ID) writes through the plain client.
const idempotency = mockClient(DynamoDBClient)
const savedEnv = { ...process.env }

const context = {
  callbackWaitsForEmptyEventLoop: true,
  functionName: 'notify',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:notify',
  memoryLimitInMB: '256',
  awsRequestId: 'req-1',
  logGroupName: '/aws/lambda/notify',
  logStreamName: '2025/03/26/[$LATEST]abc',
  getRemainingTimeInMillis: () => 10_000,
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
} as Context

const FINDING_EVENT = {
  version: '0',
  id: '7a1e0c55-3b7d-4c53-9f0e-2a4d6b8c9e01',
  'detail-type': 'Support Access Finding',
  source: 'support-guard',
  account: '123456789012',
  time: '2025-03-26T20:44:40Z',
  region: 'us-east-1',
  resources: [],
  detail: makeFindingDetail('SLR_DELETION_ATTEMPT', 'monitor'),
}

async function loadHandler(env: Record<string, string | undefined>) {
  vi.resetModules()
  process.env = {
    ...savedEnv,
    POWERTOOLS_LOG_LEVEL: 'SILENT',
    POWERTOOLS_METRICS_DISABLED: 'true',
    AWS_REGION: 'us-east-1',
    IDEMPOTENCY_TABLE_NAME: 'support-guard-idempotency',
    ...env,
  }
  return (await import('../../../functions/notify/handler.ts')).handler
}

beforeEach(() => {
  sns.reset()
  doc.reset()
  idempotency.reset()
  idempotency.on(PutItemCommand).resolves({})
  idempotency.on(UpdateItemCommand).resolves({})
  idempotency.on(DeleteItemCommand).resolves({})
})

afterAll(() => {
  process.env = savedEnv
})

describe('notify handler', () => {
  it('publishes a finding event to the topic, claiming its slot first and recording it as sent after', async () => {
    const handler = await loadHandler({ NOTIFICATION_TOPIC_ARN: TOPIC, NOTIFY_STATE_TABLE_NAME: TABLE })
    sns.on(PublishCommand).resolves({ MessageId: 'm-1' })
    doc.on(PutCommand).resolves({})
    doc.on(UpdateCommand).resolves({})

    await expect(handler(structuredClone(FINDING_EVENT), context)).resolves.toBe('sent')
    expect(idempotency.commandCalls(PutItemCommand)[0]?.args[0].input.TableName).toBe(
      'support-guard-idempotency',
    )

    const put = doc.commandCalls(PutCommand)[0]?.args[0].input
    expect(put?.TableName).toBe(TABLE)
    // A change-raised finding claims a slot per CloudTrail event.
    expect(put?.Item?.pk).toBe(
      `NOTIFIED#${FINDING_EVENT.detail.id}#change:${FINDING_EVENT.detail.change?.eventId}`,
    )
    const publish = sns.commandCalls(PublishCommand)[0]?.args[0].input
    expect(publish?.TopicArn).toBe(TOPIC)
    expect(publish?.Subject).toBe(
      '[CRITICAL] SLR_DELETION_ATTEMPT: AWSServiceRoleForSupport deletion attempted',
    )
    expect(publish?.Message).toContain('DeleteServiceLinkedRole')
    expect(publish?.MessageAttributes?.severity).toEqual({ DataType: 'String', StringValue: 'critical' })
    expect(publish?.MessageAttributes?.notificationId?.StringValue).toBe(put?.Item?.slot)
    const sent = doc.commandCalls(UpdateCommand)[0]?.args[0].input
    expect(sent?.Key).toEqual({ pk: put?.Item?.pk, sk: 'once' })
    expect(sent?.ExpressionAttributeValues?.[':sent']).toBe('sent')
    // The in-progress record of the delivery expires with the invocation's remaining time.
    const inProgress = idempotency.commandCalls(PutItemCommand)[0]?.args[0].input.Item
    expect(Number(inProgress?.in_progress_expiration?.N)).toBeLessThanOrEqual(Date.now() + 10_000)
    expect(Number(inProgress?.in_progress_expiration?.N)).toBeGreaterThan(Date.now() + 5_000)
  })

  it('gives the slot back when SNS refuses the publish, and rethrows so Lambda retries', async () => {
    const handler = await loadHandler({ NOTIFICATION_TOPIC_ARN: TOPIC, NOTIFY_STATE_TABLE_NAME: TABLE })
    sns.on(PublishCommand).rejects(
      new SNSServiceException({
        name: 'Throttled',
        $fault: 'client',
        $metadata: { httpStatusCode: 400 },
        message: 'Rate exceeded',
      }),
    )
    doc.on(PutCommand).resolves({})
    doc.on(DeleteCommand).resolves({})
    await expect(handler(structuredClone(FINDING_EVENT), context)).rejects.toMatchObject({
      name: 'NotifyError',
    })
    const put = doc.commandCalls(PutCommand)[0]?.args[0].input
    expect(doc.commandCalls(DeleteCommand)[0]?.args[0].input).toMatchObject({
      Key: { pk: put?.Item?.pk, sk: 'once' },
      ExpressionAttributeValues: { ':owner': put?.Item?.owner },
    })
    // The delivery's idempotency record is deleted too, so the retry runs again.
    expect(idempotency.commandCalls(DeleteItemCommand)).toHaveLength(1)
  })

  it('rethrows a publish failure so Lambda retries', async () => {
    const handler = await loadHandler({ NOTIFICATION_TOPIC_ARN: TOPIC, NOTIFY_STATE_TABLE_NAME: TABLE })
    sns.on(PublishCommand).rejects(new Error('throttled'))
    doc.on(PutCommand).resolves({})
    await expect(handler(structuredClone(FINDING_EVENT), context)).rejects.toMatchObject({
      name: 'NotifyError',
    })
  })

  it('rethrows bad input as BusEventError', async () => {
    const handler = await loadHandler({ NOTIFICATION_TOPIC_ARN: TOPIC, NOTIFY_STATE_TABLE_NAME: TABLE })
    const event = { ...structuredClone(FINDING_EVENT), source: 'aws.iam' }
    await expect(handler(event, context)).rejects.toMatchObject({ name: 'BusEventError' })
    expect(sns.calls()).toHaveLength(0)
  })

  it('fails at cold start naming a missing variable', async () => {
    await expect(
      loadHandler({ NOTIFICATION_TOPIC_ARN: TOPIC, NOTIFY_STATE_TABLE_NAME: undefined }),
    ).rejects.toThrow('NOTIFY_STATE_TABLE_NAME is not set')
  })
})
