import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type OrganizationGuard, startOrganizationGuard } from '#test-support/e2e/organization-guard.ts'
import type { ScenarioResult } from '#test-support/e2e/scenario.ts'
import { playOrganizationScenario } from '#test-support/e2e/scenarios-organization.ts'
import { SUPPORT_ACCESS_ARN } from '#test-support/e2e/seed-guard-account.ts'

let guard: OrganizationGuard
let result: ScenarioResult
let iamBefore = 0

beforeAll(async () => {
  guard = await startOrganizationGuard({ mode: 'enforce' })
  iamBefore = guard.world.proxy.iamActions.length
  result = await playOrganizationScenario(guard)
}, 120_000)

afterAll(async () => {
  await guard?.stop()
})

function step(index: number) {
  const found = result.steps[index]
  if (!found) throw new Error(`the scenario has no step ${index}`)
  return found.trace
}

describe('the central guard of an organisation, on the emulator', () => {
  it("judges a member's detach with the member's IAM and reverts it there through the member role", async () => {
    const trace = step(0)
    expect(trace.invocations.map((invocation) => invocation.functionId)).toEqual([
      'DetectFunction',
      'RemediateFunction',
      'NotifyFunction',
      'NotifyFunction',
    ])
    const { workload } = guard
    expect(trace.findings).toEqual([
      expect.objectContaining({
        rule: 'SUPPORT_ACCESS_LOST',
        accountId: workload.id,
        principalArn: `arn:aws:iam::${workload.id}:role/SupportTeam`,
      }),
    ])
    expect(trace.remediations).toEqual([
      expect.objectContaining({ outcome: 'reverted', accountId: workload.id }),
    ])
    // The revert went to the workload account's IAM, read there before and after.
    expect(trace.invocations[1]?.iamCalls).toContain('AttachRolePolicy')
    expect(await guard.attachedPolicies(workload, 'SupportTeam')).toEqual([SUPPORT_ACCESS_ARN])
    expect(await guard.attachedPolicies(guard.sandbox, 'SupportTeam')).toEqual([SUPPORT_ACCESS_ARN])
    expect(guard.world.proxy.iamActions.length).toBeGreaterThan(iamBefore)
  })

  it('sends every message to the one central topic, naming the account by ID and name', () => {
    const trace = step(0)
    expect(trace.notifications).toHaveLength(2)
    for (const notification of trace.notifications)
      expect(notification.message).toContain(`${guard.workload.id} (workload)`)
  })

  it('refuses a record of one member forwarded by another, reading and writing nothing', () => {
    const trace = step(1)
    expect(trace.invocations).toEqual([
      expect.objectContaining({
        functionId: 'DetectFunction',
        result: expect.objectContaining({ verdict: 'foreign-account' }),
        iamCalls: [],
      }),
    ])
    expect(trace.findings).toEqual([])
    expect(trace.notifications).toEqual([])
  })

  it("judges the member's own copy afterwards: the refused copy took no idempotency key from it", async () => {
    const trace = step(2)
    expect(trace.remediations).toEqual([expect.objectContaining({ outcome: 'reverted' })])
    expect(await guard.attachedPolicies(guard.workload, 'SupportTeam')).toEqual([SUPPORT_ACCESS_ARN])
  })

  it("reports an edit of the member role's trust in the member account, and writes nothing back", () => {
    const trace = step(4)
    expect(trace.findings).toEqual([
      expect.objectContaining({
        rule: 'GUARD_ROLE_CHANGED',
        severity: 'critical',
        accountId: guard.workload.id,
        principalArn: `arn:aws:iam::${guard.workload.id}:role/SupportAccessGuardMember`,
      }),
    ])
    expect(trace.remediations).toEqual([])
    expect(trace.invocations.flatMap((invocation) => invocation.iamCalls)).not.toContain(
      'UpdateAssumeRolePolicy',
    )
    expect(trace.notifications.map((notification) => notification.attributes.rule)).toEqual([
      'GUARD_ROLE_CHANGED',
    ])
  })

  it('audits every account of the organisation through the queue and sends one summary', () => {
    const trace = step(3)
    const audits = trace.invocations.filter((invocation) => invocation.functionId === 'AuditFunction')
    // The schedule plans the run; then one invocation per account: central, workload and sandbox.
    expect(audits.map((invocation) => invocation.trigger)).toEqual([
      'schedule',
      'audit-queue',
      'audit-queue',
      'audit-queue',
    ])
    expect(audits[0]?.result).toMatchObject({ accounts: 3 })
    // Each member was read in its own account, through the member role.
    expect(
      audits.slice(1).every((invocation) => invocation.iamCalls.includes('GetAccountAuthorizationDetails')),
    ).toBe(true)
    // The sandbox's SCP is evaluated: its required support roles are denied there, nowhere else.
    const lost = trace.findings.filter((finding) => finding.rule === 'SUPPORT_ACCESS_LOST')
    expect(lost.map((finding) => finding.principalArn).sort()).toEqual(
      [
        `arn:aws:iam::${guard.sandbox.id}:role/SupportEscalation`,
        `arn:aws:iam::${guard.sandbox.id}:role/SupportTeam`,
      ].sort(),
    )
    expect(JSON.stringify(lost[0]?.evidence)).toContain('NoSupportInSandbox')
    // Cross-account reach: the sandbox user who may assume the workload's support role is reported
    // in the sandbox, naming that role; the workload was audited first in this run.
    const reached = trace.findings.filter(
      (finding) =>
        finding.rule === 'SUPPORT_ACCESS_GRANTED' &&
        finding.principalArn === `arn:aws:iam::${guard.sandbox.id}:user/sandbox-dev`,
    )
    expect(reached).toHaveLength(1)
    expect(JSON.stringify(reached[0])).toContain(`arn:aws:iam::${guard.workload.id}:role/AdminSharedSupport`)
    expect(trace.auditSummaries).toEqual([
      expect.objectContaining({ expected: 3, audited: 3, failed: [], failedOmitted: 0 }),
    ])
    const summaries = trace.notifications.filter(
      (notification) => notification.attributes.rule === 'AUDIT_SUMMARY',
    )
    expect(summaries).toHaveLength(1)
    expect(summaries[0]?.subject).toMatch(/audit of 3 accounts/)
  })
})
