import { CreateServiceLinkedRoleCommand } from '@aws-sdk/client-iam'
import { SUPPORT_APP_SLR_SERVICE } from '#shared/catalog/support-actions.ts'
import { type CloudTrailEvent, identifyAssumedRole } from './cloudtrail-event.ts'
import {
  attachAdministratorAccessToUser,
  createServiceLinkedRole,
  MADE_UP_SERVICE,
  putForgedFinding,
  serviceQuotasRoleMissingFinding,
  trustForeignAccount,
} from './forged-findings.ts'
import type { E2eHarness } from './harness.ts'
import { deleteServiceLinkedRole } from './iam-changes.ts'
import { readRoleState } from './iam-state.ts'
import type { Scenario, ScenarioStep } from './scenario.ts'
import { grantContractorSupportAccess, removeContractorGrant } from './scenarios-grants-and-audit.ts'
import { requireFinding } from './trace-queries.ts'

const platformLead = identifyAssumedRole(
  'arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_AdministratorAccess_5f2c6a1d8e3b4c70',
  'platform-lead',
)

/** The unrelated user the first forged plan would make an administrator. */
export const FORGED_ADMIN_USER = 'dev-one'

/**
 * A real open finding (the contractor's grant, which enforce mode leaves alone) replayed on the
 * findings bus by someone allowed to put events there, twice, each time asking for a write of
 * their own: remediate re-plans from what detect recorded, finds neither write in its plan and
 * refuses the event whole.
 */
export const forgedFindingEvents: Scenario = {
  id: 'forged-finding-events',
  title: 'Hand-made finding events ask remediate for writes of their own: refused, nothing written',
  mode: 'enforce',
  async run(harness) {
    const [grant] = await grantContractorSupportAccess(harness)
    if (!grant) throw new Error('the contractor grant played no step')
    const finding = requireFinding(grant.trace, 'SUPPORT_ACCESS_GRANTED')
    const replay = 'a hand-made finding event on the findings bus replays that finding (enforce, automatic)'
    return [
      grant,
      await putForgedFinding(
        harness,
        finding,
        [attachAdministratorAccessToUser(FORGED_ADMIN_USER)],
        `${replay} with plan: attach AdministratorAccess to user ${FORGED_ADMIN_USER}`,
      ),
      await putForgedFinding(
        harness,
        finding,
        [trustForeignAccount('SupportTeam')],
        `${replay} with plan: make role SupportTeam trust account 999999999999`,
      ),
    ]
  },
  cleanup: removeContractorGrant,
}

/**
 * What the forged SLR_MISSING event does while the Service Quotas role really is missing, and the
 * deletion's CloudTrail event, held back (CloudTrail delivers within minutes, a forger can be
 * faster).
 */
export interface ForgedWhileMissing {
  readonly step: ScenarioStep
  readonly heldBack: CloudTrailEvent
}

/**
 * Deletes AWSServiceRoleForServiceQuotas and, before its event reaches the guard, puts a finding
 * event for that very SLR_MISSING finding asking for the service-linked role of a made-up service.
 * The finding holds and the guard would re-create the Service Quotas role, so the event is judged
 * against that plan, and refused whole: the made-up role is not created, nor the Service Quotas one.
 */
export async function forgeServiceLinkedRoleWhileMissing(harness: E2eHarness): Promise<ForgedWhileMissing> {
  const heldBack = await deleteServiceLinkedRole(harness.iam, platformLead, 'AWSServiceRoleForServiceQuotas')
  const step = await putForgedFinding(
    harness,
    serviceQuotasRoleMissingFinding(harness.account.accountId),
    [createServiceLinkedRole(MADE_UP_SERVICE)],
    'platform-lead deletes AWSServiceRoleForServiceQuotas; before its CloudTrail event arrives, a hand-made ' +
      `SLR_MISSING finding event asks for create-service-linked-role ${MADE_UP_SERVICE}`,
  )
  return { step, heldBack }
}

export const forgedServiceLinkedRole: Scenario = {
  id: 'forged-slr-event',
  title: 'A forged SLR_MISSING event asks for the service-linked role of a made-up service: refused',
  mode: 'enforce',
  async run(harness) {
    const { step, heldBack } = await forgeServiceLinkedRoleWhileMissing(harness)
    return [
      step,
      {
        change: "the deletion's CloudTrail event arrives",
        trace: await harness.deliverCloudTrailEvent(heldBack),
      },
    ]
  },
  // The guard re-creates the role on the real event; this only matters when it did not.
  async cleanup(harness) {
    if (await readRoleState(harness.iam, 'AWSServiceRoleForServiceQuotas')) return
    await harness.iam.send(new CreateServiceLinkedRoleCommand({ AWSServiceName: SUPPORT_APP_SLR_SERVICE }))
  },
}
