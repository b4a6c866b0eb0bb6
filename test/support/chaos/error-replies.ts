import { randomUUID } from 'node:crypto'
import type { AwsRequestInfo } from './aws-request.ts'

/** The retryable failures the fault proxy answers with. */
export type ErrorKind = 'internal' | 'unavailable' | 'throttling'

/** An HTTP answer the SDK parses as a service error. */
export interface ErrorReply {
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  readonly body: string
}

interface ServiceErrors {
  /** `__type` prefix of JSON errors (DynamoDB qualifies its types); the XML namespace of query errors. */
  readonly namespace: string
  readonly codes: Readonly<Record<ErrorKind, string>>
}

/**
 * Error codes each service documents for these failures. The SDK retries them all: 500 and 503
 * as transient, `Throttling`/`ThrottlingException` as throttling (with a longer back-off).
 */
const SERVICE_ERRORS: Readonly<Record<string, ServiceErrors>> = {
  iam: {
    namespace: 'https://iam.amazonaws.com/doc/2010-05-08/',
    codes: { internal: 'InternalFailure', unavailable: 'ServiceUnavailable', throttling: 'Throttling' },
  },
  sns: {
    namespace: 'http://sns.amazonaws.com/doc/2010-03-31/',
    codes: { internal: 'InternalError', unavailable: 'ServiceUnavailable', throttling: 'Throttling' },
  },
  dynamodb: {
    namespace: 'com.amazonaws.dynamodb.v20120810#',
    codes: {
      internal: 'InternalServerError',
      unavailable: 'ServiceUnavailable',
      throttling: 'ThrottlingException',
    },
  },
  events: {
    namespace: '',
    codes: {
      internal: 'InternalException',
      unavailable: 'ServiceUnavailableException',
      throttling: 'ThrottlingException',
    },
  },
}

const FALLBACK: ServiceErrors = {
  namespace: '',
  codes: {
    internal: 'InternalFailure',
    unavailable: 'ServiceUnavailable',
    throttling: 'ThrottlingException',
  },
}

/** JSON services on version 1.0 of the protocol; the others (EventBridge) use 1.1. */
const JSON_1_0_SERVICES = new Set(['dynamodb', 'sqs'])

const STATUS: Readonly<Record<ErrorKind, number>> = { internal: 500, unavailable: 503, throttling: 400 }

const MESSAGES: Readonly<Record<ErrorKind, string>> = {
  internal: 'We encountered an internal error. Please try again.',
  unavailable: 'Service is unavailable. Please try again.',
  throttling: 'Rate exceeded',
}

/**
 * The answer AWS gives for a failure, in the request's protocol: for query services (IAM, SNS)
 * `<ErrorResponse><Error><Type>Receiver</Type><Code>InternalFailure</Code>…`; for JSON services
 * (DynamoDB, EventBridge) `{"__type": "…#InternalServerError", "message": …}` with the code in
 * `x-amzn-ErrorType` too.
 */
export function buildErrorReply(
  request: Pick<AwsRequestInfo, 'service' | 'protocol'>,
  kind: ErrorKind,
): ErrorReply {
  const errors = SERVICE_ERRORS[request.service] ?? FALLBACK
  const code = errors.codes[kind]
  const requestId = randomUUID()
  const status = STATUS[kind]
  if (request.protocol === 'json') {
    return {
      status,
      headers: {
        'content-type': `application/x-amz-json-${JSON_1_0_SERVICES.has(request.service) ? '1.0' : '1.1'}`,
        'x-amzn-errortype': `${code}:`,
        'x-amzn-requestid': requestId,
      },
      body: JSON.stringify({ __type: `${errors.namespace}${code}`, message: MESSAGES[kind] }),
    }
  }
  const namespace = errors.namespace === '' ? '' : ` xmlns="${errors.namespace}"`
  const type = kind === 'throttling' ? 'Sender' : 'Receiver'
  return {
    status,
    headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId },
    body:
      `<ErrorResponse${namespace}><Error><Type>${type}</Type><Code>${code}</Code>` +
      `<Message>${MESSAGES[kind]}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
  }
}
