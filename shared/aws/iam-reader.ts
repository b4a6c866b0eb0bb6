import {
  type AttachedPolicy,
  GetGroupCommand,
  GetGroupPolicyCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  GetUserCommand,
  GetUserPolicyCommand,
  type IAMClient,
  paginateListAttachedGroupPolicies,
  paginateListAttachedRolePolicies,
  paginateListAttachedUserPolicies,
  paginateListGroupPolicies,
  paginateListGroupsForUser,
  paginateListPolicyVersions,
  paginateListRolePolicies,
  paginateListUserPolicies,
} from '@aws-sdk/client-iam'
import { isAwsManagedPolicyArn, nameOfArn } from '#shared/policy/arn.ts'
import type {
  AttachedPolicyRef,
  GroupRecord,
  InlinePolicy,
  ManagedPolicyRecord,
  RoleRecord,
  UserRecord,
} from '#shared/snapshot/types.ts'
import {
  attempt,
  collectPages,
  decodeIamDocument,
  optionalBoundary,
  optionalTags,
  type PolicyVersionSummary,
  requireField,
  toPolicyRef,
  toVersionSummary,
} from './iam-read-support.ts'

export { IamReadError, type PolicyVersionSummary } from './iam-read-support.ts'

export interface PolicyVersionDocument {
  readonly arn: string
  readonly versionId: string
  readonly document: unknown
}

type PolicyHolderKind = 'role' | 'user' | 'group'

interface CachedDocument {
  readonly document: unknown
  /** PolicyId of the customer managed policy the version belongs to (changes when a policy is re-created). */
  readonly policyId?: string
}

interface HolderPolicies {
  readonly attached: readonly AttachedPolicyRef[]
  readonly inline: readonly InlinePolicy[]
}

type Pager = { readonly client: IAMClient }

/** The per-kind IAM operations behind one shape of read (roles, users and groups differ only in names). */
interface HolderApi {
  readonly listAttachedOperation: string
  readonly listAttached: (
    pager: Pager,
    name: string,
  ) => AsyncIterable<{ AttachedPolicies?: AttachedPolicy[] | undefined }>
  readonly listInlineOperation: string
  readonly listInline: (pager: Pager, name: string) => AsyncIterable<{ PolicyNames?: string[] | undefined }>
  readonly getInlineOperation: string
  /** The answer of the Get*Policy call: its document may be absent from an odd answer. */
  readonly getInline: (
    iam: IAMClient,
    name: string,
    policyName: string,
  ) => Promise<{ readonly PolicyDocument?: string | undefined }>
}

const HOLDER_API: Readonly<Record<PolicyHolderKind, HolderApi>> = {
  role: {
    listAttachedOperation: 'ListAttachedRolePolicies',
    listAttached: (pager, name) => paginateListAttachedRolePolicies(pager, { RoleName: name }),
    listInlineOperation: 'ListRolePolicies',
    listInline: (pager, name) => paginateListRolePolicies(pager, { RoleName: name }),
    getInlineOperation: 'GetRolePolicy',
    getInline: (iam, name, policyName) =>
      iam.send(new GetRolePolicyCommand({ RoleName: name, PolicyName: policyName })),
  },
  user: {
    listAttachedOperation: 'ListAttachedUserPolicies',
    listAttached: (pager, name) => paginateListAttachedUserPolicies(pager, { UserName: name }),
    listInlineOperation: 'ListUserPolicies',
    listInline: (pager, name) => paginateListUserPolicies(pager, { UserName: name }),
    getInlineOperation: 'GetUserPolicy',
    getInline: (iam, name, policyName) =>
      iam.send(new GetUserPolicyCommand({ UserName: name, PolicyName: policyName })),
  },
  group: {
    listAttachedOperation: 'ListAttachedGroupPolicies',
    listAttached: (pager, name) => paginateListAttachedGroupPolicies(pager, { GroupName: name }),
    listInlineOperation: 'ListGroupPolicies',
    listInline: (pager, name) => paginateListGroupPolicies(pager, { GroupName: name }),
    getInlineOperation: 'GetGroupPolicy',
    getInline: (iam, name, policyName) =>
      iam.send(new GetGroupPolicyCommand({ GroupName: name, PolicyName: policyName })),
  },
}

/**
 * Reads the IAM state one change touches. Missing entities are `undefined`, not errors.
 * Managed policy documents are cached per instance (keep one reader per warm Lambda): AWS
 * managed versions never change, and a customer version is immutable once created, so a
 * cached customer document is reused only while the policy keeps the same PolicyId.
 */
export class IamReader {
  readonly #iam: IAMClient
  readonly #documents = new Map<string, CachedDocument>()
  readonly #awsManaged = new Map<string, { record: ManagedPolicyRecord; expires: number }>()
  readonly #awsManagedTtlMs: number
  readonly #now: () => number

  /**
   * AWS managed policies change only when AWS publishes a new default version, so their
   * GetPolicy answer is reused for `awsManagedTtlMs` (15 minutes) across warm invocations;
   * customer managed policies are always asked, since any event may change their default.
   */
  constructor(iam: IAMClient, options: { awsManagedTtlMs?: number; now?: () => number } = {}) {
    this.#iam = iam
    this.#awsManagedTtlMs = options.awsManagedTtlMs ?? 15 * 60 * 1000
    this.#now = options.now ?? Date.now
  }

  async readRole(name: string): Promise<RoleRecord | undefined> {
    const entity = `role ${name}`
    const response = await attempt('GetRole', entity, () =>
      this.#iam.send(new GetRoleCommand({ RoleName: name })),
    )
    const role = response?.Role
    if (role === undefined) return undefined
    const policies = await this.#readPolicies('role', name)
    if (policies === undefined) return undefined
    return {
      kind: 'role',
      arn: requireField(role.Arn, 'Arn', 'GetRole', entity),
      name: role.RoleName ?? name,
      path: role.Path ?? '/',
      ...(role.RoleId === undefined ? {} : { id: role.RoleId }),
      ...policies,
      ...optionalBoundary(role.PermissionsBoundary?.PermissionsBoundaryArn),
      ...optionalTags(role.Tags),
      trustPolicy: decodeIamDocument(role.AssumeRolePolicyDocument),
    }
  }

  async readUser(name: string): Promise<UserRecord | undefined> {
    const entity = `user ${name}`
    const response = await attempt('GetUser', entity, () =>
      this.#iam.send(new GetUserCommand({ UserName: name })),
    )
    const user = response?.User
    if (user === undefined) return undefined
    const [policies, groups] = await Promise.all([
      this.#readPolicies('user', name),
      collectPages(
        'ListGroupsForUser',
        entity,
        () => paginateListGroupsForUser({ client: this.#iam }, { UserName: name }),
        (page) => page.Groups?.flatMap((group) => (group.GroupName === undefined ? [] : [group.GroupName])),
      ),
    ])
    if (policies === undefined || groups === undefined) return undefined
    return {
      kind: 'user',
      arn: requireField(user.Arn, 'Arn', 'GetUser', entity),
      name: user.UserName ?? name,
      path: user.Path ?? '/',
      ...(user.UserId === undefined ? {} : { id: user.UserId }),
      ...policies,
      ...optionalBoundary(user.PermissionsBoundary?.PermissionsBoundaryArn),
      ...optionalTags(user.Tags),
      groups,
    }
  }

  async readGroup(name: string): Promise<GroupRecord | undefined> {
    const entity = `group ${name}`
    // GetGroup also pages through members; one is enough since only the group itself is needed.
    const response = await attempt('GetGroup', entity, () =>
      this.#iam.send(new GetGroupCommand({ GroupName: name, MaxItems: 1 })),
    )
    const group = response?.Group
    return group === undefined ? undefined : this.readGroupPolicies(name, group)
  }

  /** The group's policies, for a group whose GetGroup answer the caller already has. */
  async readGroupPolicies(
    name: string,
    group: { Arn?: string | undefined; GroupName?: string | undefined; Path?: string | undefined },
  ): Promise<GroupRecord | undefined> {
    const policies = await this.#readPolicies('group', name)
    if (policies === undefined) return undefined
    return {
      arn: requireField(group.Arn, 'Arn', 'GetGroup', `group ${name}`),
      name: group.GroupName ?? name,
      path: group.Path ?? '/',
      ...policies,
    }
  }

  /** The policy with its default version's document; `versions` holds only that default version. */
  async readManagedPolicy(arn: string): Promise<ManagedPolicyRecord | undefined> {
    const awsManaged = isAwsManagedPolicyArn(arn)
    const cached = awsManaged ? this.#awsManaged.get(arn) : undefined
    if (cached && cached.expires > this.#now()) return cached.record
    const record = await this.#fetchManagedPolicy(arn)
    if (record && awsManaged)
      this.#awsManaged.set(arn, { record, expires: this.#now() + this.#awsManagedTtlMs })
    return record
  }

  async #fetchManagedPolicy(arn: string): Promise<ManagedPolicyRecord | undefined> {
    const response = await attempt('GetPolicy', arn, () =>
      this.#iam.send(new GetPolicyCommand({ PolicyArn: arn })),
    )
    const policy = response?.Policy
    if (policy === undefined) return undefined
    const versionId = requireField(policy.DefaultVersionId, 'DefaultVersionId', 'GetPolicy', arn)
    const version = await this.#readVersionDocument(arn, versionId, policy.PolicyId)
    if (version === undefined) return undefined
    return {
      arn: policy.Arn ?? arn,
      name: policy.PolicyName ?? nameOfArn(arn),
      path: policy.Path ?? '/',
      defaultVersionId: versionId,
      document: version.document,
      versions: [{ versionId, isDefault: true, document: version.document }],
    }
  }

  async listPolicyVersions(arn: string): Promise<readonly PolicyVersionSummary[] | undefined> {
    return collectPages(
      'ListPolicyVersions',
      arn,
      () => paginateListPolicyVersions({ client: this.#iam }, { PolicyArn: arn }),
      (page) => page.Versions?.flatMap(toVersionSummary),
    )
  }

  async readPolicyVersion(arn: string, versionId: string): Promise<PolicyVersionDocument | undefined> {
    const version = await this.#readVersionDocument(arn, versionId, undefined)
    return version === undefined ? undefined : { arn, versionId, document: version.document }
  }

  async #readVersionDocument(
    arn: string,
    versionId: string,
    policyId: string | undefined,
  ): Promise<CachedDocument | undefined> {
    const key = `${arn}#${versionId}`
    const awsManaged = isAwsManagedPolicyArn(arn)
    const cacheable = awsManaged || policyId !== undefined
    const cached = this.#documents.get(key)
    if (cached !== undefined && (awsManaged || (policyId !== undefined && cached.policyId === policyId))) {
      return cached
    }
    const response = await attempt('GetPolicyVersion', `${arn} version ${versionId}`, () =>
      this.#iam.send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: versionId })),
    )
    const version = response?.PolicyVersion
    if (version === undefined) return undefined
    const entry: CachedDocument = {
      document: decodeIamDocument(version.Document),
      ...(policyId === undefined ? {} : { policyId }),
    }
    if (cacheable) this.#documents.set(key, entry)
    return entry
  }

  /** `undefined` when the holder disappeared between the Get and the List calls. */
  async #readPolicies(kind: PolicyHolderKind, name: string): Promise<HolderPolicies | undefined> {
    const [attached, inline] = await Promise.all([
      this.#readAttached(kind, name),
      this.#readInline(kind, name),
    ])
    return attached === undefined || inline === undefined ? undefined : { attached, inline }
  }

  async #readAttached(kind: PolicyHolderKind, name: string): Promise<AttachedPolicyRef[] | undefined> {
    const api = HOLDER_API[kind]
    return collectPages(
      api.listAttachedOperation,
      `${kind} ${name}`,
      () => api.listAttached({ client: this.#iam }, name),
      (page) => page.AttachedPolicies?.flatMap(toPolicyRef),
    )
  }

  async #readInline(kind: PolicyHolderKind, name: string): Promise<InlinePolicy[] | undefined> {
    const api = HOLDER_API[kind]
    const names = await collectPages(
      api.listInlineOperation,
      `${kind} ${name}`,
      () => api.listInline({ client: this.#iam }, name),
      (page) => page.PolicyNames,
    )
    if (names === undefined) return undefined
    const documents = await Promise.all(
      names.map((policyName) =>
        attempt(api.getInlineOperation, `${kind} ${name} inline policy ${policyName}`, () =>
          api.getInline(this.#iam, name, policyName),
        ),
      ),
    )
    // A policy deleted between the list and the get is simply no longer there. One that is there
    // without a readable document is kept, as an export keeps it: the evaluator names it and
    // evaluates it as granting nothing.
    return names.flatMap((policyName, index) => {
      const response = documents[index]
      return response === undefined
        ? []
        : [{ name: policyName, document: decodeIamDocument(response.PolicyDocument) }]
    })
  }
}
