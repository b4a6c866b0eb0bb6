import type { EmulatorClientConfig } from '../emulator/moto-server.ts'

/** An SQS call to the emulator failed. */
export class EmulatorSqsError extends Error {
  override readonly name = 'EmulatorSqsError'
}

export interface SqsQueue {
  readonly url: string
  readonly arn: string
}

export interface SqsMessage {
  readonly body: string
}

/**
 * SQS over its JSON protocol with plain fetch: the project has no SQS client and needs only
 * a few calls to read what the emulator delivered. The emulator routes a request by the service
 * named in the credential scope and does not check the signature.
 */
export class EmulatorSqs {
  readonly #config: EmulatorClientConfig

  constructor(config: EmulatorClientConfig) {
    this.#config = config
  }

  async createQueue(name: string): Promise<SqsQueue> {
    const created = await this.#call('CreateQueue', { QueueName: name })
    const url = readString(created, 'QueueUrl')
    const attributes = await this.#call('GetQueueAttributes', { QueueUrl: url, AttributeNames: ['QueueArn'] })
    const arn = readString(isRecord(attributes.Attributes) ? attributes.Attributes : {}, 'QueueArn')
    return { url, arn }
  }

  /** Receives and deletes every message currently in the queue, oldest first as the emulator returns them. */
  async drain(queueUrl: string): Promise<SqsMessage[]> {
    const drained: SqsMessage[] = []
    for (;;) {
      const response = await this.#call('ReceiveMessage', {
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 0,
      })
      const messages = Array.isArray(response.Messages) ? response.Messages.filter(isRecord) : []
      if (messages.length === 0) return drained
      for (const message of messages) drained.push({ body: readString(message, 'Body') })
      const deleted = await this.#call('DeleteMessageBatch', {
        QueueUrl: queueUrl,
        Entries: messages.map((message, index) => ({
          Id: String(index),
          ReceiptHandle: readString(message, 'ReceiptHandle'),
        })),
      })
      if (Array.isArray(deleted.Failed) && deleted.Failed.length > 0) {
        throw new EmulatorSqsError(`SQS DeleteMessageBatch failed: ${JSON.stringify(deleted.Failed)}`)
      }
    }
  }

  async #call(action: string, input: Record<string, unknown>): Promise<Record<string, unknown>> {
    const { endpoint, region, credentials } = this.#config
    let response: Response
    try {
      response = await fetch(`${endpoint}/`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-amz-json-1.0',
          'x-amz-target': `AmazonSQS.${action}`,
          authorization: `AWS4-HMAC-SHA256 Credential=${credentials.accessKeyId}/20250101/${region}/sqs/aws4_request, SignedHeaders=host, Signature=0`,
        },
        body: JSON.stringify(input),
      })
    } catch (error) {
      throw new EmulatorSqsError(`SQS ${action} could not reach ${endpoint}`, { cause: error })
    }
    const text = await response.text()
    if (!response.ok) throw new EmulatorSqsError(`SQS ${action} failed (${response.status}): ${text}`)
    const parsed: unknown = text === '' ? {} : JSON.parse(text)
    if (!isRecord(parsed)) throw new EmulatorSqsError(`SQS ${action} returned ${text}`)
    return parsed
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function readString(record: Record<string, unknown>, key: string): string {
  const value = record[key]
  if (typeof value !== 'string') throw new EmulatorSqsError(`SQS response has no ${key}`)
  return value
}
