import type { ChangeSummary } from '#shared/pipeline/bus-events.ts'
import { isManagedPolicyArn } from '#shared/policy/arn.ts'

/**
 * IAM is a global service: CloudTrail delivers its events (and so the documents they carry) to
 * US East (N. Virginia) in the commercial partition, whatever region the caller used.
 */
const IAM_EVENTS_REGION = 'us-east-1'

/** How a notification names the guard's baseline table: its name is an output of the stack. */
const BASELINE_TABLE = '<BaselineTableName output of the guard stack>'

/** The CLI command that prints one CloudTrail event, the request and its documents included. */
export function lookupEventCommand(eventId: string): string {
  return `aws cloudtrail lookup-events --region ${IAM_EVENTS_REGION} --lookup-attributes AttributeKey=EventId,AttributeValue=${eventId}`
}

/** The CLI command that prints the guard's baseline of a protected principal (key as the baseline store writes it). */
export function readBaselineCommand(accountId: string, principalArn: string): string {
  const key = JSON.stringify({ pk: { S: `ACCOUNT#${accountId}` }, sk: { S: `BASELINE#${principalArn}` } })
  return `aws dynamodb get-item --table-name ${BASELINE_TABLE} --key '${key}' --query Item.baseline`
}

/** The CLI command that prints an inline policy of a role, user or group as IAM holds it now. */
export function readInlinePolicyCommand(
  principalType: string,
  principalName: string,
  policyName: string,
): string {
  return `aws iam get-${principalType}-policy --${principalType}-name ${principalName} --policy-name ${policyName}`
}

/** The CLI command that prints the trust policy of a role as IAM holds it now. */
export function readTrustPolicyCommand(roleName: string): string {
  return `aws iam get-role --role-name ${roleName} --query Role.AssumeRolePolicyDocument`
}

/** The CLI command that prints one version of a managed policy. */
export function readPolicyVersionCommand(policyArn: string, versionId: string): string {
  return `aws iam get-policy-version --policy-arn ${policyArn} --version-id ${versionId}`
}

const INLINE_PUT = /^Put(Role|User|Group)Policy$/

/**
 * The CLI command that prints, as IAM holds it now, the element whose document `change` sent:
 * the inline policy, the role's trust policy or the managed policy version. Undefined for a call
 * that carries no document or names too little to find it.
 */
export function readChangedElementCommand(change: ChangeSummary): string | undefined {
  const parameters = change.parameters
  const text = (key: string) => {
    const value = parameters[key]
    return typeof value === 'string' && value !== '' ? value : undefined
  }
  const inline = INLINE_PUT.exec(change.eventName)
  if (inline?.[1] !== undefined) {
    const principalType = inline[1].toLowerCase()
    const principalName = text(`${principalType}Name`)
    const policyName = text('policyName')
    return principalName && policyName
      ? readInlinePolicyCommand(principalType, principalName, policyName)
      : undefined
  }
  const roleName = text('roleName')
  if (change.eventName === 'UpdateAssumeRolePolicy' || change.eventName === 'CreateRole')
    return roleName && readTrustPolicyCommand(roleName)
  const policyArn = text('policyArn')
  if (change.eventName === 'CreatePolicyVersion' && policyArn) {
    const versionId = text('versionId')
    return versionId
      ? readPolicyVersionCommand(policyArn, versionId)
      : `aws iam list-policy-versions --policy-arn ${policyArn}, then ${readPolicyVersionCommand(policyArn, '<the new version>')}`
  }
  if (change.eventName === 'CreatePolicy') {
    const created = change.targets.find(isManagedPolicyArn)
    // A new managed policy's only version is v1.
    return created && readPolicyVersionCommand(created, 'v1')
  }
  return undefined
}
