import type { Scenario } from './scenario.ts'
import { forgedFindingEvents, forgedServiceLinkedRole } from './scenarios-forged-events.ts'
import {
  ciDeployerAdminGrant,
  contractorGrantEnforce,
  contractorGrantMonitor,
  scheduledAuditDrift,
} from './scenarios-grants-and-audit.ts'
import {
  duplicateDelivery,
  escalationPolicyVersion,
  revertEcho,
  supportConsoleCut,
  supportTeamDetach,
  supportTeamInlineDeny,
  unboundedSupportPermit,
} from './scenarios-support-access.ts'
import {
  quotasSlrDeleted,
  supportAppAdmin,
  supportAppTrust,
  supportSlrDeletionRefused,
} from './scenarios-support-app.ts'

/** Every scenario, in the order `npm start` plays them; each leaves IAM as it found it. */
export const ALL_SCENARIOS: readonly Scenario[] = [
  supportTeamDetach,
  supportTeamInlineDeny,
  supportConsoleCut,
  escalationPolicyVersion,
  unboundedSupportPermit,
  supportAppTrust,
  supportAppAdmin,
  supportSlrDeletionRefused,
  quotasSlrDeleted,
  contractorGrantMonitor,
  contractorGrantEnforce,
  ciDeployerAdminGrant,
  forgedFindingEvents,
  forgedServiceLinkedRole,
  duplicateDelivery,
  revertEcho,
  scheduledAuditDrift,
]
