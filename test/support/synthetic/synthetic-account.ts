import { AccountBuilder } from './account-builder.ts'
import { buildFixedRoles, buildRoles } from './account-roles.ts'
import { type AccountShape, IAM_LIMITS, resolveShape, scaleCount } from './account-shape.ts'
import type {
  PolicyDocumentJson,
  RawAttachedPolicy,
  RawAuthorizationDetails,
  RawSlackChannel,
  RawUser,
} from './account-types.ts'
import { AWS_MANAGED, awsManagedArn } from './aws-documents.ts'
import {
  BOUNDARY_DOCUMENTS,
  buildDocument,
  MANAGED_TEMPLATES,
  pickManagedTemplate,
} from './policy-templates.ts'
import { createRandom } from './prng.ts'

export type { AccountShape, NamedShape } from './account-shape.ts'
export { DEFAULT_SHAPE, findShape, resolveShape, SHAPE_MATRIX } from './account-shape.ts'
export type { RawAuthorizationDetails } from './account-types.ts'

/** The seed the benchmark uses unless told otherwise. */
export const DEFAULT_SEED = 20_240_601

export interface SyntheticAccountOptions {
  readonly seed: number
  /** Users plus roles, service-linked and Support App roles included. */
  readonly principals: number
  readonly accountId?: string
  /** What kind of account: fields left out take today's values (DEFAULT_SHAPE). */
  readonly shape?: Partial<AccountShape>
  /** Overrides `shape.encodedShare`. */
  readonly encodedShare?: number
  /** Overrides `shape.roleShare`. */
  readonly roleShare?: number
}

function buildCustomerPolicies(builder: AccountBuilder, count: number): void {
  const { random } = builder
  for (const template of MANAGED_TEMPLATES) builder.byPrefix.set(template.prefix, [])
  for (let index = 0; index < count; index++) {
    // The first policies cover every family, so each exists even in a small account.
    const template = MANAGED_TEMPLATES[index] ?? pickManagedTemplate(random)
    const current = builder.decorate(template.build(random, builder.accountId))
    const older: PolicyDocumentJson[] = []
    if (random.chance(0.2)) {
      older.push(
        random.chance(0.3)
          ? buildDocument({ Effect: 'Allow', Action: 'support:*', Resource: '*' })
          : builder.decorate(template.build(random, builder.accountId)),
      )
    }
    // A rolled-back policy: the default is an older version, the newest is not in force.
    const rolledBack = older.length > 0 && random.chance(0.3)
    const documents = rolledBack ? [older[0] as PolicyDocumentJson, current] : [current, ...older]
    const path = random.chance(0.7) ? '/' : '/teams/'
    const policy = builder.managedPolicy(`${template.prefix}-${index}`, path, documents, rolledBack ? 1 : 0)
    builder.customer.push(policy)
    builder.byPrefix.get(template.prefix)?.push(policy)
  }
  for (const [name, document] of Object.entries(BOUNDARY_DOCUMENTS)) {
    builder.boundaries.push(builder.managedPolicy(name, '/boundaries/', [document]))
  }
}

function buildGroups(builder: AccountBuilder, teams: number): void {
  const fixed: [string, RawAttachedPolicy[], number][] = [
    ['Admins', [builder.aws('AdministratorAccess')], 0],
    ['Developers', [builder.fromFamily('power-user-copy'), builder.fromFamily('deny-support-write')], 0],
    ['SupportEngineers', [builder.aws('AWSSupportAccess')], 1],
    ['ReadOnly', [builder.fromFamily('read-only-copy')], 0],
    ['Contractors', [builder.fromFamily('contractor')], 0],
    ['Billing', [], 1],
  ]
  for (let index = 0; index < teams; index++) {
    const attached = [builder.fromFamily('app')]
    if (builder.random.chance(0.4)) attached.push(builder.fromFamily('support-describe'))
    fixed.push([`team-${index}`, attached, builder.random.chance(0.5) ? 1 : 0])
  }
  for (const [name, attached, inlineCount] of fixed) {
    const path = name.startsWith('team-') ? '/teams/' : '/'
    builder.groups.push({
      Path: path,
      GroupName: name,
      GroupId: builder.id('AGPA'),
      Arn: builder.arn('group', path, name),
      CreateDate: builder.date(),
      GroupPolicyList: builder.inline(inlineCount, IAM_LIMITS.groupInlineChars),
      AttachedManagedPolicies: attached,
    })
  }
}

function buildUsers(builder: AccountBuilder, count: number): RawUser[] {
  const { random } = builder
  const users: RawUser[] = []
  const groupNames = builder.groups.map((group) => group.GroupName)
  const groupFactor = builder.model.groupFactor
  for (let index = 0; index < count; index++) {
    const memberships = random.chance(0.8) ? random.int(1, 3) : 0
    const groups = new Set<string>()
    if (groupFactor === 1) {
      for (let left = memberships; left > 0; left--) {
        groups.add(groupNames[random.skewedIndex(groupNames.length, 1.6)] as string)
      }
    } else {
      // Distinct groups up to the scaled count, within IAM's quota.
      const wanted = Math.min(
        IAM_LIMITS.groupsPerUser,
        groupNames.length,
        scaleCount(random, memberships, groupFactor),
      )
      for (let tries = 0; groups.size < wanted && tries < wanted * 8; tries++) {
        groups.add(groupNames[random.skewedIndex(groupNames.length, 1.6)] as string)
      }
    }
    const drawn: RawAttachedPolicy[] = []
    if (random.chance(0.4)) {
      for (let left = random.int(1, 2); left > 0; left--) {
        drawn.push(builder.fromFamily(pickManagedTemplate(random).prefix))
      }
    }
    if (random.chance(0.05)) drawn.push(builder.aws('AWSSupportAccess'))
    const attached = builder.scaleAttached(drawn)
    const path = random.chance(0.8) ? '/' : '/people/'
    const name = `user-${index}`
    users.push({
      Path: path,
      UserName: name,
      UserId: builder.id('AIDA'),
      Arn: builder.arn('user', path, name),
      CreateDate: builder.date(),
      UserPolicyList: builder.inline(
        builder.inlineCount(random.chance(0.5) ? random.int(1, 2) : 0),
        IAM_LIMITS.userInlineChars,
      ),
      GroupList: [...groups],
      AttachedManagedPolicies: attached,
      ...(builder.bounded(0.2) ? builder.boundary() : {}),
      Tags: builder.tags(),
    })
  }
  return users
}

/** IAM attaches a policy to an entity once: a repeated draw of the same policy is dropped. */
function dropRepeatedAttachments(details: RawAuthorizationDetails): void {
  for (const holder of [...details.UserDetailList, ...details.GroupDetailList, ...details.RoleDetailList]) {
    const arns = new Set(holder.AttachedManagedPolicies.map((ref) => ref.PolicyArn))
    if (arns.size === holder.AttachedManagedPolicies.length) continue
    const seen = new Set<string>()
    holder.AttachedManagedPolicies = holder.AttachedManagedPolicies.filter((ref) => {
      if (seen.has(ref.PolicyArn)) return false
      seen.add(ref.PolicyArn)
      return true
    })
  }
}

function countAttachments(details: RawAuthorizationDetails): void {
  const byArn = new Map(details.Policies.map((policy) => [policy.Arn, policy]))
  for (const holder of [...details.UserDetailList, ...details.GroupDetailList, ...details.RoleDetailList]) {
    for (const ref of holder.AttachedManagedPolicies) {
      const policy = byArn.get(ref.PolicyArn)
      if (policy) policy.AttachmentCount++
    }
    const boundary = 'PermissionsBoundary' in holder ? holder.PermissionsBoundary : undefined
    const policy = boundary ? byArn.get(boundary.PermissionsBoundaryArn) : undefined
    if (policy) policy.PermissionsBoundaryUsageCount++
  }
}

/**
 * A realistic `get-account-authorization-details` export with exactly `principals` users and
 * roles, of the given shape (default: today's, about 70% roles), generated from `seed` alone:
 * the same options give the same output.
 */
export function generateAccount(options: SyntheticAccountOptions): RawAuthorizationDetails {
  const accountId = options.accountId ?? '111122223333'
  const shape = resolveShape({
    ...options.shape,
    ...(options.roleShare === undefined ? {} : { roleShare: options.roleShare }),
    ...(options.encodedShare === undefined ? {} : { encodedShare: options.encodedShare }),
  })
  const builder = new AccountBuilder(createRandom(options.seed), accountId, shape)
  const total = Math.max(0, Math.floor(options.principals))
  const customerPolicies = Math.round(total / shape.principalsPerCustomerPolicy)
  buildCustomerPolicies(builder, Math.max(MANAGED_TEMPLATES.length, customerPolicies))
  buildGroups(builder, Math.round(total / shape.principalsPerGroup))
  const channels: RawSlackChannel[] = []
  const fixed = total >= 10 ? buildFixedRoles(builder, 2 + Math.floor(total / 4000), channels) : []
  const roleCount = Math.max(fixed.length, Math.round(total * shape.roleShare))
  const roles = [...fixed, ...buildRoles(builder, Math.min(total, roleCount) - fixed.length)]
  const users = buildUsers(builder, total - roles.length)
  const awsPolicies = AWS_MANAGED.map((policy) => ({
    ...builder.managedPolicy(policy.name, policy.path, [policy.document]),
    Arn: awsManagedArn(policy),
    DefaultVersionId: policy.defaultVersionId,
    PolicyVersionList: [
      {
        Document: builder.encode(policy.document),
        VersionId: policy.defaultVersionId,
        IsDefaultVersion: true,
        CreateDate: builder.date(),
      },
    ],
  }))
  const details: RawAuthorizationDetails = {
    AccountId: accountId,
    UserDetailList: users,
    GroupDetailList: builder.groups,
    RoleDetailList: roles,
    Policies: [...builder.customer, ...builder.boundaries, ...awsPolicies],
    SupportAppSlackChannelConfigurations: channels,
  }
  dropRepeatedAttachments(details)
  countAttachments(details)
  return details
}
