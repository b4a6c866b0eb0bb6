import { identifyIamUser } from './cloudtrail-event.ts'
import { detachRolePolicy, updateAssumeRolePolicy } from './iam-changes.ts'
import { madeIn, type OrganizationGuard } from './organization-guard.ts'
import type { ScenarioResult } from './scenario.ts'
import { SUPPORT_ACCESS_ARN } from './seed-guard-account.ts'

export const ORGANIZATION_SCENARIO = {
  id: 'organization-member-detach',
  title: 'Organisation: member detach, forwarding refused, audit, member role edited',
  mode: 'enforce',
} as const

/**
 * The central guard of a two-member organisation: the workload account detaches AWSSupportAccess
 * from its SupportTeam role and its rule forwards the event (reverted in the workload account,
 * through the member role); then the sandbox account forwards a record that names the workload
 * account (refused); then the workload account's own copy of that record (reverted); then the
 * scheduled audit of every account, ending in one summary; last, an administrator of the workload
 * account rewrites the member role's trust (reported, never written back by the guard).
 */
export async function playOrganizationScenario(guard: OrganizationGuard): Promise<ScenarioResult> {
  const started = Date.now()
  const { workload, sandbox } = guard
  const detach = () =>
    detachRolePolicy(workload.iam, identifyIamUser('ops-admin'), 'SupportTeam', SUPPORT_ACCESS_ARN)
  const first = await detach()
  const forwarded = await guard.deliverForwarded(madeIn(first, workload.id))
  const second = await detach()
  const forged = await guard.deliverForwarded(madeIn(second, workload.id, sandbox.id))
  const genuine = await guard.deliverForwarded(madeIn(second, workload.id))
  const audit = await guard.runOrganizationAudit()
  // Last: the emulator does not enforce trust policies, but AWS would refuse the guard from here on.
  const trustEdit = await updateAssumeRolePolicy(
    workload.iam,
    identifyIamUser('ops-admin'),
    'SupportAccessGuardMember',
    {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${workload.id}:root` }, Action: 'sts:AssumeRole' },
      ],
    },
  )
  const tampered = await guard.deliverForwarded(madeIn(trustEdit, workload.id))
  return {
    scenario: ORGANIZATION_SCENARIO,
    steps: [
      {
        change: `workload ${workload.id}: ops-admin detaches AWSSupportAccess from SupportTeam; forwarded to the central intake bus`,
        trace: forwarded,
      },
      {
        change: `sandbox ${sandbox.id} forwards a second such record that names workload ${workload.id}`,
        trace: forged,
      },
      { change: `workload ${workload.id} forwards its own copy of that record`, trace: genuine },
      {
        change: 'the schedule audits the organisation: one queued message per account, one summary',
        trace: audit,
      },
      {
        change: `workload ${workload.id}: ops-admin lets the account itself assume the guard's member role`,
        trace: tampered,
      },
    ],
    durationMs: Date.now() - started,
  }
}
