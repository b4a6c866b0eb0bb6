import { randomUUID } from 'node:crypto'

export const E2E_ACCOUNT_ID = '123456789012'
export const E2E_REGION = 'us-east-1'

/** CloudTrail `userIdentity` of the caller. */
export type CloudTrailIdentity = Readonly<Record<string, unknown>>

/**
 * The AWS service that answers a call: the `source` EventBridge gives the event and the
 * `eventSource` CloudTrail records (the service's endpoint).
 */
export interface AwsService {
  readonly source: `aws.${string}`
  readonly eventSource: `${string}.amazonaws.com`
}

export const IAM_SERVICE: AwsService = { source: 'aws.iam', eventSource: 'iam.amazonaws.com' }

/** AWS Support authorization (support permits); a regional service, unlike IAM. */
export const SUPPORT_AUTHZ_SERVICE: AwsService = {
  source: 'aws.supportauthz',
  eventSource: 'supportauthz.amazonaws.com',
}

/** One API call as CloudTrail records it. */
export interface ApiCall {
  readonly eventName: string
  readonly identity: CloudTrailIdentity
  /** CloudTrail records `null` when the request could not be parsed (AccessDenied). */
  readonly requestParameters: Readonly<Record<string, unknown>> | null
  readonly responseElements?: Readonly<Record<string, unknown>> | null
  /** Set for a failed call, e.g. `UnmodifiableEntity`. */
  readonly errorCode?: string
  readonly errorMessage?: string
  readonly sourceIp?: string
  readonly userAgent?: string
  readonly time?: Date
}

/** The EventBridge event CloudTrail emits for an API call (`detail-type: AWS API Call via CloudTrail`). */
export interface CloudTrailEvent {
  readonly version: '0'
  readonly id: string
  readonly 'detail-type': 'AWS API Call via CloudTrail'
  readonly source: AwsService['source']
  readonly account: string
  readonly time: string
  readonly region: string
  readonly resources: readonly string[]
  readonly detail: Readonly<Record<string, unknown>>
}

const CLI_USER_AGENT = 'aws-cli/2.22.35 md/awscrt#0.23.8 ua/2.1 os/linux#6.8.0 lang/python#3.12.6'

/** `userIdentity` of an IAM user calling with an access key. */
export function identifyIamUser(userName: string): CloudTrailIdentity {
  return {
    type: 'IAMUser',
    principalId: `AIDA${fakeId(userName)}`,
    arn: `arn:aws:iam::${E2E_ACCOUNT_ID}:user/${userName}`,
    accountId: E2E_ACCOUNT_ID,
    accessKeyId: `AKIA${fakeId(`${userName}-key`)}`,
    userName,
  }
}

/** `userIdentity` of a session of an assumed role; the role ARN is the session issuer. */
export function identifyAssumedRole(roleArn: string, sessionName: string): CloudTrailIdentity {
  const roleName = roleArn.slice(roleArn.lastIndexOf('/') + 1)
  const roleId = `AROA${fakeId(roleArn)}`
  return {
    type: 'AssumedRole',
    principalId: `${roleId}:${sessionName}`,
    arn: `arn:aws:sts::${E2E_ACCOUNT_ID}:assumed-role/${roleName}/${sessionName}`,
    accountId: E2E_ACCOUNT_ID,
    accessKeyId: `ASIA${fakeId(sessionName)}`,
    sessionContext: {
      sessionIssuer: {
        type: 'Role',
        principalId: roleId,
        arn: roleArn,
        accountId: E2E_ACCOUNT_ID,
        userName: roleName,
      },
      attributes: { creationDate: formatCloudTrailTime(new Date()), mfaAuthenticated: 'false' },
    },
  }
}

/**
 * Builds the event AWS delivers to EventBridge for a call to `service` (IAM unless given): the
 * service's `source`, CloudTrail's record in `detail` with its `eventSource` and a fresh
 * `eventID`, Region us-east-1 (IAM's endpoint Region, and the stack's), and policy documents
 * kept as the JSON strings the caller sent.
 */
export function buildCloudTrailEvent(call: ApiCall, service: AwsService = IAM_SERVICE): CloudTrailEvent {
  const time = formatCloudTrailTime(call.time ?? new Date())
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'AWS API Call via CloudTrail',
    source: service.source,
    account: E2E_ACCOUNT_ID,
    time,
    region: E2E_REGION,
    resources: [],
    detail: {
      eventVersion: '1.11',
      userIdentity: call.identity,
      eventTime: time,
      eventSource: service.eventSource,
      eventName: call.eventName,
      awsRegion: E2E_REGION,
      sourceIPAddress: call.sourceIp ?? '203.0.113.24',
      userAgent: call.userAgent ?? CLI_USER_AGENT,
      ...(call.errorCode
        ? { errorCode: call.errorCode, errorMessage: call.errorMessage ?? call.errorCode }
        : {}),
      requestParameters: call.requestParameters,
      responseElements: call.responseElements ?? null,
      requestID: randomUUID(),
      eventID: randomUUID(),
      readOnly: false,
      eventType: 'AwsApiCall',
      managementEvent: true,
      recipientAccountId: E2E_ACCOUNT_ID,
      eventCategory: 'Management',
    },
  }
}

/** CloudTrail writes times to the second: `2025-03-10T16:08:52Z`. */
export function formatCloudTrailTime(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`
}

/** A stable 17-character upper-case ID, so the same caller always has the same principal ID. */
function fakeId(seed: string): string {
  let hash = 2166136261
  for (const char of seed) hash = Math.imul(hash ^ (char.codePointAt(0) ?? 0), 16777619) >>> 0
  return hash.toString(36).toUpperCase().padEnd(17, 'X').slice(0, 17)
}
