import type { RequestParameters, ResponseElements } from './cloudtrail-record-schema.ts'
import { omitUndefined } from './omit-undefined.ts'
import type { ChangeEvent, ChangeParameters } from './types.ts'

/**
 * The request fields the guard acts on; absent or null fields stay absent. `policyDocument`
 * holds whichever document the call sends: inline, version, managed, or CreateRole's trust.
 */
export function readParameters(request: RequestParameters | undefined): ChangeParameters {
  if (!request) return {}
  return omitUndefined({
    roleName: request.roleName,
    userName: request.userName,
    groupName: request.groupName,
    policyArn: request.policyArn,
    policyName: request.policyName,
    policyDocument: request.policyDocument ?? request.assumeRolePolicyDocument ?? undefined,
    versionId: request.versionId,
    setAsDefault: request.setAsDefault ?? undefined,
    permissionsBoundary: request.permissionsBoundary,
    awsServiceName: readAwsServiceName(request),
    tagKeys: readTagKeys(request),
    channelRoleArn: request.channelRoleArn,
    teamId: request.teamId,
    channelId: request.channelId,
  })
}

/** CloudTrail records the CreateServiceLinkedRole parameter as `aWSServiceName`. */
export function readAwsServiceName(request: RequestParameters | undefined): string | undefined {
  return request?.aWSServiceName ?? request?.awsServiceName ?? request?.AWSServiceName
}

/** UntagRole sends `tagKeys`; TagRole sends `tags` as `{ key, value }` pairs. */
function readTagKeys(request: RequestParameters): string[] | undefined {
  if (request.tagKeys) return request.tagKeys
  const keys = request.tags?.map((tag) => tag.key ?? tag.Key).filter((key) => key !== undefined)
  return keys && keys.length > 0 ? keys : undefined
}

/** Response data the guard uses: new policy version, created role or policy ARN. */
export function readResponse(response: ResponseElements | undefined): ChangeEvent['response'] {
  return omitUndefined({
    versionId: response?.policyVersion?.versionId,
    roleArn: response?.role?.arn,
    policyArn: response?.policy?.arn,
  })
}
