/** Finding severities, most severe first (the order `--fail-on` thresholds compare in). */
export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const

export type Severity = (typeof SEVERITIES)[number]

/** The posture and change rules of the guard (docs/contracts.md#rule-ids). */
export const RULE_IDS = [
  'SLR_DELETION_ATTEMPT',
  'SLR_MISSING',
  'NO_SUPPORT_ROLE',
  'SUPPORT_ACCESS_LOST',
  'SUPPORT_ACCESS_GRANTED',
  'SUPPORT_ACCESS_EXTERNAL_TRUST',
  'SUPPORT_APP_TRUST_INVALID',
  'SUPPORT_APP_MISSING_PERMISSIONS',
  'SUPPORT_APP_EXCESSIVE_PERMISSIONS',
  'SUPPORT_APP_UNSCOPED_SLR_CREATION',
  'SUPPORT_CONSOLE_ACCESS_MISSING',
  'SUPPORT_PERMIT_CREATED',
  'SUPPORT_PLAN_CHANGED',
  'SUPPORT_RESOURCE_SCOPE_INEFFECTIVE',
  'GUARD_ROLE_CHANGED',
] as const

export type RuleId = (typeof RULE_IDS)[number]

/**
 * Severity of each rule when the config does not override it. Two rules lower their own
 * severity in documented cases (SLR_MISSING for the Service Quotas role, SUPPORT_ACCESS_GRANTED
 * without an allowlist); that choice belongs to the rule, not to this table.
 */
export const DEFAULT_SEVERITY: Readonly<Record<RuleId, Severity>> = {
  SLR_DELETION_ATTEMPT: 'critical',
  SLR_MISSING: 'high',
  NO_SUPPORT_ROLE: 'high',
  SUPPORT_ACCESS_LOST: 'high',
  SUPPORT_ACCESS_GRANTED: 'medium',
  SUPPORT_ACCESS_EXTERNAL_TRUST: 'high',
  SUPPORT_APP_TRUST_INVALID: 'high',
  SUPPORT_APP_MISSING_PERMISSIONS: 'medium',
  SUPPORT_APP_EXCESSIVE_PERMISSIONS: 'high',
  SUPPORT_APP_UNSCOPED_SLR_CREATION: 'high',
  SUPPORT_CONSOLE_ACCESS_MISSING: 'medium',
  SUPPORT_PERMIT_CREATED: 'high',
  SUPPORT_PLAN_CHANGED: 'high',
  SUPPORT_RESOURCE_SCOPE_INEFFECTIVE: 'low',
  GUARD_ROLE_CHANGED: 'critical',
}

/**
 * When each rule fires, in one sentence: the rule table of docs/contracts.md#rule-ids. Not
 * used at run time, so bundles leave it out.
 */
export const RULE_SUMMARIES: Readonly<Record<RuleId, string>> = {
  SLR_DELETION_ATTEMPT:
    'Any attempt, failed or not, to delete the Support, Trusted Advisor or Service Quotas service-linked role, or to change its policies or trust.',
  SLR_MISSING:
    '`AWSServiceRoleForSupport` is absent (info when the export holds no service-linked role at all); `AWSServiceRoleForServiceQuotas` is absent while a Support App role exists (medium).',
  NO_SUPPORT_ROLE:
    'No user or role is allowed, with or without conditions, the required support actions (CIS AWS Foundations 1.17, Security Hub IAM.18).',
  SUPPORT_ACCESS_LOST:
    'A principal the config requires to keep support access is denied a required action; a change cut its Support Center console actions; or a required pattern matches nobody (`principalArn: null`).',
  SUPPORT_ACCESS_GRANTED:
    'A principal outside `supportPrincipals.approved` holds support access, directly or by assuming a role that has it (info while the allowlist is empty).',
  SUPPORT_ACCESS_EXTERNAL_TRUST:
    'A role with support access can be assumed from outside the account or organization; the severity follows the trust class.',
  SUPPORT_APP_TRUST_INVALID:
    'A Support App role does not trust `supportapp.amazonaws.com`, trusts anything else too, or a channel names a missing role.',
  SUPPORT_APP_MISSING_PERMISSIONS: 'A Support App role lacks actions its mode (full or read-only) needs.',
  SUPPORT_APP_EXCESSIVE_PERMISSIONS:
    'A Support App role is allowed actions beyond what the Support App needs.',
  SUPPORT_APP_UNSCOPED_SLR_CREATION:
    'A Support App role is allowed `iam:CreateServiceLinkedRole` without `iam:AWSServiceName` = `servicequotas.amazonaws.com`.',
  SUPPORT_CONSOLE_ACCESS_MISSING:
    'A person allowed every required support action is denied a console action of `requiredConsoleActions`.',
  SUPPORT_PERMIT_CREATED:
    'A support permit was created: high when it grants all actions on all resources of the Region with no end, medium otherwise.',
  SUPPORT_PLAN_CHANGED:
    '`StartSupportPlanUpdate`, `CreateSupportPlanSchedule` or `CancelSupportAgreement` succeeded.',
  SUPPORT_RESOURCE_SCOPE_INEFFECTIVE:
    'A statement names `support:` actions with a `Resource` other than `*`: AWS Support has no resource-level permissions, so it grants or denies nothing.',
  GUARD_ROLE_CHANGED:
    'Any attempt, failed or not, to delete or change a role of member-template.yaml (`SupportAccessGuardMember`, `SupportAccessGuardReader`, `SupportAccessGuardForwarder`) other than through CloudFormation.',
}

export function isSeverity(value: unknown): value is Severity {
  return typeof value === 'string' && (SEVERITIES as readonly string[]).includes(value)
}

export function isRuleId(value: unknown): value is RuleId {
  return typeof value === 'string' && (RULE_IDS as readonly string[]).includes(value)
}

/** True when `severity` is as severe as `threshold` or more (critical is at least everything). */
export function isSeverityAtLeast(severity: Severity, threshold: Severity): boolean {
  return SEVERITIES.indexOf(severity) <= SEVERITIES.indexOf(threshold)
}

/**
 * Rules the guard reverts in enforce mode when the config does not list its own `enforceRules`:
 * lost access of a required principal, and a Support App role whose trust or permissions
 * drifted from what the app needs. SUPPORT_ACCESS_GRANTED and SUPPORT_ACCESS_EXTERNAL_TRUST
 * revert only when listed: they answer ordinary admin work unless the owner declared intent.
 */
export const DEFAULT_ENFORCE_RULES: readonly RuleId[] = [
  'SUPPORT_ACCESS_LOST',
  'SUPPORT_APP_TRUST_INVALID',
  'SUPPORT_APP_EXCESSIVE_PERMISSIONS',
  'SUPPORT_APP_UNSCOPED_SLR_CREATION',
  'SLR_MISSING',
]

/**
 * Principals an organisation's own machinery owns (IAM Identity Center, service-linked roles,
 * Organizations' access role, StackSets, Control Tower, CDK bootstrap): the guard reports on
 * them and never writes them, unless the config lists its own `neverModify`.
 */
export const DEFAULT_NEVER_MODIFY: readonly string[] = [
  'arn:aws:iam::*:role/aws-reserved/sso.amazonaws.com/*',
  'arn:aws:iam::*:role/aws-service-role/*',
  'arn:aws:iam::*:role/OrganizationAccountAccessRole',
  'arn:aws:iam::*:role/stacksets-exec-*',
  'arn:aws:iam::*:role/AWSControlTower*',
  'arn:aws:iam::*:role/cdk-*',
]
