import { describe, expect, it } from 'vitest'
import { RuntimeConfigError, readNotifyConfig } from '#shared/aws/runtime-config.ts'
import { parseNotifyFormat, selectMessage } from '#shared/notify/format-mode.ts'
import { formatFindingNotification } from '#shared/notify/format-notification.ts'
import { makeFindingDetail } from './sample-details.ts'

const TOPIC = 'arn:aws:sns:us-east-1:123456789012:guard'

describe('readNotifyConfig', () => {
  it('reads the topic, the table and the default text format', () => {
    expect(readNotifyConfig({ NOTIFICATION_TOPIC_ARN: TOPIC, NOTIFY_STATE_TABLE_NAME: 'state' })).toEqual({
      topicArn: TOPIC,
      stateTableName: 'state',
      format: 'text',
    })
  })

  it('accepts NOTIFY_FORMAT=chatbot in any case', () => {
    const config = readNotifyConfig({
      NOTIFICATION_TOPIC_ARN: TOPIC,
      NOTIFY_STATE_TABLE_NAME: 'state',
      NOTIFY_FORMAT: ' Chatbot ',
    })
    expect(config.format).toBe('chatbot')
  })

  it.each([
    { env: { NOTIFY_STATE_TABLE_NAME: 'state' }, variable: 'NOTIFICATION_TOPIC_ARN' },
    {
      env: { NOTIFICATION_TOPIC_ARN: TOPIC, NOTIFY_STATE_TABLE_NAME: ' ' },
      variable: 'NOTIFY_STATE_TABLE_NAME',
    },
    {
      env: { NOTIFICATION_TOPIC_ARN: TOPIC, NOTIFY_STATE_TABLE_NAME: 's', NOTIFY_FORMAT: 'html' },
      variable: 'NOTIFY_FORMAT',
    },
  ])('names $variable when it is missing or wrong', ({ env, variable }) => {
    let caught: unknown
    try {
      readNotifyConfig(env)
    } catch (error) {
      caught = error
    }
    expect(caught).toBeInstanceOf(RuntimeConfigError)
    expect(caught).toMatchObject({ name: 'RuntimeConfigError', path: variable })
    expect(String(caught)).toContain(variable)
  })
})

describe('format mode', () => {
  it('parses the known formats and rejects others', () => {
    expect(parseNotifyFormat(undefined)).toBe('text')
    expect(parseNotifyFormat('TEXT')).toBe('text')
    expect(parseNotifyFormat('chatbot')).toBe('chatbot')
    expect(parseNotifyFormat('slack')).toBeUndefined()
  })

  it('publishes the text body or the chatbot JSON', () => {
    const notification = formatFindingNotification(makeFindingDetail('SUPPORT_ACCESS_LOST'))
    expect(selectMessage(notification, 'text')).toBe(notification.body)
    expect(JSON.parse(selectMessage(notification, 'chatbot'))).toEqual(notification.chatbot)
  })
})
