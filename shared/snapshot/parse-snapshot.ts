import { type ArnEntry, resolveAccount } from './account-id.ts'
import { RawChannel, RawGroup, RawPolicy, RawRole, RawScp, RawUser } from './entry-schemas.ts'
import { OrganizationError, type OrganizationFile, parseOrganization } from './organization.ts'
import { type EntryKind, type ReadEntry, readEntries } from './read-entries.ts'
import { SnapshotError } from './snapshot-error.ts'
import { toChannel, toGroup, toManagedPolicy, toRole, toScp, toUser } from './to-records.ts'
import type { AccountSnapshot, SlackChannelConfiguration, SnapshotIssue } from './types.ts'

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
  const users = readEntries(listAt(raw, 'UserDetailList'), USERS, RawUser, issues)
  const groups = readEntries(listAt(raw, 'GroupDetailList'), GROUPS, RawGroup, issues)
  const roles = readEntries(listAt(raw, 'RoleDetailList'), ROLES, RawRole, issues)
  const policies = readEntries(listAt(raw, 'Policies'), POLICIES, RawPolicy, issues)
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
  const arnEntries: ArnOf[] = []
  for (const list of [roles, users, groups, policies] as const)
    for (const entry of list) arnEntries.push(new ArnOf(entry))
  const { accountId, foreign } = resolveAccount(declared, arnEntries)
  for (const { entry, account } of foreign) {
    issues.push({
      policy: entry.subject,
      path: entry.path,
      message: `its ARN is in account ${account}, but the export describes account ${accountId}; skipped: ${entry.kind.consequence}`,
      skipped: true,
    })
  }
  const skipped = new Set<unknown>(foreign.map(({ entry }) => entry.entry))
  const own = <T>(entries: readonly ReadEntry<T>[]) =>
    skipped.size === 0 ? entries : entries.filter((entry) => !skipped.has(entry))
  return {
    accountId,
    users: own(users).map((entry) => toUser(entry, issues)),
    groups: own(groups).map((entry) => toGroup(entry, issues)),
    roles: own(roles).map((entry) => toRole(entry, issues)),
    policies: own(policies).map((entry) => toManagedPolicy(entry, issues)),
    slackChannelConfigurations: channels,
    ...(scps ? { serviceControlPolicies: scps.map((entry, index) => toScp(entry.value, index)) } : {}),
    ...(organization ? { organization } : {}),
    ...(issues.length > 0 ? { issues } : {}),
  }
}

/** An entry as resolveAccount reads it: its ARN, with its words made only if it is foreign. */
class ArnOf implements ArnEntry {
  readonly arn: string
  constructor(readonly entry: ReadEntry<{ readonly Arn: string }>) {
    this.arn = entry.value.Arn
  }
  get subject(): string {
    return this.entry.subject
  }
  get path(): string {
    return this.entry.path
  }
  get kind(): EntryKind {
    return this.entry.kind
  }
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
