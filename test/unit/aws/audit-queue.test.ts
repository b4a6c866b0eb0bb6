import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs'
import { mockClient } from 'aws-sdk-client-mock'
import { beforeEach, describe, expect, it } from 'vitest'
import { AuditQueueError, SqsAssignmentQueue } from '#shared/aws/audit-queue.ts'

const sqs = mockClient(SQSClient)
const URL = 'https://sqs.us-east-1.amazonaws.com/123456789012/audit'
const assignments = Array.from({ length: 23 }, (_, index) => ({
  runId: 'run-1',
  accountId: String(100000000000 + index),
}))

beforeEach(() => sqs.reset())

describe('SqsAssignmentQueue', () => {
  it('sends every assignment once, ten per batch', async () => {
    sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] })
    await new SqsAssignmentQueue(new SQSClient({}), URL).send(assignments)
    const batches = sqs.commandCalls(SendMessageBatchCommand).map((call) => call.args[0].input)
    expect(batches.map((batch) => batch.Entries?.length)).toEqual([10, 10, 3])
    expect(batches.every((batch) => batch.QueueUrl === URL)).toBe(true)
    const bodies = batches
      .flatMap((batch) => batch.Entries ?? [])
      .map((entry) => JSON.parse(entry.MessageBody ?? ''))
    expect(bodies).toEqual(assignments)
  })

  it('fails naming the accounts SQS refused', async () => {
    sqs.on(SendMessageBatchCommand).resolves({
      Successful: [],
      Failed: [{ Id: '1', Code: 'InternalError', SenderFault: false, Message: 'try again' }],
    })
    await expect(
      new SqsAssignmentQueue(new SQSClient({}), URL).send(assignments.slice(0, 2)),
    ).rejects.toThrow(new AuditQueueError('SQS refused 1 assignment(s): 100000000001: try again'))
  })

  it('wraps an SQS error', async () => {
    sqs.on(SendMessageBatchCommand).rejects(new Error('AccessDenied'))
    await expect(
      new SqsAssignmentQueue(new SQSClient({}), URL).send(assignments.slice(0, 1)),
    ).rejects.toThrow(AuditQueueError)
  })
})
