import type { IncomingHttpHeaders } from 'node:http'

/** How an AWS service encodes requests and errors. */
export type AwsProtocol = 'query' | 'json'

/** What the fault proxy needs to know about one SDK request. */
export interface AwsRequestInfo {
  /** The signing name of the credential scope (`iam`, `dynamodb`, `sns`, `events`, `sqs`), or `unknown`. */
  readonly service: string
  /** The API operation (`GetRole`, `PutItem`, …), or `unknown`. */
  readonly action: string
  readonly protocol: AwsProtocol
  /** The SDK's attempt number for this operation (`amz-sdk-request: attempt=2; max=3`); 1 when absent. */
  readonly attempt: number
  /** The SDK's ID of the operation, the same on each of its retries (`amz-sdk-invocation-id`). */
  readonly invocationId: string | undefined
  /** Form fields of a query-protocol request but `Action` and `Version` (IAM's RoleName, PolicyArn, …). */
  readonly params: Readonly<Record<string, string>>
}

const CREDENTIAL_SCOPE = /Credential=[^/,\s]+\/\d{8}\/[^/,\s]+\/([^/,\s]+)\/aws4_request/

/**
 * The service a SigV4 request is signed for: the fourth part of the credential scope,
 * `Credential=KEY/DATE/REGION/<service>/aws4_request`.
 */
export function readSigningService(authorization: string | undefined): string | undefined {
  return authorization === undefined ? undefined : CREDENTIAL_SCOPE.exec(authorization)?.[1]
}

/** The attempt number in the SDK's `amz-sdk-request` header (`attempt=2; max=3`); 1 when absent. */
export function readSdkAttempt(header: string | undefined): number {
  const match = header === undefined ? null : /(?:^|;)\s*attempt=(\d+)/.exec(header)
  const attempt = match?.[1] === undefined ? Number.NaN : Number(match[1])
  return Number.isInteger(attempt) && attempt > 0 ? attempt : 1
}

/**
 * Reads an SDK request: JSON-protocol services (DynamoDB, EventBridge, SQS) name the operation in
 * `X-Amz-Target` (`DynamoDB_20120810.PutItem`); query-protocol ones (IAM, SNS) send a form body
 * with `Action=GetRole&Version=…&…`.
 */
export function describeAwsRequest(headers: IncomingHttpHeaders, body: string): AwsRequestInfo {
  const service = readSigningService(single(headers.authorization)) ?? 'unknown'
  const attempt = readSdkAttempt(single(headers['amz-sdk-request']))
  const invocationId = single(headers['amz-sdk-invocation-id'])
  const target = single(headers['x-amz-target'])
  if (target !== undefined) {
    const action = target.slice(target.lastIndexOf('.') + 1) || 'unknown'
    return { service, action, protocol: 'json', attempt, invocationId, params: {} }
  }
  const form = new URLSearchParams(body)
  const params: Record<string, string> = {}
  for (const [name, value] of form) if (name !== 'Action' && name !== 'Version') params[name] = value
  return {
    service,
    action: form.get('Action') ?? 'unknown',
    protocol: 'query',
    attempt,
    invocationId,
    params,
  }
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value
}
