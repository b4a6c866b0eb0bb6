/**
 * A CloudTrail-recorded IAM or Support App API call, parsed and classified: the input of
 * every decision the pipeline makes. Produced by `parseChangeEvent` from an EventBridge
 * event (`detail-type: AWS API Call via CloudTrail`) or a bare CloudTrail record.
 */

export type ChangeKind =
  | 'policy-attachment' // Attach/Detach{Role,User,Group}Policy
  | 'inline-policy' // Put/Delete{Role,User,Group}Policy
  | 'policy-version' // CreatePolicyVersion, SetDefaultPolicyVersion, DeletePolicyVersion
  | 'managed-policy' // CreatePolicy, DeletePolicy
  | 'trust-policy' // UpdateAssumeRolePolicy
  | 'permissions-boundary' // Put/Delete{Role,User}PermissionsBoundary
  | 'group-membership' // AddUserToGroup, RemoveUserFromGroup
  | 'principal-lifecycle' // CreateRole, DeleteRole, DeleteUser, DeleteGroup
  | 'tagging' // TagRole, UntagRole
  | 'service-linked-role' // Create/DeleteServiceLinkedRole, GetServiceLinkedRoleDeletionStatus
  | 'support-app-channel' // Create/Update/DeleteSlackChannelConfiguration

/** Who made the call, from CloudTrail `userIdentity`. */
export interface Actor {
  /** `IAMUser`, `AssumedRole`, `Root`, `AWSService`, `FederatedUser`, `IdentityCenterUser`, ... or `Unknown`. */
  readonly type: string
  /** The caller's ARN; for assumed roles the session ARN (`arn:aws:sts::…:assumed-role/R/S`). */
  readonly arn?: string
  /** For assumed roles: the role the session was issued from (`arn:aws:iam::…:role/R`). */
  readonly sessionIssuerArn?: string
  readonly accountId?: string
  readonly principalId?: string
  /** Set when an AWS service made the call on the caller's behalf (`invokedBy`). */
  readonly invokedBy?: string
  readonly accessKeyId?: string
}

/** Parameters of the request that the guard acts on; absent fields were not in the event. */
export interface ChangeParameters {
  readonly roleName?: string
  readonly userName?: string
  readonly groupName?: string
  readonly policyArn?: string
  /** Inline policy name (Put/Delete*Policy) or managed policy name (CreatePolicy). */
  readonly policyName?: string
  /** Policy document as sent (JSON string, object or URL-encoded): inline, version, trust. */
  readonly policyDocument?: unknown
  readonly versionId?: string
  readonly setAsDefault?: boolean
  readonly permissionsBoundary?: string
  /** Service principal of a service-linked role (`awsServiceName`). */
  readonly awsServiceName?: string
  readonly tagKeys?: readonly string[]
  /** Support App: the IAM role a Slack channel configuration uses. */
  readonly channelRoleArn?: string
  readonly teamId?: string
  readonly channelId?: string
}

export interface ChangeEvent {
  readonly eventId: string
  readonly eventName: string
  readonly eventSource: string
  readonly eventTime: string
  readonly awsRegion?: string
  /** Account the call was made in (`recipientAccountId`, else the caller's account). */
  readonly accountId: string
  readonly actor: Actor
  /** Best single ARN for the caller: session issuer role for assumed roles, else `actor.arn`, else `unknown`. */
  readonly actorArn: string
  readonly sourceIp?: string
  readonly userAgent?: string
  /** True when CloudTrail recorded an `errorCode`: an attempt, not a change. */
  readonly failed: boolean
  readonly errorCode?: string
  readonly errorMessage?: string
  readonly kind: ChangeKind
  /** ARNs of the principals, policies or channel roles the call touches. */
  readonly targets: readonly string[]
  readonly parameters: ChangeParameters
  /** Response data the guard uses (e.g. `policyVersion.versionId` of CreatePolicyVersion, created role ARN). */
  readonly response: { readonly versionId?: string; readonly roleArn?: string; readonly policyArn?: string }
}

/** Why an event was acknowledged without a verdict. */
export type IgnoreReason = 'unknown-event' | 'read-only' | 'not-cloudtrail'

export class EventParseError extends Error {
  override readonly name = 'EventParseError'
  constructor(
    message: string,
    /** Path of the offending field, e.g. `detail.userIdentity`. */
    readonly path: string,
    options?: { cause?: unknown },
  ) {
    super(message, options)
  }
}

export type ParseOutcome =
  | { readonly status: 'change'; readonly change: ChangeEvent }
  | {
      readonly status: 'ignored'
      readonly reason: IgnoreReason
      readonly eventName?: string
      readonly eventId?: string
    }
  | { readonly status: 'invalid'; readonly error: EventParseError }
