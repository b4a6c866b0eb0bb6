import { type MessageAttributeValue, PublishCommand, type SNSClient } from '@aws-sdk/client-sns'
import { DEFAULT_NOTIFY_FORMAT, type NotifyFormat, selectMessage } from '#shared/notify/format-mode.ts'
import type { Notification } from '#shared/notify/notification.ts'
import type { Delivery } from '#shared/notify/notify-event.ts'

/** SNS rejected or never received a publish. Rethrown so Lambda retries and the DLQ keeps the event. */
export class NotifyError extends Error {
  override readonly name = 'NotifyError'
  readonly topicArn: string

  constructor(topicArn: string, cause: unknown) {
    const detail = cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause)
    super(`SNS publish to ${topicArn} failed: ${detail}`, { cause })
    this.topicArn = topicArn
  }
}

/**
 * Publishes notifications to one SNS topic, with `severity`, `rule` and `outcome` as filterable
 * attributes, `notificationId` (the same for every repeat of one notification) and, on a message
 * that may repeat an earlier one, `possibleRepeat: true`.
 */
export class SnsNotifier {
  readonly #sns: SNSClient
  readonly #topicArn: string
  readonly #format: NotifyFormat

  constructor(sns: SNSClient, topicArn: string, format: NotifyFormat = DEFAULT_NOTIFY_FORMAT) {
    this.#sns = sns
    this.#topicArn = topicArn
    this.#format = format
  }

  async publish(notification: Notification, delivery: Delivery): Promise<void> {
    const { severity, rule, outcome } = notification.attributes
    try {
      await this.#sns.send(
        new PublishCommand({
          TopicArn: this.#topicArn,
          Subject: notification.subject,
          Message: selectMessage(notification, this.#format),
          MessageAttributes: {
            severity: stringAttribute(severity),
            rule: stringAttribute(rule),
            outcome: stringAttribute(outcome),
            notificationId: stringAttribute(delivery.notificationId),
            ...(delivery.possibleRepeat ? { possibleRepeat: stringAttribute('true') } : {}),
          },
        }),
      )
    } catch (error) {
      throw new NotifyError(this.#topicArn, error)
    }
  }
}

function stringAttribute(value: string): MessageAttributeValue {
  return { DataType: 'String', StringValue: value }
}
