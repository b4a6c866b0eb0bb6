import { InputError } from '#shared/errors/input-error.ts'
import type { IamEntityType } from '#shared/policy/arn.ts'

/**
 * A CloudTrail-recorded API call of IAM, the Support App, AWS Support authorization, AWS
 * Support Plans or IAM Identity Center, parsed and classified: the input of every decision the
 * pipeline makes. Produced by `parseChangeEvent` from an EventBridge event (`detail-type: AWS
 * API Call via CloudTrail`) or a bare CloudTrail record.
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
  | 'support-permit' // supportauthz: Create/DeleteSupportPermit, RejectSupportPermitRequest, RegisterKey
  | 'support-plan' // supportplans: StartSupportPlanUpdate, CreateSupportPlanSchedule, *SupportAgreement
  | 'identity-provider' // Create/Update/DeleteSAMLProvider, *OpenIDConnectProvider*
  | 'identity-center' // sso: permission sets and account assignments

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
  /** CreateSupportPermit: what the permit grants, as far as the request says. */
  readonly supportPermit?: SupportPermitGrant
  /** DeleteSupportPermit: the permit's ARN or name, as sent. */
  readonly supportPermitIdentifier?: string
  /** RejectSupportPermitRequest: the ARN of the AWS Support operator's request. */
  readonly permitRequestArn?: string
  /**
   * Support Plans calls: the request as sent, bounded (its shape is not documented publicly,
   * so it is kept, not interpreted). Compact JSON cut to a few thousand characters when larger.
   */
  readonly opaqueRequest?: Readonly<Record<string, unknown>> | string
  /** SAML or OIDC provider the call names (`sAMLProviderArn`, `openIDConnectProviderArn`). */
  readonly providerArn?: string
  /** CreateSAMLProvider: the provider name. */
  readonly providerName?: string
  /** CreateOpenIDConnectProvider: the issuer URL. */
  readonly providerUrl?: string
  /** OIDC audiences: `clientIDList` of CreateOpenIDConnectProvider, `clientID` of Add/RemoveClientID. */
  readonly clientIds?: readonly string[]
  /** IAM Identity Center instance and permission set the call names. */
  readonly instanceArn?: string
  readonly permissionSetArn?: string
  /** CreatePermissionSet: the permission set name. */
  readonly permissionSetName?: string
  /** Attach/DetachManagedPolicyToPermissionSet, or a permission set's boundary given by ARN. */
  readonly managedPolicyArn?: string
  /** A customer managed policy reference of a permission set (policy or boundary): `<path><name>`. */
  readonly customerManagedPolicy?: string
  /** Account assignments: the account and the Identity Center user or group. */
  readonly targetAccountId?: string
  readonly identityCenterPrincipal?: string
}

/**
 * What a support permit lets AWS Support operators do (supportauthz `Permit`, API 2026-06-30):
 * which actions, on which resources, in which time window, signed with which KMS key. A part
 * the request does not spell out in a known form is absent, and judged as the widest grant.
 */
export interface SupportPermitGrant {
  /** Alphanumeric, 1 to 256 characters. */
  readonly name?: string
  /** `all` for the `allActions` member, else the actions listed (at most 10). */
  readonly actions?: 'all' | readonly string[]
  /** `all-in-region` for the `allResourcesInRegion` member, else the resources listed (at most 5). */
  readonly resources?: 'all-in-region' | readonly string[]
  /** Earliest time the permit is valid (`allowAfter` condition). */
  readonly allowAfter?: string
  /** Time the permit stops being valid (`allowBefore` condition): the end of its window. */
  readonly allowBefore?: string
  /** ARN of the KMS key that signs the permit (`signingKeyInfo.kmsKey`). */
  readonly kmsKeyArn?: string
  readonly supportCaseDisplayId?: string
  readonly description?: string
}

export interface ChangeEvent {
  readonly eventId: string
  readonly eventName: string
  readonly eventSource: string
  readonly eventTime: string
  readonly awsRegion?: string
  /** Account the call was made in (`recipientAccountId`, else the caller's account). */
  readonly accountId: string
  /**
   * The EventBridge envelope's `account`: the account on whose bus the event arose. EventBridge
   * sets it and keeps it when a rule forwards the event to another account's bus, so it says
   * which member sent an event the central guard received. Absent for input without an envelope.
   */
  readonly envelopeAccountId?: string
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
  /**
   * The users, roles and groups the call names, each once: the request's role, user and group
   * (their ARNs as in `targets`), then a Support App channel's role. Worked out once, here.
   */
  readonly subjects: readonly ChangeSubject[]
  readonly parameters: ChangeParameters
  /**
   * `parameters.policyDocument` decoded once (JSON or URL-encoded JSON text becomes a value);
   * kept as sent when it does not decode. Absent when the call sends no document.
   */
  readonly document?: unknown
  /** Response data the guard uses (e.g. `policyVersion.versionId` of CreatePolicyVersion, created role ARN). */
  readonly response: ChangeResponse
}

/** A user, role or group a call names. */
export interface ChangeSubject {
  readonly type: IamEntityType
  readonly name: string
  readonly arn: string
}

/** Response data of a call: what only the response knows (a created entity's exact ARN). */
export interface ChangeResponse {
  readonly versionId?: string
  readonly roleArn?: string
  readonly policyArn?: string
  /** A support permit's ARN (Create/DeleteSupportPermit answer with the permit). */
  readonly permitArn?: string
  /** The created SAML or OIDC provider's ARN. */
  readonly providerArn?: string
  /** The created permission set's ARN (`permissionSet.permissionSetArn`). */
  readonly permissionSetArn?: string
}

/** Why an event was acknowledged without a verdict. */
export type IgnoreReason = 'unknown-event' | 'read-only' | 'not-cloudtrail'

/** The event is not a CloudTrail record the guard can read; `path` names the offending field. */
export class EventParseError extends InputError {
  override readonly name = 'EventParseError'
  constructor(
    message: string,
    /** Path of the offending field, e.g. `detail.userIdentity`; empty for the event as a whole. */
    path: string,
    options: { cause?: unknown } = {},
  ) {
    super(message, { path, ...options })
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
