import { NOTIFY_FORMATS, type NotifyFormat, parseNotifyFormat } from './format-mode.ts'

/** The notify function's configuration, read once at cold start. */
export interface NotifyConfig {
  readonly topicArn: string
  readonly stateTableName: string
  readonly format: NotifyFormat
}

/** A required environment variable is missing or holds a value the function cannot use. */
export class NotifyConfigError extends Error {
  override readonly name = 'NotifyConfigError'
  readonly variable: string

  constructor(variable: string, problem: string) {
    super(`${variable} ${problem}`)
    this.variable = variable
  }
}

/**
 * Reads `NOTIFICATION_TOPIC_ARN`, `NOTIFY_STATE_TABLE_NAME` and the optional `NOTIFY_FORMAT`
 * (`text` | `chatbot`, default `text`); throws `NotifyConfigError` naming the first bad variable.
 */
export function readNotifyConfig(env: Readonly<Record<string, string | undefined>>): NotifyConfig {
  const topicArn = readRequired(env, 'NOTIFICATION_TOPIC_ARN')
  const stateTableName = readRequired(env, 'NOTIFY_STATE_TABLE_NAME')
  const format = parseNotifyFormat(env.NOTIFY_FORMAT)
  if (format === undefined) {
    throw new NotifyConfigError('NOTIFY_FORMAT', `must be one of ${NOTIFY_FORMATS.join(', ')}`)
  }
  return { topicArn, stateTableName, format }
}

function readRequired(env: Readonly<Record<string, string | undefined>>, name: string): string {
  const value = env[name]?.trim()
  if (value === undefined || value === '') throw new NotifyConfigError(name, 'is not set')
  return value
}
