import type { GuardConfig } from '#shared/config/guard-config.ts'
import type { ChangeEvent } from '#shared/events/types.ts'
import type { Baseline } from '#shared/pipeline/baseline.ts'
import { mutationOfChange } from '#shared/pipeline/change-mutation.ts'
import { applyMutation } from '#shared/pipeline/mutate-snapshot.ts'
import { captureProtectedBaselines as captureShared } from '#shared/pipeline/protected-baselines.ts'
import type {
  AccountSnapshot,
  GroupRecord,
  ManagedPolicyRecord,
  RoleRecord,
  UserRecord,
} from '#shared/snapshot/types.ts'

/** The account every sample event in events/ is recorded in. */
export const EVENTS_ACCOUNT_ID = '123456789012'

const VERSION = '2012-10-17'
const SUPPORT_ACCESS = 'arn:aws:iam::aws:policy/AWSSupportAccess'
const ADMINISTRATOR_ACCESS = 'arn:aws:iam::aws:policy/AdministratorAccess'
const customerPolicyArn = (name: string) => `arn:aws:iam::${EVENTS_ACCOUNT_ID}:policy/${name}`
const SUPPORT_TEAM_ACCESS = customerPolicyArn('SupportTeamAccess')

const allow = (action: unknown, resource = '*', notAction = false) => ({
  Version: VERSION,
  Statement: [{ Effect: 'Allow', [notAction ? 'NotAction' : 'Action']: action, Resource: resource }],
})
const trust = (aws: string) => ({
  Version: VERSION,
  Statement: [{ Effect: 'Allow', Principal: { AWS: aws }, Action: 'sts:AssumeRole' }],
})
const ref = (arn: string) => ({ arn, name: arn.slice(arn.lastIndexOf('/') + 1) })

function role(name: string, trustPolicy: unknown, attached: readonly string[]): RoleRecord {
  const arn = `arn:aws:iam::${EVENTS_ACCOUNT_ID}:role/${name}`
  return { kind: 'role', arn, name, path: '/', inline: [], attached: attached.map(ref), trustPolicy }
}

function user(name: string, attached: readonly string[], groups: readonly string[]): UserRecord {
  const arn = `arn:aws:iam::${EVENTS_ACCOUNT_ID}:user/${name}`
  return { kind: 'user', arn, name, path: '/', inline: [], attached: attached.map(ref), groups }
}

function policy(name: string, versions: readonly unknown[], defaultIndex: number): ManagedPolicyRecord {
  const defaultVersionId = `v${defaultIndex + 1}`
  return {
    arn: customerPolicyArn(name),
    name,
    path: '/',
    defaultVersionId,
    document: versions[defaultIndex],
    versions: versions.map((document, index) => ({
      versionId: `v${index + 1}`,
      isDefault: index === defaultIndex,
      document,
    })),
  }
}

/**
 * The example account plus what the sample events name and it lacks (events/README.md): the
 * `Admin` role a channel is switched to, `PartnerSupportAccess` as CreateRole left it, the
 * users `contractor-temp` (no access) and `support-engineer` (AWSSupportAccess, member of
 * `SupportEngineers`), the group `SupportEngineers` (AWSSupportAccess and the customer
 * policy `SupportTeamAccess`, versions v1–v3), the boundaries `NoSupportBoundary` and
 * `DeveloperBoundary` at the path the events use, and `SupportCasesScoped` as CreatePolicy
 * left it. `SupportAppSlackAccess` is absent, as DeletePolicy left it.
 */
export function buildEventsAccount(example: AccountSnapshot): AccountSnapshot {
  if (example.accountId !== EVENTS_ACCOUNT_ID) {
    throw new Error(`the example account is ${example.accountId}, the events' is ${EVENTS_ACCOUNT_ID}`)
  }
  const developerBoundary = example.policies.find((entry) => entry.name === 'DeveloperBoundary')
  if (developerBoundary === undefined) throw new Error('the example account has no DeveloperBoundary')
  const additions = {
    roles: [
      role('Admin', trust(`arn:aws:iam::${EVENTS_ACCOUNT_ID}:root`), [ADMINISTRATOR_ACCESS]),
      role('PartnerSupportAccess', trust('arn:aws:iam::210987654321:root'), []),
    ],
    users: [
      user('contractor-temp', [], []),
      user('support-engineer', [SUPPORT_ACCESS], ['SupportEngineers']),
    ],
    groups: [
      {
        arn: `arn:aws:iam::${EVENTS_ACCOUNT_ID}:group/SupportEngineers`,
        name: 'SupportEngineers',
        path: '/',
        inline: [],
        attached: [ref(SUPPORT_ACCESS), ref(SUPPORT_TEAM_ACCESS)],
      } satisfies GroupRecord,
    ],
    policies: [
      policy(
        'SupportTeamAccess',
        [
          allow('support:Describe*'),
          allow('support:*'),
          allow(['support:*', 'support-console:*', 'trustedadvisor:Describe*']),
        ],
        2,
      ),
      policy('NoSupportBoundary', [allow(['support:*', 'support-console:*'], '*', true)], 0),
      policy('DeveloperBoundary', [developerBoundary.document], 0),
      policy(
        'SupportCasesScoped',
        [
          allow(
            ['support:CreateCase', 'support:DescribeCases', 'support:AddCommunicationToCase'],
            `arn:aws:support::${EVENTS_ACCOUNT_ID}:case/*`,
          ),
        ],
        0,
      ),
    ],
  }
  return {
    ...example,
    roles: addUnique(example.roles, additions.roles, (entry) => entry.name),
    users: addUnique(example.users, additions.users, (entry) => entry.name),
    groups: addUnique(example.groups, additions.groups, (entry) => entry.name),
    policies: addUnique(example.policies, additions.policies, (entry) => entry.arn),
  }
}

function addUnique<T>(current: readonly T[], added: readonly T[], key: (entry: T) => string): T[] {
  const taken = new Set(current.map((entry) => key(entry).toLowerCase()))
  for (const entry of added) {
    if (taken.has(key(entry).toLowerCase()))
      throw new Error(`${key(entry)} is already in the example account`)
  }
  return [...current, ...added]
}

export interface StateAfterChange {
  readonly state: AccountSnapshot
  /** The modelled mutation (`detach-policy`, …); null when the account is used as seeded. */
  readonly mutation: string | null
}

/**
 * The account as IAM holds it once the event's call succeeded, through the same mutation
 * model as `replay`. Failed calls and calls without a modelled IAM effect leave it as is;
 * a deleted group also leaves its former members' lists, as IAM requires before DeleteGroup.
 */
export function stateAfterChange(before: AccountSnapshot, change: ChangeEvent): StateAfterChange {
  const mutation = mutationOfChange(change)
  if (mutation === undefined) return { state: before, mutation: null }
  const after = applyMutation(before, mutation)
  const groups = new Set(after.groups.map((group) => group.name))
  return {
    state: {
      ...after,
      users: after.users.map((entry) =>
        entry.groups.every((name) => groups.has(name))
          ? entry
          : { ...entry, groups: entry.groups.filter((name) => groups.has(name)) },
      ),
    },
    mutation: mutation.action,
  }
}

/**
 * Baselines of the protected principals (required support principals and Support App roles),
 * as the guard holds them before an event: recorded from the account before the change.
 */
export function captureProtectedBaselines(
  snapshot: AccountSnapshot,
  config: GuardConfig,
  recordedAt: string,
): Baseline[] {
  return captureShared(snapshot, config, { recordedAt, source: 'audit' })
}
