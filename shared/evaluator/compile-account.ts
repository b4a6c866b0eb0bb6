import { parsePolicyDocument } from '#shared/policy/parse-policy.ts'
import type { ParsedPolicy, PolicyIssue } from '#shared/policy/types.ts'
import { findKnownAwsManagedPolicy, isServiceRolePolicy } from '#shared/snapshot/aws-managed-policies.ts'
import type {
  AccountSnapshot,
  AttachedPolicyRef,
  GroupRecord,
  InlinePolicy,
  PrincipalRecord,
  RoleRecord,
} from '#shared/snapshot/types.ts'

/** A policy of the account, parsed once; shared by every principal it is attached to. */
export interface CompiledPolicy {
  /** Policy ARN, or `<owner ARN>#inline/<name>`: what issues and evidence name. */
  readonly id: string
  /** How `who-can` names it: the ARN, `inline:<name>`, prefixed with `group:<name>/` when inherited. */
  readonly label: string
  readonly parsed?: ParsedPolicy
}

export interface CompiledPrincipal {
  readonly record: PrincipalRecord
  readonly arn: string
  readonly type: 'user' | 'role'
  /** Identity-based policies: own inline and attached, plus those of the user's groups. */
  readonly identity: readonly CompiledPolicy[]
  readonly boundary?: CompiledPolicy
  /** Roles only: the parsed trust policy (absent when unreadable: see issues). */
  readonly trust?: ParsedPolicy
  /** Service-linked roles (path `/aws-service-role/`) are managed by AWS, not by the account. */
  readonly serviceLinked: boolean
}

export interface CompiledAccount {
  readonly accountId: string
  readonly snapshot: AccountSnapshot
  readonly principals: readonly CompiledPrincipal[]
  readonly byArn: ReadonlyMap<string, CompiledPrincipal>
  /** Service control policies, when the export carries them: one layer over every principal but service-linked roles. */
  readonly scps: readonly CompiledPolicy[]
  readonly issues: readonly PolicyIssue[]
}

/**
 * Parses every policy of the account once. Unreadable documents become issues and grant
 * nothing; attached managed policies missing from the snapshot fall back to the known AWS
 * managed documents, else become issues.
 */
export function compileAccount(snapshot: AccountSnapshot): CompiledAccount {
  const issues: PolicyIssue[] = []
  const managed = new Map<string, CompiledPolicy>()
  for (const policy of snapshot.policies) {
    managed.set(policy.arn, compile(policy.arn, policy.arn, policy.document, issues))
  }
  const resolveManaged = (ref: AttachedPolicyRef, prefix: string): CompiledPolicy => {
    let compiled = managed.get(ref.arn)
    if (!compiled) {
      const known = findKnownAwsManagedPolicy(ref.arn)
      if (known) {
        compiled = compile(ref.arn, ref.arn, known, issues)
      } else if (isServiceRolePolicy(ref.arn)) {
        // Policies of service-linked roles grant the service, never a person, Support access.
        compiled = { id: ref.arn, label: ref.arn }
      } else {
        issues.push({
          policy: ref.arn,
          path: '',
          message: 'attached managed policy is not in the snapshot; treated as granting nothing',
        })
        compiled = { id: ref.arn, label: ref.arn }
      }
      managed.set(ref.arn, compiled)
    }
    return prefix ? { ...compiled, label: `${prefix}${compiled.label}` } : compiled
  }
  const compileOwned = (
    ownerArn: string,
    inline: readonly InlinePolicy[],
    attached: readonly AttachedPolicyRef[],
    prefix = '',
  ) => [
    ...inline.map((policy) =>
      compile(`${ownerArn}#inline/${policy.name}`, `${prefix}inline:${policy.name}`, policy.document, issues),
    ),
    ...attached.map((ref) => resolveManaged(ref, prefix)),
  ]

  const groupPolicies = new Map<string, CompiledPolicy[]>()
  for (const group of snapshot.groups) groupPolicies.set(group.name, compileGroup(group, compileOwned))

  const principals: CompiledPrincipal[] = []
  for (const record of [...snapshot.users, ...snapshot.roles]) {
    const identity = compileOwned(record.arn, record.inline, record.attached)
    if (record.kind === 'user') {
      for (const groupName of record.groups) {
        const inherited = groupPolicies.get(groupName)
        if (inherited) identity.push(...inherited)
        else
          issues.push({
            policy: `${record.arn}#group/${groupName}`,
            path: '',
            message: 'group is not in the snapshot',
          })
      }
    }
    const boundary = record.boundaryArn
      ? resolveManaged({ arn: record.boundaryArn, name: '' }, 'boundary:')
      : undefined
    const trust = record.kind === 'role' ? compileTrust(record, issues) : undefined
    principals.push({
      record,
      arn: record.arn,
      type: record.kind,
      identity,
      ...(boundary ? { boundary } : {}),
      ...(trust ? { trust } : {}),
      serviceLinked: record.path.startsWith('/aws-service-role/'),
    })
  }
  return {
    accountId: snapshot.accountId,
    snapshot,
    principals,
    byArn: new Map(principals.map((principal) => [principal.arn, principal])),
    scps: (snapshot.serviceControlPolicies ?? []).map((scp) =>
      compile(scp.id, `scp:${scp.name}`, scp.document, issues),
    ),
    issues,
  }
}

function compileGroup(
  group: GroupRecord,
  compileOwned: (
    owner: string,
    inline: readonly InlinePolicy[],
    attached: readonly AttachedPolicyRef[],
    prefix: string,
  ) => CompiledPolicy[],
): CompiledPolicy[] {
  return compileOwned(group.arn, group.inline, group.attached, `group:${group.name}/`)
}

function compileTrust(role: RoleRecord, issues: PolicyIssue[]): ParsedPolicy | undefined {
  const result = parsePolicyDocument(role.trustPolicy, `${role.arn}#trust`, 'trust')
  if (result.ok) return result.policy
  issues.push(result.issue)
  return undefined
}

function compile(id: string, label: string, document: unknown, issues: PolicyIssue[]): CompiledPolicy {
  const result = parsePolicyDocument(document, id, 'identity')
  if (result.ok) return { id, label, parsed: result.policy }
  issues.push(result.issue)
  return { id, label }
}
