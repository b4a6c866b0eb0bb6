import { PublishCommand, SNSClient, SNSServiceException } from '@aws-sdk/client-sns'
import { mockClient } from 'aws-sdk-client-mock'
import { beforeEach, describe, expect, it } from 'vitest'
import { NotifyError, SnsNotifier } from '#shared/aws/notifier.ts'
import { formatRemediationNotification } from '#shared/notify/format-notification.ts'
import { makeRemediationDetail } from './sample-details.ts'

const TOPIC = 'arn:aws:sns:us-east-1:123456789012:support-guard'
const sns = mockClient(SNSClient)
const notification = formatRemediationNotification(makeRemediationDetail())
const DELIVERY = { notificationId: 'sag-1#outcome:reverted#change:e-1', possibleRepeat: false }

beforeEach(() => {
  sns.reset()
})

describe('SnsNotifier', () => {
  it('publishes subject, text body, the three filter attributes and the notification ID', async () => {
    sns.on(PublishCommand).resolves({ MessageId: 'm-1' })
    await new SnsNotifier(new SNSClient({}), TOPIC).publish(notification, DELIVERY)
    const calls = sns.commandCalls(PublishCommand)
    expect(calls).toHaveLength(1)
    expect(calls[0]?.args[0].input).toEqual({
      TopicArn: TOPIC,
      Subject: notification.subject,
      Message: notification.body,
      MessageAttributes: {
        severity: { DataType: 'String', StringValue: 'high' },
        rule: { DataType: 'String', StringValue: 'SUPPORT_ACCESS_LOST' },
        outcome: { DataType: 'String', StringValue: 'reverted' },
        notificationId: { DataType: 'String', StringValue: DELIVERY.notificationId },
      },
    })
  })

  it('marks a possible repeat with an attribute subscribers can filter on', async () => {
    sns.on(PublishCommand).resolves({ MessageId: 'm-3' })
    await new SnsNotifier(new SNSClient({}), TOPIC).publish(notification, {
      ...DELIVERY,
      possibleRepeat: true,
    })
    expect(sns.commandCalls(PublishCommand)[0]?.args[0].input.MessageAttributes?.possibleRepeat).toEqual({
      DataType: 'String',
      StringValue: 'true',
    })
  })

  it('publishes the chatbot JSON as the message in chatbot format', async () => {
    sns.on(PublishCommand).resolves({ MessageId: 'm-2' })
    await new SnsNotifier(new SNSClient({}), TOPIC, 'chatbot').publish(notification, DELIVERY)
    const input = sns.commandCalls(PublishCommand)[0]?.args[0].input
    expect(JSON.parse(input?.Message ?? 'null')).toEqual(notification.chatbot)
    expect(input?.Subject).toBe(notification.subject)
  })

  it('wraps a failure in NotifyError with the cause', async () => {
    const cause = new SNSServiceException({
      name: 'AuthorizationErrorException',
      $fault: 'client',
      $metadata: {},
      message: 'not authorized to perform SNS:Publish',
    })
    sns.on(PublishCommand).rejects(cause)
    const publishing = new SnsNotifier(new SNSClient({}), TOPIC).publish(notification, DELIVERY)
    await expect(publishing).rejects.toBeInstanceOf(NotifyError)
    await expect(publishing).rejects.toMatchObject({
      name: 'NotifyError',
      topicArn: TOPIC,
      cause,
      message: expect.stringContaining('AuthorizationErrorException'),
    })
  })
})
