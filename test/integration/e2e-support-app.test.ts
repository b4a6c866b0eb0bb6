import { describe, expect, it } from 'vitest'
import { readRoleState } from '#test-support/e2e/iam-state.ts'
import { playScenario } from '#test-support/e2e/scenario.ts'
import {
  quotasSlrDeleted,
  supportAppAdmin,
  supportAppTrust,
  supportSlrDeletionRefused,
} from '#test-support/e2e/scenarios-support-app.ts'
import {
  ADMINISTRATOR_ACCESS_ARN,
  SUPPORT_APP_FULL_ACCESS_ARN,
  SUPPORT_APP_TRUST,
} from '#test-support/e2e/seed-guard-account.ts'
import { findRemediation, listNotificationKeys, requireFinding } from '#test-support/e2e/trace-queries.ts'
import { onlyStep, useE2eHarness } from './use-e2e-harness.ts'

const harness = useE2eHarness('enforce')

describe('Support App role and service-linked roles, enforce mode, real bundles against the emulator', () => {
  it('restores the documented trust of the Support App role', async () => {
    const step = onlyStep((await playScenario(harness(), supportAppTrust)).steps)

    expect(requireFinding(step.trace, 'SUPPORT_APP_TRUST_INVALID')).toMatchObject({
      severity: 'high',
      plan: {
        steps: [
          { action: 'update-trust-policy', roleName: 'AWSSupportAppRole', document: SUPPORT_APP_TRUST },
        ],
      },
    })
    expect(step.trace.remediations).toMatchObject([{ outcome: 'reverted' }])
    expect((await readRoleState(harness().iam, 'AWSSupportAppRole'))?.trust).toEqual(SUPPORT_APP_TRUST)
    expect(listNotificationKeys(step.trace)).toEqual([
      'SUPPORT_APP_TRUST_INVALID high open',
      'SUPPORT_APP_TRUST_INVALID high reverted',
    ])
  })

  it('detaches AdministratorAccess from the Support App role and names the excess in the message', async () => {
    const step = onlyStep((await playScenario(harness(), supportAppAdmin)).steps)

    const excessive = requireFinding(step.trace, 'SUPPORT_APP_EXCESSIVE_PERMISSIONS')
    const unscoped = requireFinding(step.trace, 'SUPPORT_APP_UNSCOPED_SLR_CREATION')
    expect(findRemediation(step.trace, excessive.id)?.outcome).toBe('reverted')
    // One detach clears both: only the more severe finding carries it, the other says so.
    expect(unscoped.plan).toBeUndefined()
    expect(unscoped.remediation.steps[0]).toContain(excessive.id)
    expect(findRemediation(step.trace, unscoped.id)).toBeUndefined()
    expect((await readRoleState(harness().iam, 'AWSSupportAppRole'))?.attached).toEqual([
      SUPPORT_APP_FULL_ACCESS_ARN,
    ])

    expect(listNotificationKeys(step.trace)).toEqual([
      'SUPPORT_APP_EXCESSIVE_PERMISSIONS high open',
      'SUPPORT_APP_EXCESSIVE_PERMISSIONS high reverted',
      'SUPPORT_APP_UNSCOPED_SLR_CREATION high open',
    ])
    const alert = step.trace.notifications.find(
      (message) =>
        message.attributes.rule === 'SUPPORT_APP_EXCESSIVE_PERMISSIONS' &&
        message.attributes.outcome === 'open',
    )
    expect(alert?.subject).toMatch(/^\[HIGH\] SUPPORT_APP_EXCESSIVE_PERMISSIONS: /)
    expect(alert?.message).toContain('SUPPORT_APP_EXCESSIVE_PERMISSIONS')
    expect(alert?.message).toContain(ADMINISTRATOR_ACCESS_ARN)
  })

  it('raises a critical alert for a refused deletion of AWSServiceRoleForSupport and writes nothing', async () => {
    const baselinesBefore = await harness().listBaselines()

    const step = onlyStep((await playScenario(harness(), supportSlrDeletionRefused)).steps)

    const finding = requireFinding(step.trace, 'SLR_DELETION_ATTEMPT')
    expect(finding).toMatchObject({
      severity: 'critical',
      principalArn:
        'arn:aws:iam::123456789012:role/aws-service-role/support.amazonaws.com/AWSServiceRoleForSupport',
      change: { failed: true, errorCode: 'UnmodifiableEntity' },
      remediation: { automatic: false },
    })
    expect(step.trace.findings).toHaveLength(1)
    expect(step.trace.remediations).toEqual([])
    expect(step.trace.invocations.map((invocation) => invocation.functionId)).toEqual([
      'DetectFunction',
      'NotifyFunction',
    ])
    expect(await readRoleState(harness().iam, 'AWSServiceRoleForSupport')).toBeDefined()
    await expect(harness().listBaselines()).resolves.toEqual(baselinesBefore)
    expect(listNotificationKeys(step.trace)).toEqual(['SLR_DELETION_ATTEMPT critical open'])
    expect(step.trace.notifications[0]?.subject).toMatch(/^\[CRITICAL\] SLR_DELETION_ATTEMPT: /)
    expect(step.trace.notifications[0]?.message).toContain('UnmodifiableEntity')
  })

  it('re-creates AWSServiceRoleForServiceQuotas after it was deleted', async () => {
    const step = onlyStep((await playScenario(harness(), quotasSlrDeleted)).steps)

    const attempt = requireFinding(step.trace, 'SLR_DELETION_ATTEMPT')
    const missing = requireFinding(step.trace, 'SLR_MISSING')
    expect(attempt).toMatchObject({ severity: 'critical', change: { failed: false } })
    expect(findRemediation(step.trace, attempt.id)).toBeUndefined()
    expect(missing).toMatchObject({
      severity: 'medium',
      plan: {
        steps: [{ action: 'create-service-linked-role', awsServiceName: 'servicequotas.amazonaws.com' }],
      },
    })
    expect(findRemediation(step.trace, missing.id)?.outcome).toBe('reverted')
    const role = await readRoleState(harness().iam, 'AWSServiceRoleForServiceQuotas')
    expect(role?.trust).toMatchObject({
      Statement: [{ Principal: { Service: ['servicequotas.amazonaws.com'] } }],
    })
    expect(listNotificationKeys(step.trace)).toEqual([
      'SLR_DELETION_ATTEMPT critical open',
      'SLR_MISSING medium open',
      'SLR_MISSING medium reverted',
    ])
  })
})
