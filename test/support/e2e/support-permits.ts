import { randomUUID } from 'node:crypto'
import {
  buildCloudTrailEvent,
  type CloudTrailEvent,
  type CloudTrailIdentity,
  E2E_ACCOUNT_ID,
  E2E_REGION,
  SUPPORT_AUTHZ_SERVICE,
} from './cloudtrail-event.ts'

/** A CreateSupportPermit request, in the shapes of the AWS Support authorization API. */
export interface SupportPermitRequest {
  readonly name: string
  readonly description: string
  /** `actions` (`{ allActions: {} }` or `{ actions: [...] }`), `resources`, optional `conditions`. */
  readonly permit: Readonly<Record<string, unknown>>
  /** ARN of the KMS key that signs the permit (`signingKeyInfo.kmsKey`). */
  readonly kmsKeyArn: string
  readonly supportCaseDisplayId: string
}

/** The widest permit there is: every action, on every resource of the Region, with no time window. */
export const UNBOUNDED_PERMIT = {
  actions: { allActions: {} },
  resources: { allResourcesInRegion: {} },
} as const

const SUPPORT_AUTHZ_CLI_USER_AGENT =
  'aws-cli/2.27.50 md/awscrt#0.26.1 ua/2.1 os/linux#6.8.0 lang/python#3.13.4 md/command#supportauthz.create-support-permit'

/**
 * The CloudTrail event of a CreateSupportPermit call that succeeded. No call is made: the
 * emulator has no AWS Support authorization, so the permit's ARN is made up the way the
 * service returns it.
 */
export function buildSupportPermitCreation(
  identity: CloudTrailIdentity,
  request: SupportPermitRequest,
): CloudTrailEvent {
  const arn = `arn:aws:supportauthz:${E2E_REGION}:${E2E_ACCOUNT_ID}:supportpermit/${randomUUID()}`
  return buildCloudTrailEvent(
    {
      eventName: 'CreateSupportPermit',
      identity,
      requestParameters: {
        name: request.name,
        description: request.description,
        clientToken: randomUUID(),
        permit: request.permit,
        signingKeyInfo: { kmsKey: request.kmsKeyArn },
        supportCaseDisplayId: request.supportCaseDisplayId,
      },
      responseElements: { arn, name: request.name, status: 'ACTIVE' },
      userAgent: SUPPORT_AUTHZ_CLI_USER_AGENT,
    },
    SUPPORT_AUTHZ_SERVICE,
  )
}
