import type { IAMClient } from '@aws-sdk/client-iam'
import { type CloudTrailEvent, identifyIamUser } from '../e2e/cloudtrail-event.ts'
import { attachRolePolicy, attachUserPolicy, detachRolePolicy, putRolePolicy } from '../e2e/iam-changes.ts'
import { DENY_SUPPORT_DOCUMENT } from '../e2e/scenarios-support-access.ts'
import { SUPPORT_ACCESS_ARN } from '../e2e/seed-guard-account.ts'
import type { Random } from '../synthetic/prng.ts'
import {
  createPlainRoles,
  createRequiredRoles,
  createUsers,
  forEachLimited,
  roleArnOf,
} from './chaos-principals.ts'
import { ChaosSetupError } from './chaos-setup-error.ts'

/** The changes the campaign makes; each raises a finding. */
export const CAMPAIGN_KINDS = [
  /** AWSSupportAccess attached to a role neither required nor approved: SUPPORT_ACCESS_GRANTED. */
  'grant-role',
  /** AWSSupportAccess attached to a user outside the allowlist: SUPPORT_ACCESS_GRANTED. */
  'grant-user',
  /** AWSSupportAccess detached from a required role: SUPPORT_ACCESS_LOST, reverted in enforce mode. */
  'revoke-required',
  /** An inline Deny support:* put on a required role: SUPPORT_ACCESS_LOST, reverted in enforce mode. */
  'deny-required',
] as const
/** One of CAMPAIGN_KINDS. */
export type CampaignKind = (typeof CAMPAIGN_KINDS)[number]

/** How often each kind is drawn (relative weights). */
export type KindWeights = Readonly<Record<CampaignKind, number>>

/** A mix in which about half of the changes ask enforce mode for a revert. */
export const DEFAULT_KIND_WEIGHTS: KindWeights = {
  'grant-role': 30,
  'grant-user': 20,
  'revoke-required': 35,
  'deny-required': 15,
}

/** Kinds whose finding enforce mode reverts (SUPPORT_ACCESS_LOST is in the default enforceRules). */
export const REVERTED_KINDS: ReadonlySet<CampaignKind> = new Set(['revoke-required', 'deny-required'])

/** One change of the campaign and the CloudTrail event it produced. */
export interface CampaignEvent {
  readonly eventId: string
  readonly kind: CampaignKind
  /** The role or user changed (each change has its own). */
  readonly principalName: string
  readonly event: CloudTrailEvent
}

/** The kinds of `count` changes, drawn with `weights`. */
export function drawKinds(count: number, weights: KindWeights, random: Random): CampaignKind[] {
  const total = CAMPAIGN_KINDS.reduce((sum, kind) => sum + weights[kind], 0)
  if (!(total > 0)) throw new RangeError('at least one campaign kind needs a positive weight')
  return Array.from({ length: count }, () => {
    let roll = random.next() * total
    for (const kind of CAMPAIGN_KINDS) {
      roll -= weights[kind]
      if (roll < 0) return kind
    }
    return CAMPAIGN_KINDS[CAMPAIGN_KINDS.length - 1] as CampaignKind
  })
}

/** The principals a campaign acts on, one per change, created before the first audit. */
export interface CampaignPrincipals {
  readonly kinds: readonly CampaignKind[]
  readonly names: readonly string[]
  /** Required roles among them: each must get a baseline from the first audit. */
  readonly requiredRoleArns: readonly string[]
}

/** Creates a principal for each change: required roles with AWSSupportAccess, plain roles, users. */
export async function createCampaignPrincipals(
  iam: IAMClient,
  kinds: readonly CampaignKind[],
): Promise<CampaignPrincipals> {
  const count = (wanted: (kind: CampaignKind) => boolean) => kinds.filter(wanted).length
  const required = await createRequiredRoles(
    iam,
    count((kind) => REVERTED_KINDS.has(kind)),
  )
  const roles = await createPlainRoles(
    iam,
    'chaos-app-',
    count((kind) => kind === 'grant-role'),
  )
  const users = await createUsers(
    iam,
    'chaos-user-',
    count((kind) => kind === 'grant-user'),
  )
  const queues = { required: [...required], roles: [...roles], users: [...users] }
  const names = kinds.map((kind) => {
    const queue = REVERTED_KINDS.has(kind)
      ? queues.required
      : kind === 'grant-role'
        ? queues.roles
        : queues.users
    const name = queue.shift()
    if (name === undefined) throw new ChaosSetupError(`no principal left for a ${kind} change`)
    return name
  })
  return { kinds, names, requiredRoleArns: required.map(roleArnOf) }
}

/** Makes every change (real IAM calls, by the IAM user ops-admin) and returns their events. */
export async function makeCampaignChanges(
  iam: IAMClient,
  principals: CampaignPrincipals,
): Promise<CampaignEvent[]> {
  const actor = identifyIamUser('ops-admin')
  const events: CampaignEvent[] = []
  await forEachLimited(principals.kinds, async (kind, index) => {
    const name = principals.names[index] as string
    const event = await makeChange(iam, actor, kind, name)
    events[index] = { eventId: String(event.detail.eventID), kind, principalName: name, event }
  })
  return events
}

function makeChange(
  iam: IAMClient,
  actor: ReturnType<typeof identifyIamUser>,
  kind: CampaignKind,
  name: string,
): Promise<CloudTrailEvent> {
  switch (kind) {
    case 'grant-role':
      return attachRolePolicy(iam, actor, name, SUPPORT_ACCESS_ARN)
    case 'grant-user':
      return attachUserPolicy(iam, actor, name, SUPPORT_ACCESS_ARN)
    case 'revoke-required':
      return detachRolePolicy(iam, actor, name, SUPPORT_ACCESS_ARN)
    case 'deny-required':
      return putRolePolicy(iam, actor, name, 'DenySupport', DENY_SUPPORT_DOCUMENT)
  }
}
