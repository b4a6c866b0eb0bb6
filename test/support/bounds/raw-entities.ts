/**
 * Entities of a `get-account-authorization-details` export, built one at a time for the
 * resource-bounds accounts (the synthetic generator builds whole realistic accounts instead).
 */
import type {
  PolicyDocumentJson,
  RawAttachedPolicy,
  RawAuthorizationDetails,
  RawGroup,
  RawInlinePolicy,
  RawManagedPolicy,
  RawRole,
  RawUser,
} from '../synthetic/account-types.ts'

/** The account every bounds case uses. */
export const BOUNDS_ACCOUNT = '111122223333'

/** A fixed creation date: exports are compared across runs. */
const CREATED = '2024-01-15T09:30:00Z'

export const SUPPORT_ACCESS_ARN = 'arn:aws:iam::aws:policy/AWSSupportAccess'

/** What `AWSSupportAccess` allows. */
const SUPPORT_ACCESS_DOCUMENT: PolicyDocumentJson = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: ['support:*'], Resource: '*' }],
}

const arn = (type: string, name: string) => `arn:aws:iam::${BOUNDS_ACCOUNT}:${type}/${name}`

/** A unique-looking IAM ID, derived from the name so exports stay the same across runs. */
function idOf(prefix: string, name: string): string {
  let hash = 0
  for (const char of name) hash = (hash * 31 + char.charCodeAt(0)) >>> 0
  return `${prefix}${hash.toString(36).toUpperCase().padStart(17, '0')}`
}

export function customerPolicyArn(name: string): string {
  return arn('policy', name)
}

/** A managed policy with its versions, the last one (or `defaultIndex`) the default. */
export function rawManagedPolicy(
  policyArn: string,
  documents: readonly PolicyDocumentJson[],
  defaultIndex = documents.length - 1,
): RawManagedPolicy {
  const name = policyArn.split('/').pop() ?? policyArn
  return {
    PolicyName: name,
    PolicyId: idOf('ANPA', name),
    Arn: policyArn,
    Path: '/',
    DefaultVersionId: `v${defaultIndex + 1}`,
    AttachmentCount: 0,
    PermissionsBoundaryUsageCount: 0,
    IsAttachable: true,
    CreateDate: CREATED,
    UpdateDate: CREATED,
    PolicyVersionList: documents.map((document, index) => ({
      Document: encodeURIComponent(JSON.stringify(document)),
      VersionId: `v${index + 1}`,
      IsDefaultVersion: index === defaultIndex,
      CreateDate: CREATED,
    })),
  }
}

/** `AWSSupportAccess`, as an export lists it once something holds it. */
export function rawSupportAccessPolicy(): RawManagedPolicy {
  return rawManagedPolicy(SUPPORT_ACCESS_ARN, [SUPPORT_ACCESS_DOCUMENT])
}

export function attachment(policyArn: string): RawAttachedPolicy {
  return { PolicyName: policyArn.split('/').pop() ?? policyArn, PolicyArn: policyArn }
}

export function inlinePolicy(name: string, document: PolicyDocumentJson): RawInlinePolicy {
  return { PolicyName: name, PolicyDocument: encodeURIComponent(JSON.stringify(document)) }
}

export function rawRole(
  name: string,
  trust: PolicyDocumentJson,
  inline: readonly RawInlinePolicy[],
  attached: readonly RawAttachedPolicy[],
): RawRole {
  return {
    Path: '/',
    RoleName: name,
    RoleId: idOf('AROA', name),
    Arn: arn('role', name),
    CreateDate: CREATED,
    AssumeRolePolicyDocument: encodeURIComponent(JSON.stringify(trust)),
    RolePolicyList: [...inline],
    AttachedManagedPolicies: [...attached],
    Tags: [],
  }
}

export function rawUser(name: string, groups: readonly string[]): RawUser {
  return {
    Path: '/',
    UserName: name,
    UserId: idOf('AIDA', name),
    Arn: arn('user', name),
    CreateDate: CREATED,
    UserPolicyList: [],
    GroupList: [...groups],
    AttachedManagedPolicies: [],
    Tags: [],
  }
}

export function rawGroup(name: string, attached: readonly RawAttachedPolicy[]): RawGroup {
  return {
    Path: '/',
    GroupName: name,
    GroupId: idOf('AGPA', name),
    Arn: arn('group', name),
    CreateDate: CREATED,
    GroupPolicyList: [],
    AttachedManagedPolicies: [...attached],
  }
}

/** A trust policy letting the account's own principals (through IAM permissions) assume the role. */
export function accountTrust(): PolicyDocumentJson {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${BOUNDS_ACCOUNT}:root` },
        Action: 'sts:AssumeRole',
      },
    ],
  }
}

/** A whole export from its lists; attachment counts filled in as IAM reports them. */
export function rawExport(parts: {
  readonly users?: readonly RawUser[]
  readonly groups?: readonly RawGroup[]
  readonly roles?: readonly RawRole[]
  readonly policies: readonly RawManagedPolicy[]
}): RawAuthorizationDetails {
  const policies = parts.policies.map((policy) => ({ ...policy }))
  const byArn = new Map(policies.map((policy) => [policy.Arn, policy]))
  for (const holder of [...(parts.users ?? []), ...(parts.groups ?? []), ...(parts.roles ?? [])]) {
    for (const ref of holder.AttachedManagedPolicies) {
      const policy = byArn.get(ref.PolicyArn)
      if (policy) policy.AttachmentCount++
    }
  }
  return {
    AccountId: BOUNDS_ACCOUNT,
    UserDetailList: [...(parts.users ?? [])],
    GroupDetailList: [...(parts.groups ?? [])],
    RoleDetailList: [...(parts.roles ?? [])],
    Policies: policies,
    SupportAppSlackChannelConfigurations: [],
  }
}
