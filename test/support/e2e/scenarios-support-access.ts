import { DeleteRolePolicyCommand } from '@aws-sdk/client-iam'
import { identifyAssumedRole, identifyIamUser } from './cloudtrail-event.ts'
import { REMEDIATION_ROLE_ARN } from './guard-stack.ts'
import {
  createPolicyVersion,
  detachRolePolicy,
  putRolePermissionsBoundary,
  putRolePolicy,
} from './iam-changes.ts'
import { readRoleState } from './iam-state.ts'
import { buildRevertEcho } from './revert-echo.ts'
import type { Scenario } from './scenario.ts'
import { SUPPORT_ACCESS_ARN } from './seed-guard-account.ts'
import { buildSupportPermitCreation, type SupportPermitRequest, UNBOUNDED_PERMIT } from './support-permits.ts'

const opsAdmin = identifyIamUser('ops-admin')

/** Detaching AWSSupportAccess from the required SupportTeam role: re-attached. */
export const supportTeamDetach: Scenario = {
  id: 'support-team-detach',
  title: 'AWSSupportAccess detached from SupportTeam',
  mode: 'enforce',
  async run(harness) {
    const event = await detachRolePolicy(harness.iam, opsAdmin, 'SupportTeam', SUPPORT_ACCESS_ARN)
    return [
      {
        change: 'ops-admin detaches AWSSupportAccess from role SupportTeam',
        trace: await harness.deliverCloudTrailEvent(event),
      },
    ]
  },
}

/** The inline policy an attacker or a careless change adds to cut support access. */
export const DENY_SUPPORT_DOCUMENT = {
  Version: '2012-10-17',
  Statement: [{ Sid: 'NoSupportCases', Effect: 'Deny', Action: 'support:*', Resource: '*' }],
}

/** An inline Deny support:* on SupportTeam: the inline policy is deleted. */
export const supportTeamInlineDeny: Scenario = {
  id: 'support-team-inline-deny',
  title: 'Inline Deny support:* added to SupportTeam',
  mode: 'enforce',
  async run(harness) {
    const event = await putRolePolicy(
      harness.iam,
      opsAdmin,
      'SupportTeam',
      'DenySupport',
      DENY_SUPPORT_DOCUMENT,
    )
    return [
      {
        change: 'ops-admin puts inline policy DenySupport (Deny support:*) on role SupportTeam',
        trace: await harness.deliverCloudTrailEvent(event),
      },
    ]
  },
}

/** Denies the Support Center console actions, which the console needs since 2026, and nothing else. */
export const DENY_SUPPORT_CONSOLE_DOCUMENT = {
  Version: '2012-10-17',
  Statement: [{ Sid: 'NoSupportConsole', Effect: 'Deny', Action: 'support-console:*', Resource: '*' }],
}

export const DENY_SUPPORT_CONSOLE_POLICY = 'DenySupportConsole'

/**
 * An inline Deny support-console:* on SupportTeam: support:* still allowed, but the Support
 * Center console answers AccessDenied. AWSSupportAccess grants support-console:*, so this is a
 * loss the change caused, and the inline policy is deleted.
 */
export const supportConsoleCut: Scenario = {
  id: 'support-console-cut',
  title: 'Inline Deny support-console:* added to SupportTeam (Support Center console cut off)',
  mode: 'enforce',
  async run(harness) {
    const event = await putRolePolicy(
      harness.iam,
      opsAdmin,
      'SupportTeam',
      DENY_SUPPORT_CONSOLE_POLICY,
      DENY_SUPPORT_CONSOLE_DOCUMENT,
    )
    return [
      {
        change: `ops-admin puts inline policy ${DENY_SUPPORT_CONSOLE_POLICY} (Deny support-console:*) on role SupportTeam`,
        trace: await harness.deliverCloudTrailEvent(event),
      },
    ]
  },
  // The guard deletes the policy; this only matters when it did not.
  async cleanup(harness) {
    const role = await readRoleState(harness.iam, 'SupportTeam')
    if (!role?.inline.includes(DENY_SUPPORT_CONSOLE_POLICY)) return
    await harness.iam.send(
      new DeleteRolePolicyCommand({ RoleName: 'SupportTeam', PolicyName: DENY_SUPPORT_CONSOLE_POLICY }),
    )
  },
}

/** A permit for AWS Support operators on every action and resource of the Region, with no end. */
export const UNBOUNDED_PERMIT_REQUEST: SupportPermitRequest = {
  name: 'OutageInvestigation',
  description: 'Let AWS Support investigate the checkout outage',
  permit: UNBOUNDED_PERMIT,
  kmsKeyArn: 'arn:aws:kms:us-east-1:123456789012:key/7d3e9b41-2c6a-4f0e-9b1d-5a8c2e4f6b10',
  supportCaseDisplayId: '176512345601',
}

/**
 * ops-admin creates an unbounded support permit. The emulator has no AWS Support authorization,
 * so the CloudTrail event is built as AWS delivers it; the guard alerts and writes nothing (it
 * never writes permits), so IAM is untouched.
 */
export const unboundedSupportPermit: Scenario = {
  id: 'unbounded-support-permit',
  title: 'Unbounded support permit created (all actions, all resources, no end time): alert only',
  mode: 'enforce',
  async run(harness) {
    const request = UNBOUNDED_PERMIT_REQUEST
    const event = buildSupportPermitCreation(opsAdmin, request)
    return [
      {
        change:
          `ops-admin creates support permit ${request.name} for case ${request.supportCaseDisplayId}: all actions, ` +
          'all resources, no time window (CloudTrail event built directly: the emulator has no supportauthz)',
        trace: await harness.deliverCloudTrailEvent(event),
      },
    ]
  },
}

/** A new default version of SupportEscalationAccess that keeps Trusted Advisor and drops Support. */
export const TRUSTED_ADVISOR_ONLY_DOCUMENT = {
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'TrustedAdvisorOnly',
      Effect: 'Allow',
      Action: ['trustedadvisor:Describe*', 'trustedadvisor:Get*'],
      Resource: '*',
    },
  ],
}

/** A policy version dropping support actions on a protected role's policy: the prior default is restored. */
export const escalationPolicyVersion: Scenario = {
  id: 'escalation-policy-version',
  title: 'SupportEscalationAccess gets a default version without support actions',
  mode: 'enforce',
  async run(harness) {
    const event = await createPolicyVersion(
      harness.iam,
      opsAdmin,
      harness.account.escalation.policyArn,
      TRUSTED_ADVISOR_ONLY_DOCUMENT,
      true,
    )
    return [
      {
        change:
          'ops-admin sets a new default version of SupportEscalationAccess with Trusted Advisor actions only',
        trace: await harness.deliverCloudTrailEvent(event),
      },
    ]
  },
}

/** EventBridge delivers at least once: the same CloudTrail event twice gives one verdict. */
export const duplicateDelivery: Scenario = {
  id: 'duplicate-delivery',
  title: 'The same CloudTrail event delivered twice',
  mode: 'enforce',
  async run(harness) {
    const { roleName, policyArn } = harness.account.escalation
    const event = await detachRolePolicy(harness.iam, opsAdmin, roleName, policyArn)
    const first = await harness.deliverCloudTrailEvent(event)
    const second = await harness.deliverCloudTrailEvent(event)
    return [
      { change: 'ops-admin detaches SupportEscalationAccess from role SupportEscalation', trace: first },
      { change: 'EventBridge delivers the same event (same eventID) again', trace: second },
    ]
  },
}

/**
 * A boundary that cuts SupportTeam down to support:Describe* is removed; the CloudTrail event of
 * that removal, made by the remediation role, comes back to detect and is ignored.
 */
export const revertEcho: Scenario = {
  id: 'revert-echo',
  title: "The guard's own revert comes back through CloudTrail",
  mode: 'enforce',
  async run(harness) {
    const event = await putRolePermissionsBoundary(
      harness.iam,
      opsAdmin,
      'SupportTeam',
      harness.account.policies.supportReadonly,
    )
    const change = await harness.deliverCloudTrailEvent(event)
    const revert = change.remediations.find((remediation) => remediation.outcome === 'reverted')
    const step = revert?.steps[0]
    if (!step)
      return [
        { change: 'ops-admin sets permissions boundary support-readonly on role SupportTeam', trace: change },
      ]
    const echo = buildRevertEcho(step, identifyAssumedRole(REMEDIATION_ROLE_ARN, 'support-guard-remediate'))
    return [
      { change: 'ops-admin sets permissions boundary support-readonly on role SupportTeam', trace: change },
      {
        change: `CloudTrail reports the guard's revert (${String(echo.detail.eventName)} by the remediation role)`,
        trace: await harness.deliverCloudTrailEvent(echo),
      },
    ]
  },
}
