/**
 * Custom notification for AWS Chatbot (Amazon Q Developer in chat applications). `version` must
 * be `1.0` and `source` must be `custom`; `client-markdown` is the only `textType` it accepts and
 * is rendered in the chat platform's own markdown. `additionalContext` values are strings.
 */
export interface ChatbotNotification {
  readonly version: '1.0'
  readonly source: 'custom'
  readonly content: {
    readonly textType: 'client-markdown'
    readonly title: string
    readonly description: string
    readonly nextSteps: readonly string[]
    readonly keywords: readonly string[]
  }
  readonly metadata: {
    /** Threads a finding and the outcome of its revert together in the channel. */
    readonly threadId: string
    readonly summary: string
    readonly eventType: string
    readonly relatedResources: readonly string[]
    readonly additionalContext: Readonly<Record<string, string>>
  }
}

/** `open` for findings; the remediation outcome for remediations; `summary` for an audit run's summary. */
export type NotificationOutcome = 'open' | 'reverted' | 'failed' | 'skipped' | 'summary'

/** One SNS message, in every form a subscriber may need it. */
export interface Notification {
  /**
   * SNS-safe: printable ASCII, one line, under 100 characters. A finding or an outcome leads with
   * `[SEVERITY]`; an audit run's summary with `Support Access Guard:`.
   */
  readonly subject: string
  /** Plain text a person can act on (email, SMS gateways, ticketing). */
  readonly body: string
  /** Sent as SNS `MessageAttributes` so subscriptions can filter. */
  readonly attributes: {
    readonly severity: string
    readonly rule: string
    readonly outcome: NotificationOutcome
  }
  readonly chatbot: ChatbotNotification
}
