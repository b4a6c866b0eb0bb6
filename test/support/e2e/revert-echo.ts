import type { RemediationStep } from '#shared/pipeline/remediation-steps.ts'
import { buildCloudTrailEvent, type CloudTrailEvent, type CloudTrailIdentity } from './cloudtrail-event.ts'

const ENTITY = { role: 'Role', user: 'User', group: 'Group' } as const
const NAME_KEY = { role: 'roleName', user: 'userName', group: 'groupName' } as const

/**
 * The CloudTrail event AWS emits for a write the remediate function made: every revert is an
 * IAM call, and it comes back to detect through the same rule as any other change.
 */
export function buildRevertEcho(step: RemediationStep, identity: CloudTrailIdentity): CloudTrailEvent {
  const { eventName, requestParameters } = describeCall(step)
  return buildCloudTrailEvent({
    eventName,
    identity,
    requestParameters,
    userAgent: 'aws-sdk-js/3 ua/2.1 os/linux lang/js',
  })
}

function describeCall(step: RemediationStep): {
  eventName: string
  requestParameters: Record<string, unknown>
} {
  switch (step.action) {
    case 'attach-policy':
    case 'detach-policy':
      return {
        eventName: `${step.action === 'attach-policy' ? 'Attach' : 'Detach'}${ENTITY[step.principalType]}Policy`,
        requestParameters: { [NAME_KEY[step.principalType]]: step.principalName, policyArn: step.policyArn },
      }
    case 'put-inline-policy':
      return {
        eventName: `Put${ENTITY[step.principalType]}Policy`,
        requestParameters: {
          [NAME_KEY[step.principalType]]: step.principalName,
          policyName: step.policyName,
          policyDocument: JSON.stringify(step.document),
        },
      }
    case 'delete-inline-policy':
      return {
        eventName: `Delete${ENTITY[step.principalType]}Policy`,
        requestParameters: {
          [NAME_KEY[step.principalType]]: step.principalName,
          policyName: step.policyName,
        },
      }
    case 'set-default-policy-version':
      return {
        eventName: 'SetDefaultPolicyVersion',
        requestParameters: { policyArn: step.policyArn, versionId: step.versionId },
      }
    case 'update-trust-policy':
      return {
        eventName: 'UpdateAssumeRolePolicy',
        requestParameters: { roleName: step.roleName, policyDocument: JSON.stringify(step.document) },
      }
    case 'put-permissions-boundary':
      return {
        eventName: `Put${ENTITY[step.principalType]}PermissionsBoundary`,
        requestParameters: {
          [NAME_KEY[step.principalType]]: step.principalName,
          permissionsBoundary: step.policyArn,
        },
      }
    case 'delete-permissions-boundary':
      return {
        eventName: `Delete${ENTITY[step.principalType]}PermissionsBoundary`,
        requestParameters: { [NAME_KEY[step.principalType]]: step.principalName },
      }
    case 'add-user-to-group':
    case 'remove-user-from-group':
      return {
        eventName: step.action === 'add-user-to-group' ? 'AddUserToGroup' : 'RemoveUserFromGroup',
        requestParameters: { groupName: step.groupName, userName: step.userName },
      }
    case 'create-service-linked-role':
      // CloudTrail records this parameter as `aWSServiceName`.
      return {
        eventName: 'CreateServiceLinkedRole',
        requestParameters: { aWSServiceName: step.awsServiceName },
      }
  }
}
