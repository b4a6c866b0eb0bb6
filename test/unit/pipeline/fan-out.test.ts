import { describe, expect, it, vi } from 'vitest'
import { parseChangeEvent } from '#shared/events/parse-change-event.ts'
import { detectChange } from '#shared/pipeline/detect-change.ts'
import { readState } from '#shared/pipeline/read-change-state.ts'
import type { AccountReader } from '#shared/snapshot/account-reader.ts'
import { SnapshotReader } from '#shared/snapshot/snapshot-reader.ts'
import type { AccountSnapshot } from '#shared/snapshot/types.ts'
import { applyChange, buildDetectHarness } from '../helpers/detect-harness.ts'
import {
  ACCOUNT_ID,
  loadExampleConfig,
  loadExampleSnapshot,
  makeGroup,
  makeUser,
  SUPPORT_ACCESS,
  withEntities,
} from '../helpers/example-account.ts'
import { loadEvent } from '../helpers/sample-events.ts'

const MEMBERS = 1_000
const GROUP = 'SupportEngineers'
const memberName = (index: number) => `engineer-${String(index).padStart(4, '0')}`
const LAST = memberName(MEMBERS - 1)

/** A group of 1,000 users whose only support access is the group's AWSSupportAccess. */
function groupOfThousand(): AccountSnapshot {
  return withEntities(loadExampleSnapshot(), {
    groups: [makeGroup(GROUP, { attached: [SUPPORT_ACCESS] })],
    users: Array.from({ length: MEMBERS }, (_, index) => makeUser(memberName(index), { groups: [GROUP] })),
  })
}

/** Only the one-by-one reads: a reader that cannot read the account in bulk. */
function withoutBulkRead(reader: AccountReader): AccountReader {
  return {
    readRole: (name: string) => reader.readRole(name),
    readUser: (name: string) => reader.readUser(name),
    readGroup: (name: string) => reader.readGroup(name),
    listGroupMembers: (name: string) => reader.listGroupMembers(name),
    readManagedPolicy: (arn: string) => reader.readManagedPolicy(arn),
    readPolicyVersion: (arn: string, versionId: string) => reader.readPolicyVersion(arn, versionId),
    listPolicyHolders: (arn: string) => reader.listPolicyHolders(arn),
  }
}

describe('a change that reaches 1,000 principals', () => {
  const config = loadExampleConfig({
    supportPrincipals: { required: [`arn:aws:iam::*:user/${LAST}`], approved: [] },
  })
  const outcome = parseChangeEvent(loadEvent('detach-group-policy.json'))
  if (outcome.status !== 'change') throw new Error('expected a change')
  const before = groupOfThousand()
  const after = applyChange(before, outcome.change)

  it.each([
    { name: 'read in bulk', bulk: true },
    { name: 'read one by one', bulk: false },
  ])('is judged on every member ($name): the required user at index 999 is found', async ({ bulk }) => {
    const harness = buildDetectHarness({ before, after, config })
    const reader = bulk ? harness.reader : withoutBulkRead(harness.reader)
    const readUser = vi.spyOn(reader, 'readUser')
    const result = await detectChange(outcome, { ...harness.deps, reader })

    const lost = result.findings.filter((finding) => finding.rule === 'SUPPORT_ACCESS_LOST')
    expect(lost.map((finding) => finding.principalArn)).toEqual([`arn:aws:iam::${ACCOUNT_ID}:user/${LAST}`])
    expect(lost[0]?.change?.principalsChecked).toBe(MEMBERS)
    expect(readUser).toHaveBeenCalledTimes(bulk ? 0 : MEMBERS)
  })

  it('keeps at most the configured number of reads in flight when reading one by one', async () => {
    const snapshotReader = new SnapshotReader(after)
    let inFlight = 0
    let peak = 0
    const reader = withoutBulkRead(snapshotReader)
    const slowUser = reader.readUser
    reader.readUser = async (name) => {
      inFlight++
      peak = Math.max(peak, inFlight)
      await new Promise((resolve) => setTimeout(resolve, 1))
      inFlight--
      return slowUser(name)
    }
    const state = await readState(
      ACCOUNT_ID,
      { roles: new Set(), users: new Set(), groups: new Set([GROUP]), policies: new Set() },
      reader,
      { bulkReadAbove: Number.POSITIVE_INFINITY, concurrency: 8 },
    )
    expect(state.users).toHaveLength(MEMBERS)
    expect(peak).toBe(8)
  })

  it('reads the same state in bulk as one by one', async () => {
    const targets = () => ({
      roles: new Set(['SupportTeam']),
      users: new Set<string>(),
      groups: new Set([GROUP]),
      policies: new Set<string>(),
    })
    const reader = new SnapshotReader(after)
    const bulk = await readState(ACCOUNT_ID, targets(), reader)
    const single = await readState(ACCOUNT_ID, targets(), withoutBulkRead(reader))
    const names = (state: AccountSnapshot) => ({
      roles: state.roles.map((role) => role.name).sort(),
      users: state.users.map((user) => user.name).sort(),
      groups: state.groups.map((group) => group.name).sort(),
      policies: state.policies.map((policy) => policy.arn).sort(),
    })
    expect(names(bulk)).toEqual(names(single))
    expect(bulk.users).toHaveLength(MEMBERS)
  })
})
