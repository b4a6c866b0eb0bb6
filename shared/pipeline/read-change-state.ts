import type { ChangeEvent } from '#shared/events/types.ts'
import { isIdentityProviderArn } from '#shared/policy/arn.ts'
import { parsePolicyDocument } from '#shared/policy/parse-policy.ts'
import type { AccountReader } from '#shared/snapshot/account-reader.ts'
import type {
  AccountSnapshot,
  GroupRecord,
  ManagedPolicyRecord,
  RoleRecord,
  SlackChannelConfiguration,
  UserRecord,
} from '#shared/snapshot/types.ts'

/** Kinds whose target is a managed policy: the principals holding it are what changed. */
const POLICY_KINDS = new Set([
  'CreatePolicyVersion',
  'SetDefaultPolicyVersion',
  'DeletePolicyVersion',
  'DeletePolicy',
])

export interface ReadOptions {
  /**
   * Above this many roles and users to read (members of a group, holders of a policy), the
   * whole account is read in a few paged calls instead, when the reader can. Every principal is
   * judged either way; this only picks the cheaper way of reading them.
   */
  readonly bulkReadAbove: number
  /** IAM reads in flight at once when reading principals one by one. */
  readonly concurrency: number
}

export const DEFAULT_READ_OPTIONS: ReadOptions = { bulkReadAbove: 40, concurrency: 8 }

/**
 * Reads only the state a change touches: the principal it names, the members of a group
 * it names, the holders of a policy whose versions it changed, their groups, and every
 * managed policy they use. Returns it as a (partial) account snapshot.
 */
export async function readChangeState(
  change: ChangeEvent,
  reader: AccountReader,
  options: ReadOptions = DEFAULT_READ_OPTIONS,
): Promise<AccountSnapshot> {
  if (change.kind === 'identity-provider') return readProviderTrustState(change, reader, options)
  const p = change.parameters
  const named = (type: 'role' | 'user' | 'group') =>
    new Set(change.subjects.filter((subject) => subject.type === type).map((subject) => subject.name))
  const targets: StateTargets = {
    // The principals the call names, a Support App channel's role among them.
    roles: named('role'),
    users: named('user'),
    groups: named('group'),
    policies: new Set([p.policyArn, p.permissionsBoundary].filter((arn): arn is string => arn !== undefined)),
  }
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

/**
 * The roles whose trust policy names the SAML or OIDC provider a call created, changed or
 * deleted (`Principal.Federated`), with the groups and policies they use: a role is only as safe
 * as the providers it trusts, and the posture rules judge who may assume it. No IAM call lists
 * the roles of a provider, so this needs a reader that reads the whole account; without one the
 * state is empty and the scheduled audit judges those roles.
 */
async function readProviderTrustState(
  change: ChangeEvent,
  reader: AccountReader,
  options: ReadOptions,
): Promise<AccountSnapshot> {
  const providerArn = change.targets.find(isIdentityProviderArn)
  if (!providerArn || !reader.readAccount) return emptyState(change.accountId)
  const account = await reader.readAccount(change.accountId)
  const trusting = account.roles.filter((role) => trustsProvider(role, providerArn))
  const selected = selectState(account, {
    roles: new Set(trusting.map((role) => role.name)),
    users: new Set(),
    groups: new Set(),
    policies: new Set(),
  })
  return addMissingPolicies(selected, new Set(), reader, options.concurrency)
}

/** A trust policy that cannot be parsed still counts when its text names the provider. */
function trustsProvider(role: RoleRecord, providerArn: string): boolean {
  const parsed = parsePolicyDocument(role.trustPolicy, `${role.arn}#trust`, 'trust')
  if (!parsed.ok) return JSON.stringify(role.trustPolicy ?? null).includes(providerArn)
  return parsed.policy.statements.some((statement) => statement.principal?.federated.includes(providerArn))
}

function emptyState(accountId: string): AccountSnapshot {
  return { accountId, users: [], groups: [], roles: [], policies: [], slackChannelConfigurations: [] }
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
 * reach them), the groups of those users, and every managed policy they all use. Nothing is
 * left out: a group of 1,000 users gives 1,000 users.
 */
export async function readState(
  accountId: string,
  targets: StateTargets,
  reader: AccountReader,
  options: ReadOptions = DEFAULT_READ_OPTIONS,
): Promise<AccountSnapshot> {
  const userNames = new Set(targets.users)
  for (const group of targets.groups)
    for (const member of await reader.listGroupMembers(group)) userNames.add(member)
  if (reader.readAccount && targets.roles.size + userNames.size > options.bulkReadAbove) {
    const selected = selectState(await reader.readAccount(accountId), { ...targets, users: userNames })
    return addMissingPolicies(selected, targets.policies, reader, options.concurrency)
  }
  const roles = await readAll([...targets.roles], (name) => reader.readRole(name), options.concurrency)
  const users = await readAll([...userNames], (name) => reader.readUser(name), options.concurrency)
  const groupNames = new Set(targets.groups)
  for (const user of users) for (const group of user.groups) groupNames.add(group)
  const groups = await readAll([...groupNames], (name) => reader.readGroup(name), options.concurrency)
  const policyArns = usedPolicies(targets.policies, roles, users, groups)
  const policies = await readAll([...policyArns], (arn) => reader.readManagedPolicy(arn), options.concurrency)
  return { accountId, users, groups, roles, policies, slackChannelConfigurations: [] }
}

/** A policy the bulk read did not return (an export without the AWS managed ones) is read alone. */
async function addMissingPolicies(
  selected: AccountSnapshot,
  named: ReadonlySet<string>,
  reader: AccountReader,
  concurrency: number,
): Promise<AccountSnapshot> {
  const known = new Set(selected.policies.map((policy) => policy.arn))
  const missing = [...usedPolicies(named, selected.roles, selected.users, selected.groups)].filter(
    (arn) => !known.has(arn),
  )
  const more = await readAll(missing, (arn) => reader.readManagedPolicy(arn), concurrency)
  return { ...selected, policies: [...selected.policies, ...more] }
}

/** The part of a whole-account read that `readState` would have read one by one. */
function selectState(account: AccountSnapshot, targets: StateTargets): AccountSnapshot {
  const named = (names: Set<string>) => {
    const lower = new Set([...names].map((name) => name.toLowerCase()))
    return (entity: { name: string }) => lower.has(entity.name.toLowerCase())
  }
  const roles = account.roles.filter(named(targets.roles))
  const users = account.users.filter(named(targets.users))
  const groupNames = new Set([...targets.groups, ...users.flatMap((user) => user.groups)])
  const groups = account.groups.filter(named(groupNames))
  const policyArns = usedPolicies(targets.policies, roles, users, groups)
  const policies = account.policies.filter((policy) => policyArns.has(policy.arn))
  return { accountId: account.accountId, users, groups, roles, policies, slackChannelConfigurations: [] }
}

function usedPolicies(
  named: ReadonlySet<string>,
  roles: readonly RoleRecord[],
  users: readonly UserRecord[],
  groups: readonly GroupRecord[],
): Set<string> {
  const arns = new Set(named)
  for (const entity of [...roles, ...users, ...groups]) for (const ref of entity.attached) arns.add(ref.arn)
  for (const principal of [...roles, ...users]) if (principal.boundaryArn) arns.add(principal.boundaryArn)
  return arns
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

/** Reads every key, `concurrency` at a time, in key order; absent entities are dropped. */
async function readAll<T extends RoleRecord | UserRecord | GroupRecord | ManagedPolicyRecord>(
  keys: readonly string[],
  read: (key: string) => Promise<T | undefined>,
  concurrency: number,
): Promise<T[]> {
  const results: (T | undefined)[] = new Array(keys.length)
  let next = 0
  const worker = async () => {
    for (let index = next++; index < keys.length; index = next++)
      results[index] = await read(keys[index] as string)
  }
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, keys.length)) }, worker))
  return results.filter((entry): entry is T => entry !== undefined)
}
