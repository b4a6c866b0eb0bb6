import { readFileSync } from 'node:fs'
import { type GuardConfig, parseGuardConfig } from '#shared/config/guard-config.ts'
import { parseAccountSnapshot } from '#shared/snapshot/parse-snapshot.ts'
import type {
  AccountSnapshot,
  GroupRecord,
  ManagedPolicyRecord,
  RoleRecord,
  UserRecord,
} from '#shared/snapshot/types.ts'

export const ACCOUNT_ID = '123456789012'
export const SUPPORT_ACCESS = 'arn:aws:iam::aws:policy/AWSSupportAccess'
export const ADMIN_ACCESS = 'arn:aws:iam::aws:policy/AdministratorAccess'
export const APP_FULL_ACCESS = 'arn:aws:iam::aws:policy/AWSSupportAppFullAccess'

const EXAMPLES = new URL('../../../shared/examples/', import.meta.url)

function readExample(file: string): unknown {
  return JSON.parse(readFileSync(new URL(file, EXAMPLES), 'utf8'))
}

/** The example account export, parsed. */
export function loadExampleSnapshot(): AccountSnapshot {
  return parseAccountSnapshot(readExample('example-account.json'))
}

/** The example config with top-level fields replaced. */
export function loadExampleConfig(overrides: Record<string, unknown> = {}): GuardConfig {
  return parseGuardConfig({ ...(readExample('example-config.json') as object), ...overrides })
}

export function allowDocument(actions: string | readonly string[], resource = '*'): unknown {
  return { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: actions, Resource: resource }] }
}

export function denyDocument(actions: string | readonly string[]): unknown {
  return { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: actions, Resource: '*' }] }
}

export function trustDocument(principal: Record<string, unknown>): unknown {
  return {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: principal, Action: 'sts:AssumeRole' }],
  }
}

const ref = (arn: string) => ({ arn, name: arn.split('/').pop() ?? arn })

interface PrincipalParts {
  readonly attached?: readonly string[]
  readonly inline?: Readonly<Record<string, unknown>>
  readonly boundaryArn?: string
}

function parts(options: PrincipalParts) {
  return {
    path: '/',
    attached: (options.attached ?? []).map(ref),
    inline: Object.entries(options.inline ?? {}).map(([name, document]) => ({ name, document })),
    ...(options.boundaryArn ? { boundaryArn: options.boundaryArn } : {}),
  }
}

export function makeUser(
  name: string,
  options: PrincipalParts & { groups?: readonly string[] } = {},
): UserRecord {
  return {
    kind: 'user',
    arn: `arn:aws:iam::${ACCOUNT_ID}:user/${name}`,
    name,
    ...parts(options),
    groups: [...(options.groups ?? [])],
  }
}

export function makeRole(name: string, options: PrincipalParts & { trustPolicy?: unknown } = {}): RoleRecord {
  return {
    kind: 'role',
    arn: `arn:aws:iam::${ACCOUNT_ID}:role/${name}`,
    name,
    ...parts(options),
    trustPolicy: options.trustPolicy ?? trustDocument({ AWS: `arn:aws:iam::${ACCOUNT_ID}:root` }),
  }
}

export function makeGroup(name: string, options: Omit<PrincipalParts, 'boundaryArn'> = {}): GroupRecord {
  const { boundaryArn: _none, ...rest } = parts(options)
  return { arn: `arn:aws:iam::${ACCOUNT_ID}:group/${name}`, name, ...rest }
}

/** A customer managed policy with the given versions (document by version ID). */
export function makePolicy(
  name: string,
  versions: Readonly<Record<string, unknown>>,
  defaultVersionId: string,
): ManagedPolicyRecord {
  return {
    arn: `arn:aws:iam::${ACCOUNT_ID}:policy/${name}`,
    name,
    path: '/',
    defaultVersionId,
    document: versions[defaultVersionId],
    versions: Object.entries(versions).map(([versionId, document]) => ({
      versionId,
      isDefault: versionId === defaultVersionId,
      document,
    })),
  }
}

export interface Additions {
  readonly users?: readonly UserRecord[]
  readonly groups?: readonly GroupRecord[]
  readonly roles?: readonly RoleRecord[]
  readonly policies?: readonly ManagedPolicyRecord[]
}

/** The snapshot with entities added; an added entity replaces one of the same name (or ARN). */
export function withEntities(snapshot: AccountSnapshot, additions: Additions): AccountSnapshot {
  const merge = <T extends { name: string }>(current: readonly T[], added: readonly T[] = []) => [
    ...current.filter((entry) => !added.some((extra) => extra.name === entry.name)),
    ...added,
  ]
  const addedPolicies = additions.policies ?? []
  return {
    ...snapshot,
    users: merge(snapshot.users, additions.users),
    groups: merge(snapshot.groups, additions.groups),
    roles: merge(snapshot.roles, additions.roles),
    policies: [
      ...snapshot.policies.filter((policy) => !addedPolicies.some((extra) => extra.arn === policy.arn)),
      ...addedPolicies,
    ],
  }
}

/** A role of the snapshot, for tests that start from an existing one. */
export function findRole(snapshot: AccountSnapshot, name: string): RoleRecord {
  const role = snapshot.roles.find((entry) => entry.name === name)
  if (!role) throw new Error(`no role ${name} in the snapshot`)
  return role
}
