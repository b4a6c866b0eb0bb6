import type { ChangeEvent } from '#shared/events/types.ts'
import type {
  AccountSnapshot,
  GroupRecord,
  ManagedPolicyRecord,
  RoleRecord,
  SlackChannelConfiguration,
  UserRecord,
} from '#shared/snapshot/types.ts'
import type { AccountReader } from './ports.ts'

/** Kinds whose target is a managed policy: the principals holding it are what changed. */
const POLICY_KINDS = new Set([
  'CreatePolicyVersion',
  'SetDefaultPolicyVersion',
  'DeletePolicyVersion',
  'DeletePolicy',
])

export interface ReadOptions {
  /** Most principals read for one change (members of a group, holders of a policy). */
  readonly maxPrincipals: number
}

/**
 * Reads only the state a change touches: the principal it names, the members of a group
 * it names, the holders of a policy whose versions it changed, their groups, and every
 * managed policy they use. Returns it as a (partial) account snapshot.
 */
export async function readChangeState(
  change: ChangeEvent,
  reader: AccountReader,
  options: ReadOptions = { maxPrincipals: 25 },
): Promise<AccountSnapshot> {
  const p = change.parameters
  const targets: StateTargets = {
    roles: new Set(p.roleName ? [p.roleName] : []),
    users: new Set(p.userName ? [p.userName] : []),
    groups: new Set(p.groupName ? [p.groupName] : []),
    policies: new Set([p.policyArn, p.permissionsBoundary].filter((arn): arn is string => arn !== undefined)),
  }
  if (p.channelRoleArn) targets.roles.add(p.channelRoleArn.split('/').pop() ?? p.channelRoleArn)
  if (p.policyArn && POLICY_KINDS.has(change.eventName)) {
    const holders = await reader.listPolicyHolders(p.policyArn)
    for (const name of holders.roles) targets.roles.add(name)
    for (const name of holders.users) targets.users.add(name)
    for (const name of holders.groups) targets.groups.add(name)
  }
  const channels: SlackChannelConfiguration[] =
    p.channelRoleArn && change.eventName !== 'DeleteSlackChannelConfiguration'
      ? [
          {
            teamId: p.teamId ?? 'unknown',
            channelId: p.channelId ?? 'unknown',
            channelRoleArn: p.channelRoleArn,
          },
        ]
      : []
  return {
    ...(await readState(change.accountId, targets, reader, options)),
    slackChannelConfigurations: channels,
  }
}

/** Names of the entities to read, and managed policies to read besides those they use. */
export interface StateTargets {
  readonly roles: Set<string>
  readonly users: Set<string>
  readonly groups: Set<string>
  readonly policies: Set<string>
}

/**
 * Reads the named roles, users and groups, the members of those groups (a group's policies
 * reach them), the groups of those users, and every managed policy they all use.
 */
export async function readState(
  accountId: string,
  targets: StateTargets,
  reader: AccountReader,
  options: ReadOptions = { maxPrincipals: 25 },
): Promise<AccountSnapshot> {
  const userNames = new Set(targets.users)
  const groupNames = new Set(targets.groups)
  for (const group of targets.groups) {
    for (const member of await reader.listGroupMembers(group)) {
      if (userNames.size >= options.maxPrincipals) break
      userNames.add(member)
    }
  }
  const roles = await readAll([...targets.roles].slice(0, options.maxPrincipals), (name) =>
    reader.readRole(name),
  )
  const users = await readAll([...userNames].slice(0, options.maxPrincipals), (name) => reader.readUser(name))
  for (const user of users) for (const group of user.groups) groupNames.add(group)
  const groups = await readAll([...groupNames], (name) => reader.readGroup(name))
  const policyArns = new Set(targets.policies)
  for (const entity of [...roles, ...users, ...groups])
    for (const ref of entity.attached) policyArns.add(ref.arn)
  for (const principal of [...roles, ...users])
    if (principal.boundaryArn) policyArns.add(principal.boundaryArn)
  const policies = await readAll([...policyArns], (arn) => reader.readManagedPolicy(arn))
  return { accountId, users, groups, roles, policies, slackChannelConfigurations: [] }
}

/** Adds one version's document to a policy of the state (to plan a return to it). */
export function withPolicyVersion(
  state: AccountSnapshot,
  policyArn: string,
  versionId: string,
  document: unknown,
): AccountSnapshot {
  return {
    ...state,
    policies: state.policies.map((policy) =>
      policy.arn !== policyArn || policy.versions.some((version) => version.versionId === versionId)
        ? policy
        : { ...policy, versions: [...policy.versions, { versionId, isDefault: false, document }] },
    ),
  }
}

async function readAll<T extends RoleRecord | UserRecord | GroupRecord | ManagedPolicyRecord>(
  keys: readonly string[],
  read: (key: string) => Promise<T | undefined>,
): Promise<T[]> {
  const results: (T | undefined)[] = await Promise.all(keys.map(read))
  return results.filter((entry): entry is T => entry !== undefined)
}
