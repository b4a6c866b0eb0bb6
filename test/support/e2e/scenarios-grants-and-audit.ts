import { DetachRolePolicyCommand, DetachUserPolicyCommand } from '@aws-sdk/client-iam'
import { identifyIamUser } from './cloudtrail-event.ts'
import type { E2eHarness } from './harness.ts'
import { attachRolePolicy, attachUserPolicy } from './iam-changes.ts'
import type { Scenario, ScenarioStep } from './scenario.ts'
import { ADMINISTRATOR_ACCESS_ARN, SUPPORT_ACCESS_ARN } from './seed-guard-account.ts'

const opsAdmin = identifyIamUser('ops-admin')

/** AWSSupportAccess attached to contractor-temp, a user outside the allowlist. */
export async function grantContractorSupportAccess(harness: E2eHarness): Promise<ScenarioStep[]> {
  const { userName } = harness.account.contractor
  const event = await attachUserPolicy(harness.iam, opsAdmin, userName, SUPPORT_ACCESS_ARN)
  return [
    {
      change: `ops-admin attaches AWSSupportAccess to user ${userName}`,
      trace: await harness.deliverCloudTrailEvent(event),
    },
  ]
}

/** Takes the contractor's grant back, where the guard by design leaves it. */
export async function removeContractorGrant(harness: E2eHarness): Promise<void> {
  await harness.iam.send(
    new DetachUserPolicyCommand({
      UserName: harness.account.contractor.userName,
      PolicyArn: SUPPORT_ACCESS_ARN,
    }),
  )
}

/** While the guard only monitors: an alert, and the grant stays. */
export const contractorGrantMonitor: Scenario = {
  id: 'contractor-grant-monitor',
  title: 'Unapproved user gets AWSSupportAccess (monitor mode)',
  mode: 'monitor',
  run: grantContractorSupportAccess,
  cleanup: removeContractorGrant,
}

/** The same grant in enforce mode: ordinary admin work, left alone (the rule is not enforced). */
export const contractorGrantEnforce: Scenario = {
  id: 'contractor-grant-enforce',
  title: 'Unapproved user gets AWSSupportAccess (enforce mode): left alone, with the reason',
  mode: 'enforce',
  run: grantContractorSupportAccess,
  cleanup: removeContractorGrant,
}

/**
 * AdministratorAccess on a deployment role the config does not protect, in enforce mode: it
 * grants support access, so the finding is raised, but SUPPORT_ACCESS_GRANTED is not enforced and
 * the guard never grants or takes away on a principal it was not told to protect.
 */
export const ciDeployerAdminGrant: Scenario = {
  id: 'ci-deployer-admin-grant',
  title: 'AdministratorAccess attached to role ci-deployer (enforce mode): left alone, with the reason',
  mode: 'enforce',
  async run(harness) {
    const { roleName } = harness.account.ciDeployer
    const event = await attachRolePolicy(harness.iam, opsAdmin, roleName, ADMINISTRATOR_ACCESS_ARN)
    return [
      {
        change: `ops-admin attaches AdministratorAccess to role ${roleName}`,
        trace: await harness.deliverCloudTrailEvent(event),
      },
    ]
  },
  async cleanup(harness) {
    await harness.iam.send(
      new DetachRolePolicyCommand({
        RoleName: harness.account.ciDeployer.roleName,
        PolicyArn: ADMINISTRATOR_ACCESS_ARN,
      }),
    )
  },
}

/**
 * Drift no event reported (a lost CloudTrail delivery, a change before the guard existed): the
 * scheduled audit compares with the baseline and its restore plan goes through remediate.
 */
export const scheduledAuditDrift: Scenario = {
  id: 'scheduled-audit-drift',
  title: 'Scheduled audit finds drift no event reported',
  mode: 'enforce',
  async run(harness) {
    await harness.iam.send(
      new DetachRolePolicyCommand({ RoleName: 'SupportTeam', PolicyArn: SUPPORT_ACCESS_ARN }),
    )
    return [
      {
        change:
          'AWSSupportAccess leaves SupportTeam with no CloudTrail event delivered; the daily audit runs',
        trace: await harness.runScheduledAudit(),
      },
    ]
  },
}
