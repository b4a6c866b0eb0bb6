/**
 * Bounds case: a group of many users whose only support access is the group's
 * `AWSSupportAccess`. The policy is detached from the group, and the detect use-case must
 * judge every member: each required member losing support access is a finding, the last
 * member (index `members - 1`) included.
 */
import { parseGuardConfig } from '#shared/config/guard-config.ts'
import { parseAccountSnapshot } from '#shared/snapshot/parse-snapshot.ts'
import { buildIamCallEvent } from './cloudtrail-event.ts'
import { detectInMemory, type ReadPath } from './detect-in-memory.ts'
import {
  attachment,
  BOUNDS_ACCOUNT,
  rawExport,
  rawGroup,
  rawSupportAccessPolicy,
  rawUser,
  SUPPORT_ACCESS_ARN,
} from './raw-entities.ts'

const GROUP = 'SupportEngineers'

/** Which members the guard config requires to keep support access. */
export type RequiredMembers = 'last' | 'all'

export interface LargeGroupOutcome {
  readonly members: number
  readonly required: RequiredMembers
  readonly readPath: ReadPath
  readonly verdict: string
  /** Roles and users detect says it judged (the findings' `change.principalsChecked`). */
  readonly principalsChecked: number | undefined
  /** Members with a SUPPORT_ACCESS_LOST finding. */
  readonly lostFound: number
  /** The name of the last member, and whether its loss was found. */
  readonly lastMember: string
  readonly lastMemberFound: boolean
}

/** `member-0000` … : zero-padded so names sort in member order. */
export function memberName(index: number): string {
  return `member-${String(index).padStart(4, '0')}`
}

/** Runs the case for a group of `members` users, requiring the last one or all of them. */
export async function runLargeGroupCase(
  members: number,
  required: RequiredMembers,
  readPath: ReadPath = 'bulk',
): Promise<LargeGroupOutcome> {
  const names = Array.from({ length: members }, (_, index) => memberName(index))
  const lastMember = names.at(-1) ?? memberName(0)
  const raw = rawExport({
    users: names.map((name) => rawUser(name, [GROUP])),
    groups: [rawGroup(GROUP, [attachment(SUPPORT_ACCESS_ARN)])],
    policies: [rawSupportAccessPolicy()],
  })
  const snapshot = parseAccountSnapshot(raw)
  const pattern = required === 'last' ? `arn:aws:iam::*:user/${lastMember}` : 'arn:aws:iam::*:user/member-*'
  const config = parseGuardConfig({ supportPrincipals: { required: [pattern] } })
  const event = buildIamCallEvent({
    accountId: BOUNDS_ACCOUNT,
    sequence: members,
    eventName: 'DetachGroupPolicy',
    requestParameters: { groupName: GROUP, policyArn: SUPPORT_ACCESS_ARN },
  })
  const { result } = await detectInMemory(snapshot, event, config, readPath)
  const lost = new Set(
    result.findings
      .filter((finding) => finding.rule === 'SUPPORT_ACCESS_LOST')
      .map((finding) => finding.principalArn?.split('/').pop() ?? ''),
  )
  return {
    members,
    required,
    readPath,
    verdict: result.verdict,
    principalsChecked: result.findings[0]?.change?.principalsChecked,
    lostFound: lost.size,
    lastMember,
    lastMemberFound: lost.has(lastMember),
  }
}

/** True when every member was judged and every required member's loss was found. */
export function largeGroupHolds(outcome: LargeGroupOutcome): boolean {
  const expected = outcome.required === 'all' ? outcome.members : 1
  return (
    outcome.lastMemberFound && outcome.lostFound === expected && outcome.principalsChecked === outcome.members
  )
}
