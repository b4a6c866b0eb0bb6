import type { Notification } from './notification.ts'

/**
 * What goes in the SNS `Message`.
 *
 * AWS Chatbot (Amazon Q Developer in chat applications) reads a custom notification from the SNS
 * message itself: the message must be the custom notification JSON (`version: "1.0"`,
 * `source: "custom"`, `content`, `metadata`), per its "Custom notifications" event schema. Email
 * subscribers of the same topic would then receive that JSON verbatim. SNS
 * `MessageStructure: 'json'` gives one message per subscription protocol (`default`, `email`,
 * `https`, ...), not per subscriber, so every HTTPS subscriber would get the chat JSON as well.
 * The choice is therefore per topic, read once at cold start: `text` (default) publishes the plain
 * body, `chatbot` publishes the custom notification. Point a `chatbot` deployment at a topic that
 * only Chatbot subscribes to.
 */
export const NOTIFY_FORMATS = ['text', 'chatbot'] as const

export type NotifyFormat = (typeof NOTIFY_FORMATS)[number]

export const DEFAULT_NOTIFY_FORMAT: NotifyFormat = 'text'

/** The configured format, or `undefined` when the value is not one of `NOTIFY_FORMATS`. */
export function parseNotifyFormat(value: string | undefined): NotifyFormat | undefined {
  if (value === undefined || value.trim() === '') return DEFAULT_NOTIFY_FORMAT
  const normalized = value.trim().toLowerCase()
  return NOTIFY_FORMATS.find((format) => format === normalized)
}

/** The SNS `Message` for a notification in the given format. */
export function selectMessage(notification: Notification, format: NotifyFormat): string {
  return format === 'chatbot' ? JSON.stringify(notification.chatbot) : notification.body
}
