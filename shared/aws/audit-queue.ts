import {
  SendMessageBatchCommand,
  type SendMessageBatchCommandOutput,
  type SQSClient,
} from '@aws-sdk/client-sqs'
import type { AssignmentQueue, AuditAssignment } from '#shared/pipeline/organization-audit.ts'

/** SendMessageBatch takes at most ten messages (Amazon SQS API Reference). */
const BATCH = 10

/** Some assignments were not queued: the planner fails, and its schedule delivery is retried. */
export class AuditQueueError extends Error {
  override readonly name = 'AuditQueueError'
}

/**
 * Assignments on the audit queue, ten per call. An entry SQS refuses fails the whole plan rather
 * than leave an account out of the run silently; the run then never completes, and the next
 * scheduled run starts afresh.
 */
export class SqsAssignmentQueue implements AssignmentQueue {
  constructor(
    private readonly sqs: Pick<SQSClient, 'send'>,
    private readonly queueUrl: string,
  ) {}

  async send(assignments: readonly AuditAssignment[]): Promise<void> {
    for (let start = 0; start < assignments.length; start += BATCH) {
      const batch = assignments.slice(start, start + BATCH)
      let answer: SendMessageBatchCommandOutput
      try {
        answer = await this.sqs.send(
          new SendMessageBatchCommand({
            QueueUrl: this.queueUrl,
            Entries: batch.map((assignment, index) => ({
              Id: String(start + index),
              MessageBody: JSON.stringify(assignment),
            })),
          }),
        )
      } catch (error) {
        throw new AuditQueueError(`queueing ${batch.length} account(s) failed`, { cause: error })
      }
      const failed = answer.Failed ?? []
      if (failed.length > 0)
        throw new AuditQueueError(
          `SQS refused ${failed.length} assignment(s): ${failed.map((entry) => `${assignments[Number(entry.Id)]?.accountId}: ${entry.Message ?? 'no reason'}`).join('; ')}`,
        )
    }
  }
}
