import { buildRoleArn, buildServiceLinkedRoleArn, DEFAULT_PARTITION } from '#shared/policy/arn.ts'

/** A service-linked role the guard protects. */
export interface ProtectedServiceLinkedRole {
  readonly roleName: string
  /** Service principal named in CreateServiceLinkedRole's `AWSServiceName`. */
  readonly service: string
}

/**
 * Support's role cannot be deleted (AWS Support User Guide, "Using service-linked roles for
 * AWS Support"); Trusted Advisor has its own; the Support App needs Service Quotas' role to
 * request quota increases, and that one can be deleted and re-created.
 */
export const PROTECTED_SERVICE_LINKED_ROLES: readonly ProtectedServiceLinkedRole[] = [
  { roleName: 'AWSServiceRoleForSupport', service: 'support.amazonaws.com' },
  { roleName: 'AWSServiceRoleForTrustedAdvisor', service: 'trustedadvisor.amazonaws.com' },
  { roleName: 'AWSServiceRoleForServiceQuotas', service: 'servicequotas.amazonaws.com' },
]

/** IAM role names are unique regardless of case, so a differently cased name is the same role. */
export function findServiceLinkedRoleByName(roleName: string): ProtectedServiceLinkedRole | undefined {
  const wanted = roleName.toLowerCase()
  return PROTECTED_SERVICE_LINKED_ROLES.find((role) => role.roleName.toLowerCase() === wanted)
}

export function findServiceLinkedRoleByService(service: string): ProtectedServiceLinkedRole | undefined {
  const wanted = service.toLowerCase()
  return PROTECTED_SERVICE_LINKED_ROLES.find((role) => role.service === wanted)
}

/**
 * ARN of a role known by name only (events carry role names without their path): path-less,
 * except for the protected service-linked roles, whose path `/aws-service-role/<service>/` is fixed.
 */
export function buildNamedRoleArn(
  accountId: string,
  roleName: string,
  partition = DEFAULT_PARTITION,
): string {
  const serviceLinked = findServiceLinkedRoleByName(roleName)
  if (serviceLinked) return buildServiceLinkedRoleArn(accountId, serviceLinked, { partition })
  return buildRoleArn(accountId, roleName, { partition })
}
