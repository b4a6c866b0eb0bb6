import { describe, expect, it } from 'vitest'
import { readRoleState, readUserPolicyArns } from '#test-support/e2e/iam-state.ts'
import { playScenario } from '#test-support/e2e/scenario.ts'
import {
  ciDeployerAdminGrant,
  contractorGrantEnforce,
  contractorGrantMonitor,
  scheduledAuditDrift,
} from '#test-support/e2e/scenarios-grants-and-audit.ts'
import { ADMINISTRATOR_ACCESS_ARN, SUPPORT_ACCESS_ARN } from '#test-support/e2e/seed-guard-account.ts'
import {
  findRemediation,
  listIamWrites,
  listNotificationKeys,
  requireFinding,
} from '#test-support/e2e/trace-queries.ts'
import { onlyStep, useE2eHarness } from './use-e2e-harness.ts'

const harness = useE2eHarness('monitor')

describe('an unapproved user gains support access', () => {
  it('monitor mode: alerts and leaves the grant in place', async () => {
    const step = onlyStep((await playScenario(harness(), contractorGrantMonitor)).steps)
    try {
      const finding = requireFinding(step.trace, 'SUPPORT_ACCESS_GRANTED')
      expect(finding).toMatchObject({
        severity: 'medium',
        mode: 'monitor',
        principalArn: harness().account.contractor.userArn,
        remediation: { automatic: false },
        withheld: 'SUPPORT_ACCESS_GRANTED is not in enforceRules',
      })
      // Nothing is marked for revert, so the remediate rule never fires.
      expect(step.trace.invocations.map((invocation) => invocation.functionId)).toEqual([
        'DetectFunction',
        'NotifyFunction',
      ])
      expect(step.trace.remediations).toEqual([])
      await expect(readUserPolicyArns(harness().iam, 'contractor-temp')).resolves.toEqual([
        SUPPORT_ACCESS_ARN,
      ])
      expect(listNotificationKeys(step.trace)).toEqual(['SUPPORT_ACCESS_GRANTED medium open'])
      expect(step.trace.notifications[0]?.message).toContain('mode: monitor')
    } finally {
      await contractorGrantMonitor.cleanup?.(harness())
    }
  })

  it('enforce mode: leaves an ordinary grant alone (the rule is not in enforceRules) and says why', async () => {
    const step = onlyStep((await playScenario(harness(), contractorGrantEnforce)).steps)
    try {
      const finding = requireFinding(step.trace, 'SUPPORT_ACCESS_GRANTED')
      expect(finding).toMatchObject({ mode: 'enforce', remediation: { automatic: false } })
      expect(step.trace.remediations).toEqual([])
      await expect(readUserPolicyArns(harness().iam, 'contractor-temp')).resolves.toEqual([
        SUPPORT_ACCESS_ARN,
      ])
      expect(listNotificationKeys(step.trace)).toEqual(['SUPPORT_ACCESS_GRANTED medium open'])
      expect(step.trace.notifications[0]?.message).toContain(
        'Nothing written: enforce mode leaves this finding alone (SUPPORT_ACCESS_GRANTED is not in enforceRules).',
      )
    } finally {
      await contractorGrantEnforce.cleanup?.(harness())
    }
  })
})

describe('a grant on a principal the config does not protect', () => {
  it('enforce mode: leaves AdministratorAccess on role ci-deployer attached and says why', async () => {
    const { roleName, roleArn } = harness().account.ciDeployer
    await expect(readRoleState(harness().iam, roleName)).resolves.toMatchObject({ attached: [] })

    const step = onlyStep((await playScenario(harness(), ciDeployerAdminGrant)).steps)
    try {
      const finding = requireFinding(step.trace, 'SUPPORT_ACCESS_GRANTED')
      expect(step.trace.findings).toHaveLength(1)
      expect(finding).toMatchObject({
        principalArn: roleArn,
        mode: 'enforce',
        remediation: { automatic: false },
        withheld: 'SUPPORT_ACCESS_GRANTED is not in enforceRules',
        // A revert exists; enforce mode withholds it.
        plan: {
          steps: [
            {
              action: 'detach-policy',
              principalType: 'role',
              principalName: roleName,
              policyArn: ADMINISTRATOR_ACCESS_ARN,
            },
          ],
        },
      })
      // Not marked for revert, so the remediate rule never fires.
      expect(step.trace.invocations.map((invocation) => invocation.functionId)).toEqual([
        'DetectFunction',
        'NotifyFunction',
      ])
      expect(step.trace.remediations).toEqual([])
      expect(listIamWrites(step.trace)).toEqual([])
      await expect(readRoleState(harness().iam, roleName)).resolves.toMatchObject({
        attached: [ADMINISTRATOR_ACCESS_ARN],
      })
      expect(listNotificationKeys(step.trace)).toEqual(['SUPPORT_ACCESS_GRANTED medium open'])
      expect(step.trace.notifications[0]?.message).toContain(
        'Nothing written: enforce mode leaves this finding alone (SUPPORT_ACCESS_GRANTED is not in enforceRules).',
      )
    } finally {
      await ciDeployerAdminGrant.cleanup?.(harness())
    }
    await expect(readRoleState(harness().iam, roleName)).resolves.toMatchObject({ attached: [] })
  })
})

describe('the scheduled audit', () => {
  it('finds drift no event reported and restores the baseline through remediate', async () => {
    const step = onlyStep((await playScenario(harness(), scheduledAuditDrift)).steps)

    expect(step.trace.invocations[0]).toMatchObject({
      functionId: 'AuditFunction',
      trigger: 'schedule',
      result: { accountId: '123456789012' },
    })
    const lost = requireFinding(step.trace, 'SUPPORT_ACCESS_LOST')
    expect(lost).toMatchObject({
      principalArn: harness().account.roles.supportTeam,
      mode: 'enforce',
      remediation: { automatic: true },
      plan: {
        steps: [{ action: 'attach-policy', principalName: 'SupportTeam', policyArn: SUPPORT_ACCESS_ARN }],
      },
    })
    expect(lost.change).toBeUndefined()
    expect(findRemediation(step.trace, lost.id)?.outcome).toBe('reverted')
    expect((await readRoleState(harness().iam, 'SupportTeam'))?.attached).toEqual([SUPPORT_ACCESS_ARN])

    const keys = listNotificationKeys(step.trace)
    expect(keys).toContain('SUPPORT_ACCESS_LOST high open')
    expect(keys).toContain('SUPPORT_ACCESS_LOST high reverted')
    // The audit reports every finding of the account, one message each.
    expect(step.trace.notifications).toHaveLength(step.trace.findings.length + step.trace.remediations.length)
  })
})
