import { finalizeFinding } from '#shared/findings/finding.ts'
import type { FindingEventDetail } from '#shared/pipeline/bus-events.ts'
import type { RemediationStep } from '#shared/pipeline/remediation-steps.ts'
import { draftServiceQuotasRoleMissing } from '#shared/posture/rules/service-linked-roles.ts'
import type { E2eHarness } from './harness.ts'
import type { ScenarioStep } from './scenario.ts'
import { ADMINISTRATOR_ACCESS_ARN } from './seed-guard-account.ts'

/** An account outside the organisation: what a forged trust policy would open SupportTeam to. */
export const FOREIGN_ACCOUNT_ROOT = 'arn:aws:iam::999999999999:root'
/** No AWS service has this name; the emulator would still create a service-linked role for it. */
export const MADE_UP_SERVICE = 'madeup-diagnostics.amazonaws.com'

/**
 * A finding event as anyone allowed to put events on the findings bus could hand-make it: a real
 * finding's identity (ID, rule, principal, triggering change), `mode: enforce` and
 * `remediation.automatic: true` so that the remediate rule matches, and a plan of their choosing.
 */
export function forgeFindingEvent(
  finding: FindingEventDetail,
  steps: readonly RemediationStep[],
): FindingEventDetail {
  const { withheld: _dropped, ...identity } = finding
  return {
    ...identity,
    mode: 'enforce',
    remediation: { ...finding.remediation, automatic: true },
    plan: { steps, reason: 'routine clean-up', source: 'change' },
  }
}

/**
 * The SLR_MISSING finding of the Service Quotas role, as detect raises it. A forger needs no event
 * to know it: finding IDs are stable (rule, account, principal) and every notification shows them.
 */
export function serviceQuotasRoleMissingFinding(accountId: string): FindingEventDetail {
  const finding = finalizeFinding(draftServiceQuotasRoleMissing(accountId), accountId, {})
  return { ...finding, mode: 'enforce' }
}

export function attachAdministratorAccessToUser(userName: string): RemediationStep {
  return {
    action: 'attach-policy',
    principalType: 'user',
    principalName: userName,
    policyArn: ADMINISTRATOR_ACCESS_ARN,
  }
}

export function trustForeignAccount(roleName: string): RemediationStep {
  return {
    action: 'update-trust-policy',
    roleName,
    document: {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { AWS: FOREIGN_ACCOUNT_ROOT }, Action: 'sts:AssumeRole' }],
    },
  }
}

export function createServiceLinkedRole(awsServiceName: string): RemediationStep {
  return { action: 'create-service-linked-role', awsServiceName }
}

/** Puts the forged event on the findings bus and records what the guard did with it. */
export async function putForgedFinding(
  harness: E2eHarness,
  finding: FindingEventDetail,
  steps: readonly RemediationStep[],
  change: string,
): Promise<ScenarioStep> {
  return { change, trace: await harness.putFindingEvent(forgeFindingEvent(finding, steps)) }
}
