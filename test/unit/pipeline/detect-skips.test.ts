import { describe, expect, it, vi } from 'vitest'
import { parseChangeEvent } from '#shared/events/parse-change-event.ts'
import { detectChange } from '#shared/pipeline/detect-change.ts'
import type { AccountReader } from '#shared/snapshot/account-reader.ts'
import { SnapshotReader } from '#shared/snapshot/snapshot-reader.ts'
import type { AccountSnapshot } from '#shared/snapshot/types.ts'
import { applyChange, buildDetectHarness } from '../helpers/detect-harness.ts'
import { loadExampleConfig, loadExampleSnapshot } from '../helpers/example-account.ts'
import { loadEvent, loadEventWith } from '../helpers/sample-events.ts'

const GUARD_ROLE = 'arn:aws:iam::123456789012:role/support-guard-RemediateRole-1A2B3C'
const snapshot = loadExampleSnapshot()
const config = loadExampleConfig()

/** A reader whose every method is a spy over the example account. */
function spyReader(
  state: AccountSnapshot,
): { [K in keyof AccountReader]: ReturnType<typeof vi.fn> } & AccountReader {
  const inner = new SnapshotReader(state)
  return {
    readRole: vi.fn((name: string) => inner.readRole(name)),
    readUser: vi.fn((name: string) => inner.readUser(name)),
    readGroup: vi.fn((name: string) => inner.readGroup(name)),
    listGroupMembers: vi.fn((name: string) => inner.listGroupMembers(name)),
    readManagedPolicy: vi.fn((arn: string) => inner.readManagedPolicy(arn)),
    readPolicyVersion: vi.fn((arn: string, id: string) => inner.readPolicyVersion(arn, id)),
    listPolicyHolders: vi.fn((arn: string) => inner.listPolicyHolders(arn)),
  }
}

function setUp(guardRoleArn?: string, state: AccountSnapshot = snapshot) {
  const harness = buildDetectHarness({
    after: snapshot,
    before: snapshot,
    config,
    ...(guardRoleArn ? { guardRoleArn } : {}),
  })
  const reader = spyReader(state)
  const baselines = { get: vi.fn(), put: vi.fn(), list: vi.fn() }
  return { harness, reader, baselines, deps: { ...harness.deps, reader, baselines } }
}

const guardSession = {
  type: 'AssumedRole',
  principalId: 'AROAEXAMPLEGUARD:remediate',
  arn: 'arn:aws:sts::123456789012:assumed-role/support-guard-RemediateRole-1A2B3C/remediate',
  accountId: '123456789012',
  sessionContext: {
    sessionIssuer: {
      type: 'Role',
      principalId: 'AROAEXAMPLEGUARD',
      arn: GUARD_ROLE,
      accountId: '123456789012',
      userName: 'support-guard-RemediateRole-1A2B3C',
    },
    attributes: { creationDate: '2025-03-10T16:08:50Z', mfaAuthenticated: 'false' },
  },
}

function expectNothingTouched(context: ReturnType<typeof setUp>): void {
  for (const method of Object.values(context.reader)) expect(method).not.toHaveBeenCalled()
  for (const method of Object.values(context.baselines)) expect(method).not.toHaveBeenCalled()
  expect(context.harness.publisher.publish).not.toHaveBeenCalled()
}

describe('detectChange skips changes it must not judge', () => {
  it("records the guard's own revert as own-change without reading or publishing", async () => {
    const context = setUp(GUARD_ROLE)
    const event = loadEventWith('attach-role-policy.json', { userIdentity: guardSession })
    const result = await detectChange(parseChangeEvent(event), context.deps)
    expect(result).toMatchObject({ verdict: 'own-change', findings: [], baselinesWritten: 0 })
    expect(result?.eventName).toBe('AttachRolePolicy')
    expectNothingTouched(context)
  })

  it('judges the same change normally when it comes from anyone else', async () => {
    const outcome = parseChangeEvent(loadEvent('attach-role-policy.json'))
    if (outcome.status !== 'change') throw new Error('not a change')
    const context = setUp(GUARD_ROLE, applyChange(snapshot, outcome.change))
    const result = await detectChange(outcome, context.deps)
    expect(result.verdict).toBe('findings')
    expect(context.reader.readRole).toHaveBeenCalledWith('AWSSupportAppRole')
    expect(context.harness.publisher.publish).toHaveBeenCalledTimes(1)
  })

  it('refuses a change of another account than the one it guards, reading and writing nothing', async () => {
    const context = setUp(GUARD_ROLE)
    const warn = vi.spyOn(context.deps.logger, 'warn')
    const event = loadEvent('detach-role-policy.json')
    const result = await detectChange(parseChangeEvent(event), { ...context.deps, accountId: '210987654321' })
    expect(result).toMatchObject({ verdict: 'foreign-account', eventName: 'DetachRolePolicy', findings: [] })
    expectNothingTouched(context)
    expect(warn).toHaveBeenCalledWith(
      'change of another account refused',
      expect.objectContaining({ accountId: '123456789012', verdict: 'foreign-account' }),
    )
    const own = await detectChange(parseChangeEvent(event), { ...context.deps, accountId: '123456789012' })
    expect(own.verdict).not.toBe('foreign-account')
  })

  it('refuses a record of one account that arrived on the bus of another (a member speaking for B)', async () => {
    const context = setUp(GUARD_ROLE)
    const event = loadEvent('detach-role-policy.json') as Record<string, unknown>
    const forwarded = { ...event, account: '210987654321' }
    const result = await detectChange(parseChangeEvent(forwarded), context.deps)
    expect(result).toMatchObject({ verdict: 'foreign-account', findings: [] })
    expectNothingTouched(context)
    // The same record from its own account's bus is judged.
    const direct = await detectChange(parseChangeEvent({ ...event, account: '123456789012' }), context.deps)
    expect(direct.verdict).not.toBe('foreign-account')
  })

  it("skips the member role's remediate session as own-change, and judges the member role's other sessions", async () => {
    const memberRole = 'arn:aws:iam::123456789012:role/SupportAccessGuardMember'
    const session = (name: string) => ({
      ...guardSession,
      arn: `arn:aws:sts::123456789012:assumed-role/SupportAccessGuardMember/${name}`,
      sessionContext: {
        ...guardSession.sessionContext,
        sessionIssuer: { ...guardSession.sessionContext.sessionIssuer, arn: memberRole },
      },
    })
    const context = setUp()
    const deps = {
      ...context.deps,
      guardSessionArn:
        'arn:aws:sts::123456789012:assumed-role/SupportAccessGuardMember/support-guard-remediate',
    }
    const own = await detectChange(
      parseChangeEvent(
        loadEventWith('attach-role-policy.json', { userIdentity: session('support-guard-remediate') }),
      ),
      deps,
    )
    expect(own.verdict).toBe('own-change')
    expectNothingTouched(context)
    const other = await detectChange(
      parseChangeEvent(loadEventWith('attach-role-policy.json', { userIdentity: session('someone-else') })),
      deps,
    )
    expect(other.verdict).not.toBe('own-change')
  })

  it('skips an actor listed in ignoreActors (deploy-pipeline) as ignored-actor', async () => {
    const context = setUp(GUARD_ROLE)
    const result = await detectChange(parseChangeEvent(loadEvent('create-role.json')), context.deps)
    expect(result).toMatchObject({ verdict: 'ignored-actor', eventName: 'CreateRole', findings: [] })
    expectNothingTouched(context)
  })

  it('acknowledges a non-CloudTrail event as ignored', async () => {
    const context = setUp()
    const result = await detectChange(
      parseChangeEvent({ source: 'aws.s3', 'detail-type': 'Object Created', detail: {} }),
      context.deps,
    )
    expect(result.verdict).toBe('ignored')
    expectNothingTouched(context)
  })

  it('rethrows an unreadable CloudTrail event so Lambda retries it', async () => {
    const context = setUp()
    const event = loadEventWith('detach-role-policy.json', { eventID: undefined, userIdentity: 'nobody' })
    await expect(detectChange(parseChangeEvent(event), context.deps)).rejects.toMatchObject({
      name: 'EventParseError',
    })
    expectNothingTouched(context)
  })
})
