import { buildCloudTrailEvent, type CloudTrailEvent, identifyAssumedRole } from '../e2e/cloudtrail-event.ts'
import { REMEDIATION_ROLE_ARN } from '../e2e/guard-stack.ts'
import type { GuardWrite } from './guard-writes.ts'

/** The session name Lambda gives the remediate function's role. */
const REMEDIATE_SESSION = 'support-guard-remediate'

/**
 * The CloudTrail event AWS emits for an IAM write the guard made, built from the request itself
 * (not from what the guard reported): the action is the event name and the form parameters,
 * camel-cased as CloudTrail writes them (`RoleName` → `roleName`, `AWSServiceName` →
 * `aWSServiceName`), the request parameters; the caller is the remediation role's session.
 */
export function echoGuardWrite(write: GuardWrite): CloudTrailEvent {
  const requestParameters = Object.fromEntries(
    Object.entries(write.params).map(([name, value]) => [lowerFirst(name), value]),
  )
  return buildCloudTrailEvent({
    eventName: write.action,
    identity: identifyAssumedRole(REMEDIATION_ROLE_ARN, REMEDIATE_SESSION),
    requestParameters,
    userAgent: 'aws-sdk-js/3 ua/2.1 os/linux lang/js',
  })
}

function lowerFirst(name: string): string {
  return `${name.charAt(0).toLowerCase()}${name.slice(1)}`
}
