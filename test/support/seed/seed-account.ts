import {
  AddUserToGroupCommand,
  AttachGroupPolicyCommand,
  AttachRolePolicyCommand,
  CreateGroupCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  CreateServiceLinkedRoleCommand,
  CreateUserCommand,
  GetGroupCommand,
  GetRoleCommand,
  GetUserCommand,
  type IAMClient,
  ListRolesCommand,
} from '@aws-sdk/client-iam'

export interface SeedOptions {
  /** Account the trust policies name; the emulator's default account unless given. */
  readonly accountId?: string
}

export interface DemoAccountSummary {
  readonly accountId: string
  readonly roles: {
    readonly supportTeam: string
    readonly supportApp: string
    readonly admin: string
    readonly supportServiceLinked: string
    readonly serviceQuotasServiceLinked: string
  }
  readonly users: { readonly devOne: string; readonly devTwo: string; readonly opsAdmin: string }
  readonly groups: { readonly developers: string; readonly admins: string }
  readonly policies: { readonly supportReadonly: string }
}

/** The IAM call the seed could not make; names the entity. */
export class SeedError extends Error {
  override readonly name = 'SeedError'
}

const DEFAULT_ACCOUNT_ID = '123456789012'
const AWS_POLICY = 'arn:aws:iam::aws:policy/'
const VERSION = '2012-10-17'

/**
 * Creates the demo account: a support team role, a Support App role, an admin role, two
 * developers with read-only support access through a customer managed policy, an admin user,
 * and the Support and Service Quotas service-linked roles. Entities that already exist are
 * reused, so a second call on the same account returns the same summary.
 */
export async function seedDemoAccount(
  clients: { readonly iam: IAMClient },
  opts: SeedOptions = {},
): Promise<DemoAccountSummary> {
  const { iam } = clients
  const accountId = opts.accountId ?? DEFAULT_ACCOUNT_ID
  const accountTrust = trustPolicy({ AWS: `arn:aws:iam::${accountId}:root` })

  const supportTeam = await ensureRole(iam, 'SupportTeam', accountTrust)
  await attachToRole(iam, 'SupportTeam', `${AWS_POLICY}AWSSupportAccess`)
  const supportApp = await ensureRole(
    iam,
    'AWSSupportAppRole',
    trustPolicy({ Service: 'supportapp.amazonaws.com' }),
  )
  await attachToRole(iam, 'AWSSupportAppRole', `${AWS_POLICY}AWSSupportAppFullAccess`)
  const admin = await ensureRole(iam, 'Admin', accountTrust)
  await attachToRole(iam, 'Admin', `${AWS_POLICY}AdministratorAccess`)

  const supportReadonly = await ensurePolicy(iam, accountId, 'support-readonly', {
    Version: VERSION,
    Statement: [{ Effect: 'Allow', Action: 'support:Describe*', Resource: '*' }],
  })
  const developers = await ensureGroup(iam, 'Developers')
  await attachToGroup(iam, 'Developers', supportReadonly)
  const admins = await ensureGroup(iam, 'Admins')
  await attachToGroup(iam, 'Admins', `${AWS_POLICY}AdministratorAccess`)

  const devOne = await ensureUser(iam, 'dev-one', 'Developers')
  const devTwo = await ensureUser(iam, 'dev-two', 'Developers')
  const opsAdmin = await ensureUser(iam, 'ops-admin', 'Admins')

  return {
    accountId,
    roles: {
      supportTeam,
      supportApp,
      admin,
      supportServiceLinked: await ensureServiceLinkedRole(iam, 'support.amazonaws.com'),
      serviceQuotasServiceLinked: await ensureServiceLinkedRole(iam, 'servicequotas.amazonaws.com'),
    },
    users: { devOne, devTwo, opsAdmin },
    groups: { developers, admins },
    policies: { supportReadonly },
  }
}

function trustPolicy(principal: Readonly<Record<string, string>>): string {
  return JSON.stringify({
    Version: VERSION,
    Statement: [{ Effect: 'Allow', Principal: principal, Action: 'sts:AssumeRole' }],
  })
}

async function ensureRole(iam: IAMClient, name: string, trust: string): Promise<string> {
  return createOrReuse(
    `role ${name}`,
    async () =>
      (await iam.send(new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: trust }))).Role?.Arn,
    async () => (await iam.send(new GetRoleCommand({ RoleName: name }))).Role?.Arn,
  )
}

async function ensureGroup(iam: IAMClient, name: string): Promise<string> {
  return createOrReuse(
    `group ${name}`,
    async () => (await iam.send(new CreateGroupCommand({ GroupName: name }))).Group?.Arn,
    async () => (await iam.send(new GetGroupCommand({ GroupName: name, MaxItems: 1 }))).Group?.Arn,
  )
}

async function ensureUser(iam: IAMClient, name: string, groupName: string): Promise<string> {
  const arn = await createOrReuse(
    `user ${name}`,
    async () => (await iam.send(new CreateUserCommand({ UserName: name }))).User?.Arn,
    async () => (await iam.send(new GetUserCommand({ UserName: name }))).User?.Arn,
  )
  // AddUserToGroup succeeds when the user is already a member.
  await call(`user ${name} into group ${groupName}`, () =>
    iam.send(new AddUserToGroupCommand({ GroupName: groupName, UserName: name })),
  )
  return arn
}

async function ensurePolicy(
  iam: IAMClient,
  accountId: string,
  name: string,
  document: object,
): Promise<string> {
  return createOrReuse(
    `policy ${name}`,
    async () =>
      (
        await iam.send(
          new CreatePolicyCommand({ PolicyName: name, PolicyDocument: JSON.stringify(document) }),
        )
      ).Policy?.Arn,
    async () => `arn:aws:iam::${accountId}:policy/${name}`,
  )
}

/**
 * AWS names service-linked roles itself (AWSServiceRoleForSupport on AWS; emulators may differ)
 * but always under the path /aws-service-role/SERVICE/, so an existing one is found by path.
 */
export async function ensureServiceLinkedRole(iam: IAMClient, service: string): Promise<string> {
  const entity = `service-linked role for ${service}`
  const findExisting = async (): Promise<string | undefined> => {
    const response = await iam.send(new ListRolesCommand({ PathPrefix: `/aws-service-role/${service}/` }))
    return response.Roles?.[0]?.Arn
  }
  const existing = await call(entity, findExisting)
  if (existing !== undefined) return existing
  const created = await call(entity, () =>
    iam.send(new CreateServiceLinkedRoleCommand({ AWSServiceName: service })),
  )
  return required(created.Role?.Arn, entity)
}

async function attachToRole(iam: IAMClient, roleName: string, policyArn: string): Promise<void> {
  // Attaching a policy that is already attached is a no-op in IAM.
  await call(`role ${roleName} attach ${policyArn}`, () =>
    iam.send(new AttachRolePolicyCommand({ RoleName: roleName, PolicyArn: policyArn })),
  )
}

async function attachToGroup(iam: IAMClient, groupName: string, policyArn: string): Promise<void> {
  await call(`group ${groupName} attach ${policyArn}`, () =>
    iam.send(new AttachGroupPolicyCommand({ GroupName: groupName, PolicyArn: policyArn })),
  )
}

async function createOrReuse(
  entity: string,
  create: () => Promise<string | undefined>,
  fetchExisting: () => Promise<string | undefined>,
): Promise<string> {
  try {
    return required(await create(), entity)
  } catch (error) {
    if (!(error instanceof Error && error.name === 'EntityAlreadyExistsException')) {
      throw error instanceof SeedError ? error : seedError(entity, error)
    }
  }
  return required(await call(entity, fetchExisting), entity)
}

async function call<T>(entity: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run()
  } catch (error) {
    throw seedError(entity, error)
  }
}

function seedError(entity: string, cause: unknown): SeedError {
  const detail = cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause)
  return new SeedError(`could not seed ${entity}: ${detail}`, { cause })
}

function required(arn: string | undefined, entity: string): string {
  if (arn === undefined) throw new SeedError(`IAM returned no ARN for ${entity}`)
  return arn
}
