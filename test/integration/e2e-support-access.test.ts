import { describe, expect, it } from 'vitest'
import { CONSOLE_ACTIONS_FOR_SUPPORT_CENTER } from '#shared/catalog/support-actions.ts'
import {
  readDefaultPolicyDocument,
  readDefaultVersionId,
  readRoleState,
} from '#test-support/e2e/iam-state.ts'
import { playScenario } from '#test-support/e2e/scenario.ts'
import {
  DENY_SUPPORT_CONSOLE_POLICY,
  duplicateDelivery,
  escalationPolicyVersion,
  revertEcho,
  supportConsoleCut,
  supportTeamDetach,
  supportTeamInlineDeny,
  UNBOUNDED_PERMIT_REQUEST,
  unboundedSupportPermit,
} from '#test-support/e2e/scenarios-support-access.ts'
import { SUPPORT_ACCESS_ARN } from '#test-support/e2e/seed-guard-account.ts'
import {
  describeAction,
  listDetectVerdicts,
  listIamWrites,
  listNotificationKeys,
  requireFinding,
} from '#test-support/e2e/trace-queries.ts'
import { onlyStep, useE2eHarness } from './use-e2e-harness.ts'

const LOST_REVERTED = ['SUPPORT_ACCESS_LOST high open', 'SUPPORT_ACCESS_LOST high reverted']
const OPS_ADMIN_ARN = 'arn:aws:iam::123456789012:user/ops-admin'

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

  it('deletes an inline Deny support-console:* that cuts SupportTeam off the Support Center console', async () => {
    // A loss the change causes, not a gap SupportTeam always had: AWSSupportAccess grants the console.
    const before = await readRoleState(harness().iam, 'SupportTeam')
    expect(before).toMatchObject({ attached: [SUPPORT_ACCESS_ARN], inline: [] })
    expect(await readDefaultPolicyDocument(harness().iam, SUPPORT_ACCESS_ARN)).toMatchObject({
      Statement: [{ Effect: 'Allow', Action: expect.arrayContaining(['support:*', 'support-console:*']) }],
    })

    const step = onlyStep((await playScenario(harness(), supportConsoleCut)).steps)

    // The console gap is promoted to the loss: no SUPPORT_CONSOLE_ACCESS_MISSING beside it.
    expect(step.trace.findings.map((finding) => finding.rule)).toEqual(['SUPPORT_ACCESS_LOST'])
    const finding = requireFinding(step.trace, 'SUPPORT_ACCESS_LOST')
    expect(finding).toMatchObject({
      severity: 'high',
      title: 'SupportTeam lost required AWS Support console access',
      principalArn: harness().account.roles.supportTeam,
      mode: 'enforce',
      change: { eventName: 'PutRolePolicy', actorArn: OPS_ADMIN_ARN },
      plan: {
        steps: [
          {
            action: 'delete-inline-policy',
            principalType: 'role',
            principalName: 'SupportTeam',
            policyName: DENY_SUPPORT_CONSOLE_POLICY,
          },
        ],
      },
    })
    expect(finding.evidence.missingConsoleActions).toEqual(CONSOLE_ACTIONS_FOR_SUPPORT_CENTER)
    expect(step.trace.remediations).toMatchObject([{ findingId: finding.id, outcome: 'reverted' }])
    expect(listIamWrites(step.trace)).toEqual(['DeleteRolePolicy'])
    expect(await readRoleState(harness().iam, 'SupportTeam')).toEqual(before)

    expect(listNotificationKeys(step.trace)).toEqual(LOST_REVERTED)
    const alert = step.trace.notifications.find((message) => message.attributes.outcome === 'open')
    expect(alert?.subject).toBe(
      '[HIGH] SUPPORT_ACCESS_LOST: SupportTeam lost required AWS Support console access',
    )
    expect(alert?.message).toContain('support-console:CreateCaseDraft')
  })

  it('alerts once on an unbounded support permit and writes nothing', async () => {
    const step = onlyStep((await playScenario(harness(), unboundedSupportPermit)).steps)

    expect(step.trace.invocations.map((invocation) => invocation.functionId)).toEqual([
      'DetectFunction',
      'NotifyFunction',
    ])
    const finding = requireFinding(step.trace, 'SUPPORT_PERMIT_CREATED')
    expect(step.trace.findings).toEqual([finding])
    expect(finding).toMatchObject({
      severity: 'high',
      title: 'Unbounded support permit OutageInvestigation created by ops-admin',
      principalArn: OPS_ADMIN_ARN,
      mode: 'enforce',
      change: { eventName: 'CreateSupportPermit', actorArn: OPS_ADMIN_ARN },
      remediation: { automatic: false },
      evidence: {
        permitName: 'OutageInvestigation',
        actions: 'all',
        resources: 'all in us-east-1',
        allowBefore: null,
        signingKeyArn: UNBOUNDED_PERMIT_REQUEST.kmsKeyArn,
        supportCaseDisplayId: UNBOUNDED_PERMIT_REQUEST.supportCaseDisplayId,
      },
    })
    const permitArn = finding.evidence.permitArn
    expect(permitArn).toMatch(/^arn:aws:supportauthz:us-east-1:123456789012:supportpermit\/[0-9a-f-]{36}$/)
    // The guard never writes permits: no plan, nothing for remediate, no IAM write at all.
    expect(finding.plan).toBeUndefined()
    expect(describeAction(step.trace, finding)).toBe('alert only (no automatic revert)')
    expect(step.trace.remediations).toEqual([])
    expect(listIamWrites(step.trace)).toEqual([])

    expect(listNotificationKeys(step.trace)).toEqual(['SUPPORT_PERMIT_CREATED high open'])
    const [alert] = step.trace.notifications
    // The whole subject fits SNS's 100 characters, the kind of grant included.
    expect(alert?.subject).toBe(
      '[HIGH] SUPPORT_PERMIT_CREATED: Unbounded support permit OutageInvestigation created by ops-admin',
    )
    expect(alert?.message).toContain('all actions on all resources in us-east-1, no time window')
    expect(alert?.message).toContain(`signed with KMS key ${UNBOUNDED_PERMIT_REQUEST.kmsKeyArn}`)
    expect(alert?.message).toContain(String(permitArn))
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
