import {
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  type GetRoleCommandOutput,
  type IAMClient,
  ListAttachedRolePoliciesCommand,
  ListAttachedUserPoliciesCommand,
  ListRolePoliciesCommand,
} from '@aws-sdk/client-iam'

/**
 * Reads IAM with plain SDK calls, independent of the guard's own readers, so assertions do not
 * trust the code under test. Small accounts: no pagination.
 */

export interface RoleState {
  readonly attached: readonly string[]
  readonly inline: readonly string[]
  readonly trust: unknown
  readonly boundaryArn: string | undefined
}

/** Undefined when the role does not exist. */
export async function readRoleState(iam: IAMClient, roleName: string): Promise<RoleState | undefined> {
  let role: GetRoleCommandOutput
  try {
    role = await iam.send(new GetRoleCommand({ RoleName: roleName }))
  } catch (error) {
    if (error instanceof Error && error.name === 'NoSuchEntityException') return undefined
    throw error
  }
  const attached = await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: roleName }))
  const inline = await iam.send(new ListRolePoliciesCommand({ RoleName: roleName }))
  const trustText = role.Role?.AssumeRolePolicyDocument
  return {
    attached: (attached.AttachedPolicies ?? []).flatMap((policy) =>
      policy.PolicyArn ? [policy.PolicyArn] : [],
    ),
    inline: inline.PolicyNames ?? [],
    // IAM returns policy documents URL-encoded.
    trust: trustText === undefined ? undefined : JSON.parse(decodeURIComponent(trustText)),
    boundaryArn: role.Role?.PermissionsBoundary?.PermissionsBoundaryArn,
  }
}

export async function readUserPolicyArns(iam: IAMClient, userName: string): Promise<string[]> {
  const attached = await iam.send(new ListAttachedUserPoliciesCommand({ UserName: userName }))
  return (attached.AttachedPolicies ?? []).flatMap((policy) => (policy.PolicyArn ? [policy.PolicyArn] : []))
}

export async function readDefaultVersionId(iam: IAMClient, policyArn: string): Promise<string | undefined> {
  const policy = await iam.send(new GetPolicyCommand({ PolicyArn: policyArn }))
  return policy.Policy?.DefaultVersionId
}

/** The default version's document of a managed policy, as IAM returns it (URL-decoded). */
export async function readDefaultPolicyDocument(iam: IAMClient, policyArn: string): Promise<unknown> {
  const versionId = await readDefaultVersionId(iam, policyArn)
  const version = await iam.send(new GetPolicyVersionCommand({ PolicyArn: policyArn, VersionId: versionId }))
  const text = version.PolicyVersion?.Document
  return text === undefined ? undefined : JSON.parse(decodeURIComponent(text))
}
