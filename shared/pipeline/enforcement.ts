import { SUPPORT_APP_SLR_SERVICE } from '#shared/catalog/support-actions.ts'
import { matchesAnyArnPattern } from '#shared/config/arn-pattern.ts'
import type { GuardConfig } from '#shared/config/guard-config.ts'
import { isSeverityAtLeast, type RuleId } from '#shared/config/rules.ts'
import type { Finding } from '#shared/findings/finding.ts'
import { buildPrincipalArn, buildServiceLinkedRoleArn, sameIamName } from '#shared/policy/arn.ts'
import type { AccountSnapshot } from '#shared/snapshot/types.ts'
import type { RemediationStep } from './remediation-steps.ts'

/** Rules whose subject is protected by definition: a required principal, a Support App role, an SLR. */
const PROTECTED_SUBJECT_RULES: ReadonlySet<RuleId> = new Set([
  'SUPPORT_ACCESS_LOST',
  'SUPPORT_APP_TRUST_INVALID',
  'SUPPORT_APP_MISSING_PERMISSIONS',
  'SUPPORT_APP_EXCESSIVE_PERMISSIONS',
  'SUPPORT_APP_UNSCOPED_SLR_CREATION',
  'SLR_MISSING',
])

/** Steps that only take something away: safe on any principal whose rule is enforced. */
const REMOVALS: ReadonlySet<RemediationStep['action']> = new Set([
  'detach-policy',
  'delete-inline-policy',
  'remove-user-from-group',
])

export interface EnforcementSubject {
  readonly finding: Pick<Finding, 'rule' | 'severity' | 'principalArn'>
  readonly steps: readonly RemediationStep[]
  /** State the steps were planned on: names the real ARNs (with paths) of what they write. */
  readonly state: AccountSnapshot
  /** The finding's principal has a baseline (only protected principals get one). */
  readonly baselined: boolean
}

/**
 * Why enforce mode must not apply these steps for this finding, or undefined when it may.
 * Enforcement is opt-in per rule (`enforceRules`), never below medium, never for
 * SUPPORT_ACCESS_GRANTED without a declared allowlist, never on a `neverModify` principal;
 * a step that can grant (attach, restore a document, add to a group) is allowed only on a
 * protected principal, and the only principal the guard creates is the Service Quotas SLR.
 */
export function findWithheldReason(subject: EnforcementSubject, config: GuardConfig): string | undefined {
  const { finding, steps, state } = subject
  if (finding.principalArn === null)
    return 'the finding names no user or role (a config pattern matches nobody): there is nothing to write'
  if (!config.enforceRules.includes(finding.rule)) return `${finding.rule} is not in enforceRules`
  if (!isSeverityAtLeast(finding.severity, 'medium'))
    return `severity ${finding.severity} is below medium: the guard never reverts it`
  if (finding.rule === 'SUPPORT_ACCESS_GRANTED' && config.supportPrincipals.approved.length === 0)
    return 'supportPrincipals.approved is empty: there is no declared intent to enforce'
  const protectedSubject =
    PROTECTED_SUBJECT_RULES.has(finding.rule) ||
    subject.baselined ||
    matchesAnyArnPattern(config.supportPrincipals.required, finding.principalArn) ||
    matchesAnyArnPattern(config.supportApp.roles, finding.principalArn)
  for (const step of steps) {
    if (step.action === 'create-service-linked-role') {
      if (finding.rule !== 'SLR_MISSING' || step.awsServiceName !== SUPPORT_APP_SLR_SERVICE)
        return `the guard only re-creates the ${SUPPORT_APP_SLR_SERVICE} service-linked role`
      continue
    }
    const target = targetArnOf(step, state)
    if (matchesAnyArnPattern(config.neverModify, target)) return `${target} is protected by neverModify`
    if (!REMOVALS.has(step.action) && !protectedSubject)
      return `${step.action} would grant to ${target}, which the config does not protect`
  }
  return undefined
}

/** The ARN of the principal or policy a step writes, with its real path when the state has it. */
export function targetArnOf(step: RemediationStep, state: AccountSnapshot): string {
  switch (step.action) {
    case 'set-default-policy-version':
      return step.policyArn
    case 'create-service-linked-role':
      // The role is not there yet: the ARN of the path it will be created under.
      return buildServiceLinkedRoleArn(state.accountId, { service: step.awsServiceName, roleName: '' })
    case 'update-trust-policy':
      return principalArn(state, 'role', step.roleName)
    case 'add-user-to-group':
    case 'remove-user-from-group':
      return principalArn(state, 'user', step.userName)
    default:
      return principalArn(state, step.principalType, step.principalName)
  }
}

function principalArn(state: AccountSnapshot, type: 'role' | 'user' | 'group', name: string): string {
  const entities = type === 'role' ? state.roles : type === 'user' ? state.users : state.groups
  const found = entities.find((entity) => sameIamName(entity.name, name))
  return found?.arn ?? buildPrincipalArn(type, state.accountId, name)
}
