import { identifyAssumedRole, identifyIamUser } from './cloudtrail-event.ts'
import {
  attachRolePolicy,
  buildRefusedServiceLinkedRoleDeletion,
  deleteServiceLinkedRole,
  updateAssumeRolePolicy,
} from './iam-changes.ts'
import type { Scenario } from './scenario.ts'
import { ADMINISTRATOR_ACCESS_ARN, SUPPORT_APP_TRUST } from './seed-guard-account.ts'

const opsAdmin = identifyIamUser('ops-admin')

/** The Support App role's trust widened to another account as well. */
export const WIDENED_SUPPORT_APP_TRUST = {
  Version: '2012-10-17',
  Statement: [
    ...SUPPORT_APP_TRUST.Statement,
    { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::210987654321:root' }, Action: 'sts:AssumeRole' },
  ],
}

/** The Support App role made assumable from another account: its documented trust is restored. */
export const supportAppTrust: Scenario = {
  id: 'support-app-trust',
  title: 'Support App role trust widened to another account',
  mode: 'enforce',
  async run(harness) {
    const event = await updateAssumeRolePolicy(
      harness.iam,
      opsAdmin,
      'AWSSupportAppRole',
      WIDENED_SUPPORT_APP_TRUST,
    )
    return [
      {
        change: 'ops-admin lets account 210987654321 assume AWSSupportAppRole too',
        trace: await harness.deliverCloudTrailEvent(event),
      },
    ]
  },
}

/** Every member of the Slack channel would act as administrator: the policy is detached. */
export const supportAppAdmin: Scenario = {
  id: 'support-app-admin',
  title: 'AdministratorAccess attached to the Support App role',
  mode: 'enforce',
  async run(harness) {
    const event = await attachRolePolicy(harness.iam, opsAdmin, 'AWSSupportAppRole', ADMINISTRATOR_ACCESS_ARN)
    return [
      {
        change: 'ops-admin attaches AdministratorAccess to AWSSupportAppRole',
        trace: await harness.deliverCloudTrailEvent(event),
      },
    ]
  },
}

/** IAM refuses to delete AWSServiceRoleForSupport; the attempt alone is a critical alert. */
export const supportSlrDeletionRefused: Scenario = {
  id: 'support-slr-deletion-refused',
  title: 'Refused attempt to delete AWSServiceRoleForSupport',
  mode: 'enforce',
  async run(harness) {
    const event = buildRefusedServiceLinkedRoleDeletion(
      identifyIamUser('contractor-temp'),
      'AWSServiceRoleForSupport',
    )
    return [
      {
        change:
          'contractor-temp tries DeleteServiceLinkedRole on AWSServiceRoleForSupport (IAM: UnmodifiableEntity)',
        trace: await harness.deliverCloudTrailEvent(event),
      },
    ]
  },
}

/** The Support App needs AWSServiceRoleForServiceQuotas; deleted, it is re-created. */
export const quotasSlrDeleted: Scenario = {
  id: 'quotas-slr-deleted',
  title: 'AWSServiceRoleForServiceQuotas deleted',
  mode: 'enforce',
  async run(harness) {
    const platformLead = identifyAssumedRole(
      'arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_AdministratorAccess_5f2c6a1d8e3b4c70',
      'platform-lead',
    )
    const event = await deleteServiceLinkedRole(harness.iam, platformLead, 'AWSServiceRoleForServiceQuotas')
    return [
      {
        change: 'platform-lead (SSO administrator) deletes AWSServiceRoleForServiceQuotas',
        trace: await harness.deliverCloudTrailEvent(event),
      },
    ]
  },
}
