import {
  AttachRolePolicyCommand,
  DetachRolePolicyCommand,
  type IAMClient,
  ListRolesCommand,
} from '@aws-sdk/client-iam'
import { describe, expect, it } from 'vitest'
import type { FindingEventDetail } from '#shared/pipeline/bus-events.ts'
import { describeStep, type RemediationStep } from '#shared/pipeline/remediation-steps.ts'
import {
  attachAdministratorAccessToUser,
  createServiceLinkedRole,
  forgeFindingEvent,
  MADE_UP_SERVICE,
  trustForeignAccount,
} from '#test-support/e2e/forged-findings.ts'
import { readRoleState, readUserPolicyArns } from '#test-support/e2e/iam-state.ts'
import type { PipelineTrace } from '#test-support/e2e/pipeline-trace.ts'
import { playScenario, type ScenarioStep } from '#test-support/e2e/scenario.ts'
import {
  FORGED_ADMIN_USER,
  forgedFindingEvents,
  forgedServiceLinkedRole,
  forgeServiceLinkedRoleWhileMissing,
} from '#test-support/e2e/scenarios-forged-events.ts'
import { supportTeamDetach } from '#test-support/e2e/scenarios-support-access.ts'
import { ADMINISTRATOR_ACCESS_ARN, SUPPORT_ACCESS_ARN } from '#test-support/e2e/seed-guard-account.ts'
import { findRemediation, listIamWrites, requireFinding } from '#test-support/e2e/trace-queries.ts'
import { onlyStep, useE2eHarness } from './use-e2e-harness.ts'

const harness = useE2eHarness('enforce')

/**
 * What the guard must do with a finding event asking for a write outside its own plan: remediate
 * runs (the template routes it there), writes nothing, reports `skipped` + `refused` naming the
 * foreign write, and notify says the event was refused.
 */
function expectRefused(trace: PipelineTrace, finding: FindingEventDetail, foreign: RemediationStep): void {
  // The forged finding goes to remediate and notify; remediate's answer goes to notify.
  expect(trace.invocations.map((invocation) => invocation.functionId)).toEqual([
    'RemediateFunction',
    'NotifyFunction',
    'NotifyFunction',
  ])
  expect(listIamWrites(trace)).toEqual([])
  expect(trace.remediations).toHaveLength(1)
  const remediation = findRemediation(trace, finding.id)
  expect(remediation).toMatchObject({ outcome: 'skipped', refused: true, steps: [], rule: finding.rule })
  expect(remediation?.reason).toMatch(/^refused: /)
  expect(remediation?.reason).toContain(describeStep(foreign))
  const refusals = trace.notifications.filter((message) => message.subject.includes('finding event REFUSED'))
  expect(refusals).toHaveLength(1)
  expect(refusals[0]?.attributes).toMatchObject({ rule: finding.rule, outcome: 'skipped' })
  expect(refusals[0]?.message).toContain('The guard refused a finding event')
}

/** The steps of a scenario, exactly `count` of them, each defined. */
function requireSteps(steps: readonly ScenarioStep[], count: number): (index: number) => ScenarioStep {
  if (steps.length !== count) throw new Error(`expected ${count} steps, got ${steps.length}`)
  return (index) => {
    const step = steps[index]
    if (!step) throw new Error(`no step ${index}`)
    return step
  }
}

async function listRoleNames(iam: IAMClient): Promise<string[]> {
  const roles = await iam.send(new ListRolesCommand({ MaxItems: 1000 }))
  return (roles.Roles ?? []).flatMap((role) => (role.RoleName ? [role.RoleName] : [])).sort()
}

describe('finding events put on the findings bus by hand', () => {
  it("sees remediate's IAM writes in a real revert (so an empty write log below means something)", async () => {
    const step = onlyStep((await playScenario(harness(), supportTeamDetach)).steps)

    expect(listIamWrites(step.trace, 'RemediateFunction')).toEqual(['AttachRolePolicy'])
    expect(listIamWrites(step.trace, 'DetectFunction')).toEqual([])
    expect((await readRoleState(harness().iam, 'SupportTeam'))?.attached).toEqual([SUPPORT_ACCESS_ARN])
  })

  it('refuses AdministratorAccess for an unrelated user and a foreign trust on SupportTeam, writing nothing', async () => {
    const { iam } = harness()
    const userBefore = await readUserPolicyArns(iam, FORGED_ADMIN_USER)
    const supportTeamBefore = await readRoleState(iam, 'SupportTeam')
    expect(userBefore).not.toContain(ADMINISTRATOR_ACCESS_ARN)

    const played = (await playScenario(harness(), forgedFindingEvents)).steps
    try {
      const step = requireSteps(played, 3)
      const [grant, admin, trust] = [step(0), step(1), step(2)]
      // A real finding that stays open: enforce mode does not revert SUPPORT_ACCESS_GRANTED.
      const finding = requireFinding(grant.trace, 'SUPPORT_ACCESS_GRANTED')
      expect(finding).toMatchObject({ mode: 'enforce', remediation: { automatic: false } })
      expect(finding.withheld).toBeDefined()
      expect(grant.trace.remediations).toEqual([])

      const adminStep = attachAdministratorAccessToUser(FORGED_ADMIN_USER)
      const trustStep = trustForeignAccount('SupportTeam')
      // What went on the bus: the finding's own ID, marked for an automatic revert, with the foreign plan.
      expect(admin.trace.findings).toEqual([
        expect.objectContaining({
          id: finding.id,
          mode: 'enforce',
          remediation: expect.objectContaining({ automatic: true }),
          plan: expect.objectContaining({ steps: [adminStep] }),
        }),
      ])
      expect(trust.trace.findings[0]?.plan?.steps).toEqual([trustStep])
      expectRefused(admin.trace, finding, adminStep)
      expectRefused(trust.trace, finding, trustStep)

      await expect(readUserPolicyArns(iam, FORGED_ADMIN_USER)).resolves.toEqual(userBefore)
      await expect(readRoleState(iam, 'SupportTeam')).resolves.toEqual(supportTeamBefore)
      // Refusing is not reverting: the grant the finding is about is still there.
      await expect(readUserPolicyArns(iam, 'contractor-temp')).resolves.toEqual([SUPPORT_ACCESS_ARN])
    } finally {
      await forgedFindingEvents.cleanup?.(harness())
    }
  })

  it('refuses a service-linked role for a made-up service under SLR_MISSING; no role is created', async () => {
    const { iam } = harness()
    const rolesBefore = await listRoleNames(iam)
    expect(rolesBefore).toContain('AWSServiceRoleForServiceQuotas')

    await harness().startScenario()
    const { step, heldBack } = await forgeServiceLinkedRoleWhileMissing(harness())
    try {
      const forged = requireFinding(step.trace, 'SLR_MISSING')
      expectRefused(step.trace, forged, createServiceLinkedRole(MADE_UP_SERVICE))
      // Remediate looked (it re-plans from IAM as it is), and only looked.
      const remediate = step.trace.invocations.find((call) => call.functionId === 'RemediateFunction')
      expect(remediate?.iamCalls.length).toBeGreaterThan(0)
      // Refused whole: neither the made-up role nor the Service Quotas role the guard would re-create.
      await expect(listRoleNames(iam)).resolves.toEqual(
        rolesBefore.filter((name) => name !== 'AWSServiceRoleForServiceQuotas'),
      )

      // The deletion's own event then takes the guard's path: the finding the forger named, re-created.
      const real = await harness().deliverCloudTrailEvent(heldBack)
      const missing = requireFinding(real, 'SLR_MISSING')
      expect(missing.id).toBe(forged.id)
      expect(findRemediation(real, missing.id)?.outcome).toBe('reverted')
      expect(listIamWrites(real, 'RemediateFunction')).toEqual(['CreateServiceLinkedRole'])
      await expect(listRoleNames(iam)).resolves.toEqual(rolesBefore)
    } finally {
      await forgedServiceLinkedRole.cleanup?.(harness())
    }
  })

  it("refuses a whole event that adds a foreign write to the guard's own step; a replay of its own event is work already done", async () => {
    const { iam } = harness()
    const detach = onlyStep((await playScenario(harness(), supportTeamDetach)).steps)
    const lost = requireFinding(detach.trace, 'SUPPORT_ACCESS_LOST')
    const own = lost.plan?.steps ?? []
    expect(own).toEqual([
      {
        action: 'attach-policy',
        principalType: 'role',
        principalName: 'SupportTeam',
        policyArn: SUPPORT_ACCESS_ARN,
      },
    ])
    // The same detach again with no event delivered: the finding holds again and detect's change
    // record still answers it, so the guard's own plan is the re-attachment.
    await iam.send(new DetachRolePolicyCommand({ RoleName: 'SupportTeam', PolicyArn: SUPPORT_ACCESS_ARN }))
    try {
      const foreign = attachAdministratorAccessToUser(FORGED_ADMIN_USER)
      const mixed = await harness().putFindingEvent(forgeFindingEvent(lost, [...own, foreign]))
      expectRefused(mixed, lost, foreign)
      expect((await readRoleState(iam, 'SupportTeam'))?.attached).toEqual([])
      await expect(readUserPolicyArns(iam, FORGED_ADMIN_USER)).resolves.not.toContain(
        ADMINISTRATOR_ACCESS_ARN,
      )

      // The guard's own event for that change, put again with a new EventBridge ID: the same finding,
      // change and steps are the same work, answered from its record without running again. (A new
      // detach is a new CloudTrail event, and new work.)
      const replayed = await harness().putFindingEvent(forgeFindingEvent(lost, own))
      const remediate = replayed.invocations.filter((call) => call.functionId === 'RemediateFunction')
      expect(remediate.map((call) => call.result)).toEqual([{ findingId: lost.id, outcome: 'reverted' }])
      expect(remediate[0]?.iamCalls).toEqual([])
      expect(replayed.remediations).toEqual([])
      expect((await readRoleState(iam, 'SupportTeam'))?.attached).toEqual([])
    } finally {
      const attached = (await readRoleState(iam, 'SupportTeam'))?.attached ?? []
      if (!attached.includes(SUPPORT_ACCESS_ARN)) {
        await iam.send(
          new AttachRolePolicyCommand({ RoleName: 'SupportTeam', PolicyArn: SUPPORT_ACCESS_ARN }),
        )
      }
    }
  })
})
