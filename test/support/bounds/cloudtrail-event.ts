/**
 * `AWS API Call via CloudTrail` events for IAM calls, shaped as EventBridge delivers them to
 * the detect function (documents as the JSON text CloudTrail records).
 */

/** The administrator every bounds change is made by. */
const ACTOR = 'ops-admin'

export interface IamCall {
  readonly accountId: string
  readonly eventName: string
  readonly requestParameters: Readonly<Record<string, unknown>>
  readonly responseElements?: Readonly<Record<string, unknown>> | null
  /** Distinguishes the events of one run; becomes part of the event ID. */
  readonly sequence: number
}

/** One EventBridge event for `call`, with a fixed time so runs compare. */
export function buildIamCallEvent(call: IamCall): Record<string, unknown> {
  const eventId = `00000000-0000-4000-8000-${String(call.sequence).padStart(12, '0')}`
  const time = '2025-06-01T12:00:00Z'
  return {
    version: '0',
    id: eventId,
    'detail-type': 'AWS API Call via CloudTrail',
    source: 'aws.iam',
    account: call.accountId,
    time,
    region: 'us-east-1',
    resources: [],
    detail: {
      eventVersion: '1.11',
      userIdentity: {
        type: 'IAMUser',
        principalId: 'AIDAEXAMPLEBOUNDS0001',
        arn: `arn:aws:iam::${call.accountId}:user/${ACTOR}`,
        accountId: call.accountId,
        userName: ACTOR,
      },
      eventTime: time,
      eventSource: 'iam.amazonaws.com',
      eventName: call.eventName,
      awsRegion: 'us-east-1',
      sourceIPAddress: '203.0.113.24',
      userAgent: 'aws-cli/2.22.35',
      requestParameters: call.requestParameters,
      responseElements: call.responseElements ?? null,
      requestID: eventId,
      eventID: eventId,
      readOnly: false,
      eventType: 'AwsApiCall',
      managementEvent: true,
      recipientAccountId: call.accountId,
      eventCategory: 'Management',
    },
  }
}

/** A document as CloudTrail records it in `requestParameters`: pretty-printed JSON text. */
export function asRecordedDocument(document: unknown): string {
  return JSON.stringify(document, null, 4)
}
