import type { GuardConfig } from '#shared/config/guard-config.ts'
import type { RuleId, Severity } from '#shared/config/rules.ts'
import type { Decision } from '#shared/evaluator/decision.ts'
import type { StatementEvidence } from '#shared/evaluator/explain.ts'
import type { TrustGrant } from '#shared/evaluator/trust.ts'
import type { ClassifiedTrustGrant, TrustClass } from '#shared/evaluator/trust-class.ts'
import type { ChangeParameters } from '#shared/events/types.ts'
import type { Effect, ElementList } from '#shared/policy/types.ts'

/**
 * What each rule saw, as `Finding.evidence` carries it: one shape per rule ID (`EvidenceByRule`),
 * a union where a rule finds the same thing by different paths. The shapes are object types, not
 * interfaces, so each is a `Record<string, unknown>` as well: the findings bus and the
 * notification render evidence key by key without knowing the rule. A field whose value may be
 * `undefined` is kept as a key (the JSON leaves it out).
 */

/**
 * The last known-good baseline of a deleted principal, as detect recorded it (the whole record of
 * shared/pipeline/baseline.ts is kept; these are the fields a reader can rely on).
 */
export type LastKnownGood = {
  readonly principalArn: string
  readonly principalType: 'role' | 'user'
  readonly name: string
  readonly recordedAt: string
  /** The CloudTrail event after which it was recorded, or `audit`. */
  readonly source: string
}

/** An action a principal needs and does not have, with the evaluator's answer for it. */
export type MissingAction = { readonly action: string; readonly decision: Decision }

/** The Support App mode the config declares (`supportApp.access`). */
export type SupportAppAccess = GuardConfig['supportApp']['access']

/** SLR_DELETION_ATTEMPT: the call, as CloudTrail recorded it. */
export type SlrDeletionAttemptEvidence = {
  readonly eventName: string
  readonly actorArn: string
  readonly sourceIp: string | undefined
  readonly userAgent: string | undefined
  readonly errorCode: string | undefined
  readonly errorMessage: string | undefined
  readonly failed: boolean
}

/** GUARD_ROLE_CHANGED: the call, as CloudTrail recorded it, and the guard role it named. */
export type GuardRoleChangedEvidence = SlrDeletionAttemptEvidence & { readonly roleName: string }

/** What a path that finds AWSServiceRoleForServiceQuotas missing knows about it. */
export type ServiceQuotasRoleSighting =
  /** The scheduled audit: the Support App roles that need it. */
  | { readonly supportAppRoles: readonly string[] }
  /** A DeleteServiceLinkedRole event: who deleted it, and in which event. */
  | { readonly deletedBy: string; readonly eventId: string }

/** SLR_MISSING: the role that is missing, and what the path that found it knows. */
export type SlrMissingEvidence =
  | { readonly roleName: 'AWSServiceRoleForSupport'; readonly exportHasServiceLinkedRoles: boolean }
  | ({ readonly roleName: 'AWSServiceRoleForServiceQuotas' } & ServiceQuotasRoleSighting)
  /** Remediate's re-plan, which compares only the finding's ID. */
  | { readonly roleName: 'AWSServiceRoleForServiceQuotas' }

/** NO_SUPPORT_ROLE: what nobody has in full, and who has part of it (at most 20). */
export type NoSupportRoleEvidence = {
  readonly requiredActions: readonly string[]
  readonly principalsWithPartialAccess: readonly string[]
}

/** SUPPORT_CONSOLE_ACCESS_MISSING: the console actions denied, the policies granting support, the statements. */
export type SupportConsoleAccessMissingEvidence = {
  readonly missingConsoleActions: readonly string[]
  readonly via: readonly string[]
  readonly statements: readonly StatementEvidence[]
}

/** SUPPORT_ACCESS_LOST, one shape per way the guard finds the loss. */
export type SupportAccessLostEvidence =
  /** A required principal is denied required support actions. */
  | {
      readonly missingActions: readonly MissingAction[]
      readonly statements: readonly StatementEvidence[]
      readonly boundary: string | undefined
    }
  /** A required pattern matches no user or role (`principalArn` is null). */
  | { readonly pattern: string }
  /** A DeleteRole or DeleteUser event removed a required principal. */
  | { readonly deletedBy: string; readonly eventId: string; readonly lastKnownGood: LastKnownGood | null }
  /** A change cut the Support Center console actions of a required principal. */
  | (SupportConsoleAccessMissingEvidence & { readonly missingActions: readonly MissingAction[] })

/** SUPPORT_ACCESS_GRANTED: the access, and the policies or roles it comes through. */
export type SupportAccessGrantedEvidence = {
  readonly grantedActions: readonly string[]
  /** Policies granting the first action directly; empty when the access is through roles. */
  readonly via: readonly string[]
  readonly assumableSupportRoles: readonly string[]
  readonly assumableSupportRoleCount: number
}

/** One trust relationship of a role, classified. */
export type TrustRelationshipEvidence = {
  readonly class: TrustClass
  readonly severity: Severity | 'none'
  readonly principal: string
  readonly statementIndex: number
  readonly conditionKeys: ClassifiedTrustGrant['conditionKeys']
  readonly externalId: boolean
  readonly basis: string
}

/** SUPPORT_ACCESS_EXTERNAL_TRUST: the worst class, every relationship, and the access at stake. */
export type SupportAccessExternalTrustEvidence = {
  readonly trustClass: TrustClass
  readonly trust: readonly TrustRelationshipEvidence[]
  readonly grantedActions: readonly string[]
}

/** SUPPORT_APP_TRUST_INVALID: a channel's role is missing, or a role's trust is wrong. */
export type SupportAppTrustInvalidEvidence =
  | { readonly channelRoleArn: string }
  | { readonly trustsSupportApp: boolean; readonly otherTrustedPrincipals: readonly TrustGrant[] }

/** SUPPORT_APP_MISSING_PERMISSIONS. */
export type SupportAppMissingPermissionsEvidence = {
  readonly access: SupportAppAccess
  readonly missingActions: readonly MissingAction[]
}

/** SUPPORT_APP_EXCESSIVE_PERMISSIONS: catalog actions and other patterns beyond the app's needs. */
export type SupportAppExcessivePermissionsEvidence = {
  readonly extraActions: readonly string[]
  readonly patternsBeyondCatalog: readonly string[]
  readonly access: SupportAppAccess
}

/** SUPPORT_APP_UNSCOPED_SLR_CREATION: the decision for another service, and why. */
export type SupportAppUnscopedSlrCreationEvidence = {
  readonly decision: Decision
  readonly statements: readonly StatementEvidence[]
}

/** SUPPORT_PERMIT_CREATED: the permit as the request spelled it; `null` where it did not. */
export type SupportPermitCreatedEvidence = {
  readonly permitName: string | null
  readonly permitArn: string | null
  readonly actions: 'all' | readonly string[] | 'unknown (judged as all)'
  readonly resources: readonly string[] | `all in ${string}` | 'unknown (judged as all in the Region)'
  readonly allowAfter: string | null
  readonly allowBefore: string | null
  readonly signingKeyArn: string | null
  readonly supportCaseDisplayId: string | null
  readonly region: string | null
  readonly createdBy: string
  readonly eventId: string
  readonly sourceIp: string | undefined
  readonly userAgent: string | undefined
}

/** SUPPORT_PLAN_CHANGED: the call; its request is kept as sent (bounded), not interpreted. */
export type SupportPlanChangedEvidence = {
  readonly eventName: string
  readonly requestParameters: NonNullable<ChangeParameters['opaqueRequest']> | null
  readonly region: string | null
  readonly changedBy: string
  readonly eventId: string
  readonly sourceIp: string | undefined
  readonly userAgent: string | undefined
}

/** The policy a resource-scope finding is about: a managed policy, or an inline one and its owner. */
export type ScopedPolicyEvidence =
  | { readonly policyType: 'managed'; readonly policyArn: string; readonly policyName: string }
  | {
      readonly policyType: 'inline'
      readonly policyName: string
      readonly principalType: 'user' | 'role' | 'group'
    }

/** SUPPORT_RESOURCE_SCOPE_INEFFECTIVE: the policy, and the statement that scopes support actions. */
export type SupportResourceScopeIneffectiveEvidence = ScopedPolicyEvidence & {
  readonly statementIndex: number
  readonly effect: Effect
  readonly actions: readonly string[]
  readonly resource: ElementList
}

/** The evidence of each rule. */
export interface EvidenceByRule {
  readonly SLR_DELETION_ATTEMPT: SlrDeletionAttemptEvidence
  readonly SLR_MISSING: SlrMissingEvidence
  readonly NO_SUPPORT_ROLE: NoSupportRoleEvidence
  readonly SUPPORT_ACCESS_LOST: SupportAccessLostEvidence
  readonly SUPPORT_ACCESS_GRANTED: SupportAccessGrantedEvidence
  readonly SUPPORT_ACCESS_EXTERNAL_TRUST: SupportAccessExternalTrustEvidence
  readonly SUPPORT_APP_TRUST_INVALID: SupportAppTrustInvalidEvidence
  readonly SUPPORT_APP_MISSING_PERMISSIONS: SupportAppMissingPermissionsEvidence
  readonly SUPPORT_APP_EXCESSIVE_PERMISSIONS: SupportAppExcessivePermissionsEvidence
  readonly SUPPORT_APP_UNSCOPED_SLR_CREATION: SupportAppUnscopedSlrCreationEvidence
  readonly SUPPORT_CONSOLE_ACCESS_MISSING: SupportConsoleAccessMissingEvidence
  readonly SUPPORT_PERMIT_CREATED: SupportPermitCreatedEvidence
  readonly SUPPORT_PLAN_CHANGED: SupportPlanChangedEvidence
  readonly SUPPORT_RESOURCE_SCOPE_INEFFECTIVE: SupportResourceScopeIneffectiveEvidence
  readonly GUARD_ROLE_CHANGED: GuardRoleChangedEvidence
}

/** Every rule has its evidence shape: a rule added to RULE_IDS without one fails to compile here. */
type Exhaustive<T extends Record<RuleId, unknown>> = T
export type EvidenceOf<R extends RuleId> = Exhaustive<EvidenceByRule>[R]

/**
 * The config pattern a finding without a principal is about (SUPPORT_ACCESS_LOST for a required
 * pattern that matches nobody). Takes any evidence, also a findings-bus event's, which is parsed
 * as a plain record: only a string `pattern` counts.
 */
export function patternOf(evidence: Readonly<Record<string, unknown>>): string | undefined {
  const pattern = evidence.pattern
  return typeof pattern === 'string' ? pattern : undefined
}
