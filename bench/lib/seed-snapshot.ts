import {
  AddUserToGroupCommand,
  AttachGroupPolicyCommand,
  AttachRolePolicyCommand,
  AttachUserPolicyCommand,
  CreateGroupCommand,
  CreatePolicyCommand,
  CreatePolicyVersionCommand,
  CreateRoleCommand,
  CreateUserCommand,
  DeletePolicyVersionCommand,
  type GetUserCommandOutput,
  type IAMClient,
  PutGroupPolicyCommand,
  PutRolePolicyCommand,
  PutUserPolicyCommand,
  SetDefaultPolicyVersionCommand,
  type Tag,
} from '@aws-sdk/client-iam'
import { decodePolicyDocument } from '#shared/policy/decode-document.ts'
import type {
  AccountSnapshot,
  GroupRecord,
  ManagedPolicyRecord,
  RoleRecord,
  UserRecord,
} from '#shared/snapshot/types.ts'
import { SeedError } from '#test-support/seed/seed-account.ts'

const AWS_MANAGED_PREFIX = 'arn:aws:iam::aws:policy/'
/** IAM keeps at most five versions of a managed policy. */
const MAX_POLICY_VERSIONS = 5

export function isAwsManaged(policyArn: string): boolean {
  return policyArn.startsWith(AWS_MANAGED_PREFIX)
}

/**
 * Creates an account snapshot in an empty IAM (the emulator): customer managed policies with
 * their versions, then groups, roles and users with their inline and attached policies,
 * boundaries, tags and group memberships. AWS managed policies are attached by ARN, so the
 * emulator must have them loaded. Users join only the groups in `existingGroups` (default: the
 * snapshot's). Entities of one phase are created concurrently; each entity's calls run in order.
 */
export async function seedSnapshot(
  iam: IAMClient,
  snapshot: AccountSnapshot,
  existingGroups: ReadonlySet<string> = new Set(snapshot.groups.map((group) => group.name)),
): Promise<void> {
  const customer = snapshot.policies.filter((policy) => !isAwsManaged(policy.arn))
  await Promise.all(customer.map((policy) => seedPolicy(iam, policy)))
  await Promise.all(snapshot.groups.map((group) => seedGroup(iam, group)))
  const groupNames = existingGroups
  await Promise.all([
    ...snapshot.roles.map((role) => seedRole(iam, role)),
    ...snapshot.users.map((user) => seedUser(iam, user, groupNames)),
  ])
}

async function seedGroup(iam: IAMClient, group: GroupRecord): Promise<void> {
  const GroupName = group.name
  await step(`group ${GroupName}`, () => iam.send(new CreateGroupCommand({ GroupName, Path: group.path })))
  for (const inline of group.inline) {
    const PolicyDocument = documentText(inline.document, `group ${GroupName} inline ${inline.name}`)
    await step(`group ${GroupName} inline ${inline.name}`, () =>
      iam.send(new PutGroupPolicyCommand({ GroupName, PolicyName: inline.name, PolicyDocument })),
    )
  }
  for (const ref of group.attached) {
    await step(`group ${GroupName} attach ${ref.arn}`, () =>
      iam.send(new AttachGroupPolicyCommand({ GroupName, PolicyArn: ref.arn })),
    )
  }
}

async function seedRole(iam: IAMClient, role: RoleRecord): Promise<void> {
  const RoleName = role.name
  await step(`role ${RoleName}`, () =>
    iam.send(
      new CreateRoleCommand({
        RoleName,
        Path: role.path,
        AssumeRolePolicyDocument: documentText(role.trustPolicy, `role ${RoleName} trust policy`),
        ...optionalBoundary(role.boundaryArn),
        ...optionalTags(role.tags),
      }),
    ),
  )
  for (const inline of role.inline) {
    const PolicyDocument = documentText(inline.document, `role ${RoleName} inline ${inline.name}`)
    await step(`role ${RoleName} inline ${inline.name}`, () =>
      iam.send(new PutRolePolicyCommand({ RoleName, PolicyName: inline.name, PolicyDocument })),
    )
  }
  for (const ref of role.attached) {
    await step(`role ${RoleName} attach ${ref.arn}`, () =>
      iam.send(new AttachRolePolicyCommand({ RoleName, PolicyArn: ref.arn })),
    )
  }
}

async function seedUser(iam: IAMClient, user: UserRecord, groupNames: ReadonlySet<string>): Promise<void> {
  const UserName = user.name
  await step(`user ${UserName}`, () =>
    iam.send(
      new CreateUserCommand({
        UserName,
        Path: user.path,
        ...optionalBoundary(user.boundaryArn),
        ...optionalTags(user.tags),
      }),
    ),
  )
  for (const inline of user.inline) {
    const PolicyDocument = documentText(inline.document, `user ${UserName} inline ${inline.name}`)
    await step(`user ${UserName} inline ${inline.name}`, () =>
      iam.send(new PutUserPolicyCommand({ UserName, PolicyName: inline.name, PolicyDocument })),
    )
  }
  for (const ref of user.attached) {
    await step(`user ${UserName} attach ${ref.arn}`, () =>
      iam.send(new AttachUserPolicyCommand({ UserName, PolicyArn: ref.arn })),
    )
  }
  for (const GroupName of user.groups.filter((name) => groupNames.has(name))) {
    await step(`user ${UserName} into group ${GroupName}`, () =>
      iam.send(new AddUserToGroupCommand({ GroupName, UserName })),
    )
  }
}

/**
 * IAM numbers versions v1, v2, … in creation order: every number up to the highest one of
 * the snapshot is created (gaps with the default document), the default is set, the gaps
 * are deleted again.
 */
async function seedPolicy(iam: IAMClient, policy: ManagedPolicyRecord): Promise<void> {
  const entity = `policy ${policy.arn}`
  const numbers = policy.versions.map((version) => versionNumber(version.versionId, entity))
  const highest = Math.max(1, ...numbers)
  if (highest > MAX_POLICY_VERSIONS) throw new SeedError(`${entity}: version v${highest} is beyond v5`)
  const documentOf = (n: number) =>
    documentText(
      policy.versions.find((version) => version.versionId === `v${n}`)?.document ?? policy.document,
      `${entity} v${n}`,
    )
  const created = await step(entity, () =>
    iam.send(
      new CreatePolicyCommand({ PolicyName: policy.name, Path: policy.path, PolicyDocument: documentOf(1) }),
    ),
  )
  const PolicyArn = created.Policy?.Arn
  if (PolicyArn !== policy.arn) throw new SeedError(`${entity}: IAM created ${PolicyArn ?? 'no ARN'}`)
  for (let n = 2; n <= highest; n++) {
    await step(`${entity} v${n}`, () =>
      iam.send(new CreatePolicyVersionCommand({ PolicyArn, PolicyDocument: documentOf(n) })),
    )
  }
  if (policy.defaultVersionId !== 'v1') {
    await step(`${entity} default ${policy.defaultVersionId}`, () =>
      iam.send(new SetDefaultPolicyVersionCommand({ PolicyArn, VersionId: policy.defaultVersionId })),
    )
  }
  for (let n = 1; n <= highest; n++) {
    if (numbers.includes(n)) continue
    await step(`${entity} drop v${n}`, () =>
      iam.send(new DeletePolicyVersionCommand({ PolicyArn, VersionId: `v${n}` })),
    )
  }
}

function versionNumber(versionId: string, entity: string): number {
  const match = /^v([1-9]\d*)$/.exec(versionId)
  if (match?.[1] === undefined) throw new SeedError(`${entity}: version ID ${versionId} is not vN`)
  return Number(match[1])
}

/** IAM takes documents as JSON text; the snapshot may hold objects or URL-encoded strings. */
export function documentText(document: unknown, entity: string): string {
  const decoded = decodePolicyDocument(document)
  if (!decoded.ok) throw new SeedError(`${entity}: ${decoded.message}`)
  return JSON.stringify(decoded.value)
}

function optionalBoundary(arn: string | undefined): { PermissionsBoundary?: string } {
  return arn === undefined ? {} : { PermissionsBoundary: arn }
}

function optionalTags(tags: Readonly<Record<string, string>> | undefined): { Tags?: Tag[] } {
  if (tags === undefined) return {}
  return { Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) }
}

export async function step<T>(entity: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run()
  } catch (error) {
    if (error instanceof SeedError) throw error
    const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error)
    throw new SeedError(`could not seed ${entity}: ${detail}`, { cause: error })
  }
}

const USER_BOUNDARY_MIDDLEWARE = 'benchUserBoundary'

/**
 * moto 5.2 keeps no permissions boundary for users (CreateUser drops PermissionsBoundary and
 * PutUserPermissionsBoundary answers HTTP 500), while roles keep theirs. This adds the boundary
 * the seeded state gives a user to GetUser answers, as IAM returns it, so the adapter goes on
 * to read the boundary policy as it would against IAM. Replaces the previous state's lookup.
 */
export function addUserBoundaries(iam: IAMClient, state: AccountSnapshot): void {
  const boundaries = new Map(
    state.users.flatMap((user) => (user.boundaryArn ? [[user.name.toLowerCase(), user.boundaryArn]] : [])),
  )
  iam.middlewareStack.remove(USER_BOUNDARY_MIDDLEWARE)
  iam.middlewareStack.add(
    (next, context) => async (args) => {
      const result = await next(args)
      const output: unknown = result.output
      if (context.commandName !== 'GetUserCommand' || !isGetUserOutput(output)) return result
      const user = output.User
      const arn = user?.UserName === undefined ? undefined : boundaries.get(user.UserName.toLowerCase())
      if (user !== undefined && arn !== undefined && user.PermissionsBoundary === undefined) {
        user.PermissionsBoundary = {
          PermissionsBoundaryType: 'PermissionsBoundaryPolicy',
          PermissionsBoundaryArn: arn,
        }
      }
      return result
    },
    { step: 'initialize', name: USER_BOUNDARY_MIDDLEWARE },
  )
}

function isGetUserOutput(output: unknown): output is GetUserCommandOutput {
  return typeof output === 'object' && output !== null && 'User' in output
}
