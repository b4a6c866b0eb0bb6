import type { RequestParameters } from './cloudtrail-record-schema.ts'
import { readParameters } from './read-parameters.ts'
import {
  buildRoleArn,
  buildServiceLinkedRoleArn,
  findServiceLinkedRoleByService,
} from '#shared/catalog/service-linked-roles.ts'
import type { ChangeEvent } from './types.ts'

export interface TargetInput {
  readonly eventName: string
  readonly accountId: string
  readonly request: RequestParameters | undefined
  readonly awsServiceName: string | undefined
  readonly response: ChangeEvent['response']
}

/**
 * ARNs of what a call touches, principals first (role, user, group), then the managed policies
 * it names (policy, permissions boundary), then a Support App channel's role, then what other
 * services' calls name: a support permit or an operator's permit request, a SAML or OIDC
 * provider, an Identity Center permission set and its instance. Built from the request and the
 * account; the response is preferred where it holds the exact ARN of a created entity, since
 * only it knows the entity's path (or a permit's generated ID).
 */
export function buildTargets(input: TargetInput): string[] {
  const { eventName, accountId, request, response } = input
  const parameters = readParameters(request)
  const targets = [
    findRoleTarget(input),
    request?.userName && `arn:aws:iam::${accountId}:user/${request.userName}`,
    request?.groupName && `arn:aws:iam::${accountId}:group/${request.groupName}`,
    eventName === 'CreatePolicy' ? findCreatedPolicyTarget(input) : request?.policyArn,
    request?.permissionsBoundary,
    request?.channelRoleArn,
    response.permitArn ?? readArnIdentifier(parameters.supportPermitIdentifier),
    parameters.permitRequestArn,
    response.providerArn ?? parameters.providerArn ?? buildProviderArn(accountId, parameters),
    response.permissionSetArn ?? parameters.permissionSetArn,
    parameters.instanceArn,
  ]
  return [
    ...new Set(targets.filter((target): target is string => typeof target === 'string' && target !== '')),
  ]
}

function findRoleTarget({ eventName, accountId, request, awsServiceName, response }: TargetInput) {
  switch (eventName) {
    case 'CreateRole':
      return (
        response.roleArn ??
        (request?.roleName && buildPathArn(accountId, 'role', request.path, request.roleName))
      )
    case 'CreateServiceLinkedRole': {
      const role = awsServiceName ? findServiceLinkedRoleByService(awsServiceName) : undefined
      return response.roleArn ?? (role && buildServiceLinkedRoleArn(accountId, role))
    }
    case 'GetServiceLinkedRoleDeletionStatus':
      return request?.deletionTaskId && readDeletionTaskRoleArn(accountId, request.deletionTaskId)
    default:
      return request?.roleName && buildRoleArn(accountId, request.roleName)
  }
}

function findCreatedPolicyTarget({ accountId, request, response }: TargetInput) {
  return (
    response.policyArn ??
    (request?.policyName && buildPathArn(accountId, 'policy', request.path, request.policyName))
  )
}

function buildPathArn(accountId: string, type: 'role' | 'policy', path: string | undefined, name: string) {
  const prefix = path?.startsWith('/') && path.endsWith('/') ? path : '/'
  return `arn:aws:iam::${accountId}:${type}${prefix}${name}`
}

/** Deletion task IDs look like `task/aws-service-role/<service>/<role name>/<uuid>`. */
const DELETION_TASK = /^task\/(aws-service-role\/[^/]+\/[^/]+)\/[^/]+$/

function readDeletionTaskRoleArn(accountId: string, deletionTaskId: string): string | undefined {
  const rolePath = DELETION_TASK.exec(deletionTaskId)?.[1]
  return rolePath && `arn:aws:iam::${accountId}:role/${rolePath}`
}

/** DeleteSupportPermit names the permit by ARN or by name; only an ARN is a target. */
function readArnIdentifier(identifier: string | undefined): string | undefined {
  return identifier?.startsWith('arn:') ? identifier : undefined
}

/**
 * A created provider's ARN when the response is missing: a SAML provider's ends in its name, an
 * OIDC provider's in its issuer URL without the scheme (IAM User Guide, OIDC identity providers).
 */
function buildProviderArn(
  accountId: string,
  parameters: { readonly providerName?: string; readonly providerUrl?: string },
): string | undefined {
  if (parameters.providerName) return `arn:aws:iam::${accountId}:saml-provider/${parameters.providerName}`
  const issuer = parameters.providerUrl?.replace(/^https:\/\//i, '')
  return issuer ? `arn:aws:iam::${accountId}:oidc-provider/${issuer}` : undefined
}
