import { buildNamedRoleArn, findServiceLinkedRoleByService } from '#shared/catalog/service-linked-roles.ts'
import {
  buildGroupArn,
  buildOidcProviderArn,
  buildPolicyArn,
  buildRoleArn,
  buildSamlProviderArn,
  buildServiceLinkedRoleArn,
  buildUserArn,
  parseArn,
  parseIamEntityArn,
} from '#shared/policy/arn.ts'
import type { RequestParameters } from './cloudtrail-record-schema.ts'
import type { ChangeEvent, ChangeParameters, ChangeSubject } from './types.ts'

export interface TargetInput {
  readonly eventName: string
  readonly accountId: string
  readonly request: RequestParameters | undefined
  /** The request as readParameters reads it. */
  readonly parameters: ChangeParameters
  readonly response: ChangeEvent['response']
}

/**
 * The users, roles and groups a call names, each once: its role, user and group by name, then
 * the role a Support App channel configuration names by ARN. A role's ARN is the created role's
 * exact one (CreateRole's response, else its request's path), the fixed one of a protected
 * service-linked role, else path-less: events carry names, not paths.
 */
export function findSubjects(input: TargetInput): ChangeSubject[] {
  const { eventName, accountId, parameters, request, response } = input
  const subjects: ChangeSubject[] = []
  const { roleName, userName, groupName, channelRoleArn } = parameters
  if (roleName) {
    const arn =
      eventName === 'CreateRole'
        ? (response.roleArn ??
          buildRoleArn(accountId, roleName, request?.path === undefined ? {} : { path: request.path }))
        : buildNamedRoleArn(accountId, roleName)
    subjects.push({ type: 'role', name: roleName, arn })
  }
  if (userName) subjects.push({ type: 'user', name: userName, arn: buildUserArn(accountId, userName) })
  if (groupName) subjects.push({ type: 'group', name: groupName, arn: buildGroupArn(accountId, groupName) })
  const channelRole = channelRoleArn ? parseIamEntityArn(channelRoleArn) : undefined
  if (channelRoleArn && channelRole?.type === 'role')
    subjects.push({ type: 'role', name: channelRole.name, arn: channelRoleArn })
  return subjects.filter(
    (subject, index) => subjects.findIndex((other) => other.arn === subject.arn) === index,
  )
}

/**
 * ARNs of what a call touches, principals first (role, user, group), then the managed policies
 * it names (policy, permissions boundary), then a Support App channel's role, then what other
 * services' calls name: a support permit or an operator's permit request, a SAML or OIDC
 * provider, an Identity Center permission set and its instance. Built from the request and the
 * account; the response is preferred where it holds the exact ARN of a created entity, since
 * only it knows the entity's path (or a permit's generated ID).
 */
export function buildTargets(input: TargetInput, subjects: readonly ChangeSubject[]): string[] {
  const { eventName, accountId, request, parameters, response } = input
  // The request's role, user and group; a channel's role comes after the policies.
  const named = subjects.filter((subject) => subject.arn !== parameters.channelRoleArn)
  const targets = [
    findRoleTarget(input),
    ...named.map((subject) => subject.arn),
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

/** The role of a service-linked role call, which names it by its service or deletion task, not by name. */
function findRoleTarget({ eventName, accountId, request, parameters, response }: TargetInput) {
  switch (eventName) {
    case 'CreateRole':
      return response.roleArn
    case 'CreateServiceLinkedRole': {
      const service = parameters.awsServiceName
      const role = service ? findServiceLinkedRoleByService(service) : undefined
      return response.roleArn ?? (role && buildServiceLinkedRoleArn(accountId, role))
    }
    case 'GetServiceLinkedRoleDeletionStatus':
      return request?.deletionTaskId && readDeletionTaskRoleArn(accountId, request.deletionTaskId)
    default:
      return undefined
  }
}

function findCreatedPolicyTarget({ accountId, request, response }: TargetInput) {
  return (
    response.policyArn ??
    (request?.policyName &&
      buildPolicyArn(accountId, request.policyName, request.path === undefined ? {} : { path: request.path }))
  )
}

/** Deletion task IDs look like `task/aws-service-role/<service>/<role name>/<uuid>`. */
const DELETION_TASK = /^task\/aws-service-role\/([^/]+)\/([^/]+)\/[^/]+$/

function readDeletionTaskRoleArn(accountId: string, deletionTaskId: string): string | undefined {
  const [, service, roleName] = DELETION_TASK.exec(deletionTaskId) ?? []
  return service && roleName ? buildServiceLinkedRoleArn(accountId, { service, roleName }) : undefined
}

/** DeleteSupportPermit names the permit by ARN or by name; only an ARN is a target. */
function readArnIdentifier(identifier: string | undefined): string | undefined {
  return identifier !== undefined && parseArn(identifier) !== undefined ? identifier : undefined
}

/** A created provider's ARN when the response is missing: a SAML provider's ends in its name, an OIDC provider's in its issuer. */
function buildProviderArn(
  accountId: string,
  parameters: { readonly providerName?: string; readonly providerUrl?: string },
): string | undefined {
  if (parameters.providerName) return buildSamlProviderArn(accountId, parameters.providerName)
  return parameters.providerUrl ? buildOidcProviderArn(accountId, parameters.providerUrl) : undefined
}
