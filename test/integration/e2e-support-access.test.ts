import { describe, expect, it } from 'vitest'
import { readDefaultVersionId, readRoleState } from '../../scripts/lib/e2e/iam-state.ts'
import { playScenario } from '../../scripts/lib/e2e/scenario.ts'
import {
  duplicateDelivery,
  escalationPolicyVersion,
  revertEcho,
  supportTeamDetach,
  supportTeamInlineDeny,
} from '../../scripts/lib/e2e/scenarios-support-access.ts'
import { SUPPORT_ACCESS_ARN } from '../../scripts/lib/e2e/seed-guard-account.ts'
import {
  listDetectVerdicts,
  listNotificationKeys,
  requireFinding,
} from '../../scripts/lib/e2e/trace-queries.ts'
import { useE2eHarness } from './use-e2e-harness.ts'

const LOST_REVERTED = ['SUPPORT_ACCESS_LOST high open', 'SUPPORT_ACCESS_LOST high reverted']

const harness = useE2eHarness('enforce')

describe('required support role, enforce mode, real bundles against the emulator', () => {
  it('re-attaches AWSSupportAccess detached from SupportTeam and notifies twice', async () => {
    const [step] = (await playScenario(harness(), supportTeamDetach)).steps
    if (!step) throw new Error('scenario returned no step')

    const finding = requireFinding(step.trace, 'SUPPORT_ACCESS_LOST')
    expect(finding).toMatchObject({
      severity: 'high',
      principalArn: harness().account.roles.supportTeam,
      mode: 'enforce',
      change: { eventName: 'DetachRolePolicy', actorArn: 'arn:aws:iam::123456789012:user/ops-admin' },
      plan: {
        steps: [{ action: 'attach-policy', principalName: 'SupportTeam', policyArn: SUPPORT_ACCESS_ARN }],
      },
    })
    expect(step.trace.remediations).toMatchObject([{ findingId: finding.id, outcome: 'reverted' }])
    expect((await readRoleState(harness().iam, 'SupportTeam'))?.attached).toEqual([SUPPORT_ACCESS_ARN])

    expect(listNotificationKeys(step.trace)).toEqual(LOST_REVERTED)
    const alert = step.trace.notifications.find((message) => message.attributes.outcome === 'open')
    expect(alert?.subject).toBe('[HIGH] SUPPORT_ACCESS_LOST: SupportTeam lost required AWS Support access')
    expect(alert?.message).toContain('DetachRolePolicy')
    expect(alert?.message).toContain('arn:aws:iam::123456789012:user/ops-admin')
  })

  it('deletes an inline Deny support:* put on SupportTeam', async () => {
    const [step] = (await playScenario(harness(), supportTeamInlineDeny)).steps
    if (!step) throw new Error('scenario returned no step')

    const finding = requireFinding(step.trace, 'SUPPORT_ACCESS_LOST')
    expect(finding.plan?.steps).toEqual([
      {
        action: 'delete-inline-policy',
        principalType: 'role',
        principalName: 'SupportTeam',
        policyName: 'DenySupport',
      },
    ])
    expect(step.trace.remediations).toMatchObject([{ outcome: 'reverted' }])
    const role = await readRoleState(harness().iam, 'SupportTeam')
    expect(role?.inline).toEqual([])
    expect(role?.attached).toEqual([SUPPORT_ACCESS_ARN])
    expect(listNotificationKeys(step.trace)).toEqual(LOST_REVERTED)
  })

  it('restores the default version of a protected role policy from the baseline', async () => {
    const { policyArn, roleArn } = harness().account.escalation
    const before = await harness().listBaselines()
    expect(before.find((baseline) => baseline.principalArn === roleArn)?.policyVersions[policyArn]).toBe('v1')

    const [step] = (await playScenario(harness(), escalationPolicyVersion)).steps
    if (!step) throw new Error('scenario returned no step')

    expect(requireFinding(step.trace, 'SUPPORT_ACCESS_LOST')).toMatchObject({
      principalArn: roleArn,
      plan: { steps: [{ action: 'set-default-policy-version', policyArn, versionId: 'v1' }] },
    })
    expect(step.trace.remediations).toMatchObject([{ outcome: 'reverted' }])
    await expect(readDefaultVersionId(harness().iam, policyArn)).resolves.toBe('v1')
    expect(listNotificationKeys(step.trace)).toEqual(LOST_REVERTED)
  })

  it('judges an event delivered twice once: one revert, one alert', async () => {
    const { steps } = await playScenario(harness(), duplicateDelivery)
    const [first, second] = steps
    if (!first || !second) throw new Error('scenario returned fewer than two steps')

    expect(first.trace.remediations).toMatchObject([{ outcome: 'reverted' }])
    expect(listNotificationKeys(first.trace)).toEqual(LOST_REVERTED)
    // Powertools idempotency returns the stored verdict: nothing is published, reverted or sent again.
    expect(listDetectVerdicts(second)).toEqual(['findings'])
    expect(second.trace.findings).toEqual([])
    expect(second.trace.remediations).toEqual([])
    expect(second.trace.notifications).toEqual([])
    const { roleName, policyArn } = harness().account.escalation
    expect((await readRoleState(harness().iam, roleName))?.attached).toEqual([policyArn])
  })

  it("ignores the CloudTrail event of the guard's own revert", async () => {
    const { steps } = await playScenario(harness(), revertEcho)
    const [change, echo] = steps
    if (!change || !echo) throw new Error('scenario returned fewer than two steps')

    expect(change.trace.remediations).toMatchObject([
      {
        outcome: 'reverted',
        steps: [{ action: 'delete-permissions-boundary', principalName: 'SupportTeam' }],
      },
    ])
    expect(listDetectVerdicts(echo)).toEqual(['own-change'])
    expect(echo.trace.invocations.map((invocation) => invocation.functionId)).toEqual(['DetectFunction'])
    expect(echo.trace.findings).toEqual([])
    expect(echo.trace.notifications).toEqual([])
    expect((await readRoleState(harness().iam, 'SupportTeam'))?.boundaryArn).toBeUndefined()
  })
})
