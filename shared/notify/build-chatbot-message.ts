import type { ChatbotNotification, Notification } from './notification.ts'
import { renderChatDescription, renderTextBody, type Section } from './sections.ts'

const MAX_NEXT_STEP = 3000

export interface ChatbotInput {
  readonly title: string
  readonly sections: readonly Section[]
  readonly nextSteps: readonly string[]
  readonly keywords: readonly string[]
  readonly threadId: string
  readonly summary: string
  readonly eventType: string
  readonly relatedResources: readonly string[]
  readonly additionalContext: Readonly<Record<string, string>>
}

/** A custom notification in the schema AWS Chatbot reads from an SNS message (see ChatbotNotification). */
function buildChatbotMessage(input: ChatbotInput): ChatbotNotification {
  return {
    version: '1.0',
    source: 'custom',
    content: {
      textType: 'client-markdown',
      title: input.title,
      description: renderChatDescription(input.sections),
      nextSteps: input.nextSteps.map((step) =>
        step.length <= MAX_NEXT_STEP ? step : `${step.slice(0, MAX_NEXT_STEP - 3)}...`,
      ),
      keywords: [...new Set(input.keywords)],
    },
    metadata: {
      threadId: input.threadId,
      summary: input.summary,
      eventType: input.eventType,
      relatedResources: [...new Set(input.relatedResources)],
      additionalContext: input.additionalContext,
    },
  }
}

/** A CLI command as inline code in chat markdown. */
export function asCode(command: string): string {
  return `\`${command.replaceAll('`', "'")}\``
}

/** What a notification says, beyond its subject and sections: see assembleNotification. */
export type NotificationParts = Omit<ChatbotInput, 'title' | 'summary' | 'sections'> & {
  readonly subject: string
  /** Every section: all go to the text body, the first three to chat. */
  readonly sections: readonly Section[]
  readonly attributes: Notification['attributes']
}

/** The text body and the chat message of one notification, both from its subject and sections. */
export function assembleNotification(parts: NotificationParts): Notification {
  const { subject, sections, attributes, ...chat } = parts
  return {
    subject,
    body: renderTextBody(subject, sections),
    attributes,
    chatbot: buildChatbotMessage({
      ...chat,
      title: subject,
      summary: subject,
      sections: sections.slice(0, 3),
    }),
  }
}
