import { DetachRolePolicyCommand, DetachUserPolicyCommand } from '@aws-sdk/client-iam'
import { identifyIamUser } from './cloudtrail-event.ts'
import type { E2eHarness } from './harness.ts'
import { attachUserPolicy } from './iam-changes.ts'
import type { Scenario, ScenarioStep } from './scenario.ts'
import { SUPPORT_ACCESS_ARN } from './seed-guard-account.ts'

const opsAdmin = identifyIamUser('ops-admin')

/** AWSSupportAccess attached to contractor-temp, a user outside the allowlist. */
async function grantContractorSupportAccess(harness: E2eHarness): Promise<ScenarioStep[]> {
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
async function removeContractorGrant(harness: E2eHarness): Promise<void> {
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
