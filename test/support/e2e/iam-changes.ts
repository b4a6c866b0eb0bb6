import {
  AttachRolePolicyCommand,
  AttachUserPolicyCommand,
  CreatePolicyVersionCommand,
  DeleteRolePermissionsBoundaryCommand,
  DeleteServiceLinkedRoleCommand,
  DetachRolePolicyCommand,
  type IAMClient,
  PutRolePermissionsBoundaryCommand,
  PutRolePolicyCommand,
  UpdateAssumeRolePolicyCommand,
} from '@aws-sdk/client-iam'
import { buildCloudTrailEvent, type CloudTrailEvent, type CloudTrailIdentity } from './cloudtrail-event.ts'

/**
 * Each function makes one IAM call against the emulator and returns the CloudTrail event AWS
 * would emit for it, with CloudTrail's camel-cased request parameters.
 */

export async function detachRolePolicy(
  iam: IAMClient,
  identity: CloudTrailIdentity,
  roleName: string,
  policyArn: string,
): Promise<CloudTrailEvent> {
  await iam.send(new DetachRolePolicyCommand({ RoleName: roleName, PolicyArn: policyArn }))
  return buildCloudTrailEvent({
    eventName: 'DetachRolePolicy',
    identity,
    requestParameters: { roleName, policyArn },
  })
}

export async function attachRolePolicy(
  iam: IAMClient,
  identity: CloudTrailIdentity,
  roleName: string,
  policyArn: string,
): Promise<CloudTrailEvent> {
  await iam.send(new AttachRolePolicyCommand({ RoleName: roleName, PolicyArn: policyArn }))
  return buildCloudTrailEvent({
    eventName: 'AttachRolePolicy',
    identity,
    requestParameters: { roleName, policyArn },
  })
}

export async function attachUserPolicy(
  iam: IAMClient,
  identity: CloudTrailIdentity,
  userName: string,
  policyArn: string,
): Promise<CloudTrailEvent> {
  await iam.send(new AttachUserPolicyCommand({ UserName: userName, PolicyArn: policyArn }))
  return buildCloudTrailEvent({
    eventName: 'AttachUserPolicy',
    identity,
    requestParameters: { userName, policyArn },
  })
}

export async function putRolePolicy(
  iam: IAMClient,
  identity: CloudTrailIdentity,
  roleName: string,
  policyName: string,
  document: object,
): Promise<CloudTrailEvent> {
  const policyDocument = JSON.stringify(document, null, 4)
  await iam.send(
    new PutRolePolicyCommand({ RoleName: roleName, PolicyName: policyName, PolicyDocument: policyDocument }),
  )
  return buildCloudTrailEvent({
    eventName: 'PutRolePolicy',
    identity,
    requestParameters: { roleName, policyName, policyDocument },
  })
}

export async function putRolePermissionsBoundary(
  iam: IAMClient,
  identity: CloudTrailIdentity,
  roleName: string,
  permissionsBoundary: string,
): Promise<CloudTrailEvent> {
  await iam.send(
    new PutRolePermissionsBoundaryCommand({ RoleName: roleName, PermissionsBoundary: permissionsBoundary }),
  )
  return buildCloudTrailEvent({
    eventName: 'PutRolePermissionsBoundary',
    identity,
    requestParameters: { roleName, permissionsBoundary },
  })
}

export async function deleteRolePermissionsBoundary(
  iam: IAMClient,
  identity: CloudTrailIdentity,
  roleName: string,
): Promise<CloudTrailEvent> {
  await iam.send(new DeleteRolePermissionsBoundaryCommand({ RoleName: roleName }))
  return buildCloudTrailEvent({
    eventName: 'DeleteRolePermissionsBoundary',
    identity,
    requestParameters: { roleName },
  })
}

/** The new version's ID comes from the emulator's response, as CloudTrail records it. */
export async function createPolicyVersion(
  iam: IAMClient,
  identity: CloudTrailIdentity,
  policyArn: string,
  document: object,
  setAsDefault: boolean,
): Promise<CloudTrailEvent> {
  const policyDocument = JSON.stringify(document, null, 4)
  const response = await iam.send(
    new CreatePolicyVersionCommand({
      PolicyArn: policyArn,
      PolicyDocument: policyDocument,
      SetAsDefault: setAsDefault,
    }),
  )
  const version = response.PolicyVersion
  return buildCloudTrailEvent({
    eventName: 'CreatePolicyVersion',
    identity,
    requestParameters: { policyArn, policyDocument, setAsDefault },
    responseElements: {
      policyVersion: {
        versionId: version?.VersionId,
        isDefaultVersion: version?.IsDefaultVersion,
        createDate: formatResponseDate(version?.CreateDate ?? new Date()),
      },
    },
  })
}

export async function updateAssumeRolePolicy(
  iam: IAMClient,
  identity: CloudTrailIdentity,
  roleName: string,
  document: object,
): Promise<CloudTrailEvent> {
  const policyDocument = JSON.stringify(document, null, 4)
  await iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: roleName, PolicyDocument: policyDocument }))
  return buildCloudTrailEvent({
    eventName: 'UpdateAssumeRolePolicy',
    identity,
    requestParameters: { roleName, policyDocument },
  })
}

export async function deleteServiceLinkedRole(
  iam: IAMClient,
  identity: CloudTrailIdentity,
  roleName: string,
): Promise<CloudTrailEvent> {
  const response = await iam.send(new DeleteServiceLinkedRoleCommand({ RoleName: roleName }))
  return buildCloudTrailEvent({
    eventName: 'DeleteServiceLinkedRole',
    identity,
    requestParameters: { roleName },
    responseElements: { deletionTaskId: response.DeletionTaskId },
  })
}

/**
 * The event of a DeleteServiceLinkedRole call IAM refused with UnmodifiableEntity. No call is
 * made: AWS refuses to delete AWSServiceRoleForSupport, the emulator would delete it.
 */
export function buildRefusedServiceLinkedRoleDeletion(
  identity: CloudTrailIdentity,
  roleName: string,
): CloudTrailEvent {
  return buildCloudTrailEvent({
    eventName: 'DeleteServiceLinkedRole',
    identity,
    requestParameters: { roleName },
    errorCode: 'UnmodifiableEntity',
    errorMessage: `Cannot perform the operation on the protected role '${roleName}' - this role is only modifiable by AWS`,
  })
}

const RESPONSE_DATE = new Intl.DateTimeFormat('en-US', {
  month: 'short',
  day: 'numeric',
  year: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
  second: '2-digit',
  hour12: true,
  timeZone: 'UTC',
})

/** CloudTrail writes IAM response dates as `Mar 5, 2025, 2:03:27 PM` (UTC). */
function formatResponseDate(date: Date): string {
  // Recent ICU versions put a narrow no-break space before AM/PM.
  return RESPONSE_DATE.format(date).replace(/\u202f/g, ' ')
}
