import { resolveAccount } from './account-id.ts'
import { RawChannel, RawGroup, RawPolicy, RawRole, RawScp, RawUser } from './entry-schemas.ts'
import { OrganizationError, type OrganizationFile, parseOrganization } from './organization.ts'
import { type EntryKind, PreparedEntry, readEntries } from './read-entries.ts'
import { SnapshotError } from './snapshot-error.ts'
import { toChannel, toGroup, toManagedPolicy, toRole, toScp, toUser } from './to-records.ts'
import type {
  AccountSnapshot,
  GroupRecord,
  ManagedPolicyRecord,
  RoleRecord,
  SlackChannelConfiguration,
  SnapshotIssue,
  UserRecord,
} from './types.ts'

export { SnapshotError } from './snapshot-error.ts'

const LISTS = ['UserDetailList', 'GroupDetailList', 'RoleDetailList', 'Policies'] as const

const USERS: EntryKind = {
  list: 'UserDetailList',
  noun: 'user',
  nameFields: ['UserName', 'Arn'],
  consequence: 'the user is not audited',
}
const GROUPS: EntryKind = {
  list: 'GroupDetailList',
  noun: 'group',
  nameFields: ['GroupName', 'Arn'],
  consequence: 'its members are audited without its policies',
}
const ROLES: EntryKind = {
  list: 'RoleDetailList',
  noun: 'role',
  nameFields: ['RoleName', 'Arn'],
  consequence: 'the role is not audited',
}
const POLICIES: EntryKind = {
  list: 'Policies',
  noun: 'managed policy',
  nameFields: ['Arn', 'PolicyName'],
  consequence: 'it grants nothing to the principals it is attached to',
}
const SCPS: EntryKind = {
  list: 'ServiceControlPolicies',
  noun: 'service control policy',
  nameFields: ['Name', 'Id', 'Arn'],
  consequence: 'the audit goes on without it',
}

/** How each list of principals and policies is read, entry by entry. */
const USER_LIST = {
  kind: USERS,
  read: (entry: unknown, index: number) => PreparedEntry.read(entry, index, USERS, RawUser, toUser),
}
const GROUP_LIST = {
  kind: GROUPS,
  read: (entry: unknown, index: number) => PreparedEntry.read(entry, index, GROUPS, RawGroup, toGroup),
}
const ROLE_LIST = {
  kind: ROLES,
  read: (entry: unknown, index: number) => PreparedEntry.read(entry, index, ROLES, RawRole, toRole),
}
const POLICY_LIST = {
  kind: POLICIES,
  read: (entry: unknown, index: number) =>
    PreparedEntry.read(entry, index, POLICIES, RawPolicy, toManagedPolicy),
}
const ENTRY_LISTS: Readonly<Record<string, { readonly read: (entry: unknown, index: number) => unknown }>> = {
  UserDetailList: USER_LIST,
  GroupDetailList: GROUP_LIST,
  RoleDetailList: ROLE_LIST,
  Policies: POLICY_LIST,
}

/**
 * Reads one entry of the export's list `list` as soon as it is parsed (see parseExportText):
 * users, groups, roles and managed policies become their records, or the issue that leaves
 * them out, so the parsed entry can be collected at once. parseAccountSnapshot takes such
 * entries where the export's own would be. Entries of other lists are returned as they are.
 */
export function readExportEntry(list: string, entry: unknown, index: number): unknown {
  const reader = Object.hasOwn(ENTRY_LISTS, list) ? ENTRY_LISTS[list] : undefined
  return reader ? reader.read(entry, index) : entry
}

/**
 * Reads an `aws iam get-account-authorization-details` export (CLI JSON or SDK output),
 * optionally with `AccountId`, `SupportAppSlackChannelConfigurations` and `ServiceControlPolicies`.
 *
 * The export as a whole must be readable: an object, with at least one of the lists, each a
 * list, and an account it describes (see `resolveAccount`). Within a list each entry stands
 * alone: a malformed user, group, role, policy, channel or SCP, or one of another account, is
 * left out and named in `issues`, and the rest is read.
 * @throws SnapshotError when the export as a whole cannot be read, naming the offending field.
 */
export function parseAccountSnapshot(input: unknown): AccountSnapshot {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new SnapshotError('snapshot must be a JSON object (get-account-authorization-details output)', '')
  }
  const raw = input as Record<string, unknown>
  if (!LISTS.some((key) => key in raw)) {
    throw new SnapshotError(
      `snapshot has none of ${LISTS.join(', ')}: not a get-account-authorization-details export`,
      '',
    )
  }
  const declared = readDeclaredAccountId(raw.AccountId)
  const issues: SnapshotIssue[] = []
  const users = readList<UserRecord>(raw, 'UserDetailList', USER_LIST)
  const groups = readList<GroupRecord>(raw, 'GroupDetailList', GROUP_LIST)
  const roles = readList<RoleRecord>(raw, 'RoleDetailList', ROLE_LIST)
  const policies = readList<ManagedPolicyRecord>(raw, 'Policies', POLICY_LIST)
  for (const list of [users, groups, roles, policies] as const)
    for (const entry of list) if (entry.issue) issues.push(entry.issue)
  const channels = readChannels(raw.SupportAppSlackChannelConfigurations, issues)
  const scps =
    raw.ServiceControlPolicies === undefined
      ? undefined
      : readEntries(listAt(raw, 'ServiceControlPolicies'), SCPS, RawScp, issues)
  const organization = raw.Organization === undefined ? undefined : readOrganization(raw.Organization)
  if (scps && organization)
    throw new SnapshotError(
      'snapshot: give ServiceControlPolicies (one layer) or Organization (SCPs by level), not both',
      'Organization',
    )
  const arnEntries: PreparedEntry<unknown>[] = []
  for (const list of [roles, users, groups, policies] as const)
    for (const entry of list) if (!entry.issue) arnEntries.push(entry)
  const { accountId, foreign } = resolveAccount(declared, arnEntries)
  for (const { entry, account } of foreign) {
    issues.push({
      policy: entry.subject,
      path: entry.path,
      message: `its ARN is in account ${account}, but the export describes account ${accountId}; skipped: ${entry.kind.consequence}`,
      skipped: true,
    })
  }
  const skipped = new Set<unknown>(foreign.map(({ entry }) => entry))
  // Items left out of an entry are said after the entries left out, list by list.
  const own = <R>(entries: readonly PreparedEntry<R>[]): R[] => {
    const records: R[] = []
    for (const entry of entries) {
      if (entry.record === undefined || skipped.has(entry)) continue
      for (const issue of entry.itemIssues) issues.push(issue)
      records.push(entry.record)
    }
    return records
  }
  return {
    accountId,
    users: own(users),
    groups: own(groups),
    roles: own(roles),
    policies: own(policies),
    slackChannelConfigurations: channels,
    ...(scps ? { serviceControlPolicies: scps.map((entry, index) => toScp(entry.value, index)) } : {}),
    ...(organization ? { organization } : {}),
    ...(issues.length > 0 ? { issues } : {}),
  }
}

/**
 * The entries of one list, each read on its own: those readExportEntry has read already are
 * taken as they are, the others are read here.
 */
function readList<R>(
  raw: Record<string, unknown>,
  key: string,
  list: { readonly kind: EntryKind; readonly read: (entry: unknown, index: number) => PreparedEntry<R> },
): PreparedEntry<R>[] {
  // A loop, not map: map would leave the holes of a sparse list (an object built in code, never
  // JSON) as holes, where each index must become an entry or an issue.
  const entries = listAt(raw, key)
  const read: PreparedEntry<R>[] = []
  for (let index = 0; index < entries.length; index++) {
    const entry = entries[index]
    read.push(
      entry instanceof PreparedEntry && entry.kind === list.kind
        ? (entry as PreparedEntry<R>)
        : list.read(entry, index),
    )
  }
  return read
}

function readOrganization(value: unknown): OrganizationFile {
  try {
    return parseOrganization(value, 'snapshot.Organization')
  } catch (error) {
    if (!(error instanceof OrganizationError)) throw error
    throw new SnapshotError(error.message, `Organization.${error.path}`, { cause: error })
  }
}

function readDeclaredAccountId(value: unknown): string | undefined {
  if (value === undefined) return undefined
  if (typeof value === 'string' && /^\d{12}$/.test(value)) return value
  throw new SnapshotError('snapshot.AccountId: must be a 12-digit account ID', 'AccountId')
}

/** A list of the export: absent is empty; anything but a list makes the export unreadable. */
function listAt(raw: Record<string, unknown>, key: string): readonly unknown[] {
  const value = raw[key]
  if (value === undefined) return []
  if (Array.isArray(value)) return value
  throw new SnapshotError(
    `snapshot.${key}: must be a list (array) of entries, got ${value === null ? 'null' : typeof value}`,
    key,
  )
}

/** A list of configurations, or `list-slack-channel-configurations` output around one. */
function readChannels(value: unknown, issues: SnapshotIssue[]): SlackChannelConfiguration[] {
  if (value === undefined) return []
  const key = 'SupportAppSlackChannelConfigurations'
  const nested =
    typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>).slackChannelConfigurations
      : undefined
  const list = Array.isArray(value) ? value : Array.isArray(nested) ? nested : undefined
  if (list === undefined) {
    throw new SnapshotError(
      `snapshot.${key}: must be a list of channel configurations or list-slack-channel-configurations output`,
      key,
    )
  }
  const kind: EntryKind = {
    list: Array.isArray(value) ? key : `${key}.slackChannelConfigurations`,
    noun: 'Slack channel configuration',
    nameFields: ['channelName', 'channelId'],
    consequence: 'its role is not known as a Support App role from this channel',
  }
  return readEntries(list, kind, RawChannel, issues).map(({ value: channel }) => toChannel(channel))
}
