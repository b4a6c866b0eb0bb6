import { findKnownAwsManagedPolicy } from '#shared/catalog/aws-managed-policies.ts'
import { isServiceLinkedRolePath, isServiceRolePolicyArn } from '#shared/policy/arn.ts'
import { type ParseOptions, parsePolicyDocument } from '#shared/policy/parse-policy.ts'
import type {
  ParsedPolicy,
  PolicyIssue,
  PolicyKind,
  PolicyParseResult,
  PolicyStatement,
} from '#shared/policy/types.ts'
import { resolveAccountScps } from '#shared/snapshot/organization.ts'
import type {
  AccountSnapshot,
  AttachedPolicyRef,
  GroupRecord,
  PrincipalRecord,
  RoleRecord,
  ServiceControlPolicy,
} from '#shared/snapshot/types.ts'
import { PolicySetIndex } from './policy-set.ts'

/** Where a policy comes from: what findings name it by (never the synthetic `id`). */
export type PolicySource =
  | { readonly type: 'managed'; readonly arn: string }
  | {
      readonly type: 'inline'
      readonly name: string
      /** The user, role or group the inline policy is embedded in. */
      readonly owner: {
        readonly type: 'user' | 'role' | 'group'
        readonly arn: string
        readonly name: string
      }
    }
  | { readonly type: 'scp'; readonly id: string; readonly name: string }

/** A policy of the account, parsed once; shared by every principal it is attached to. */
export interface CompiledPolicy {
  /** Policy ARN, or `<owner ARN>#inline/<name>`: a key, and what policy issues name. */
  readonly id: string
  /** How `who-can` names it: the ARN, `inline:<name>`, prefixed with `group:<name>/` when inherited. */
  readonly label: string
  readonly source: PolicySource
  /**
   * The document as parsed; compiled for some services only (ParseOptions), it may be shared
   * by documents that say the same about them and differ only about other services.
   */
  readonly parsed?: ParsedPolicy
  /** The document as the snapshot holds it, when it parsed: see allStatementsOf. */
  readonly document?: unknown
}

/**
 * Every statement of `policy`, for the few checks that look beyond the services an account
 * was compiled for (what else a Support App role may do): a document parsed for some services
 * only is parsed again, whole.
 */
export function allStatementsOf(policy: CompiledPolicy): readonly PolicyStatement[] {
  const parsed = policy.parsed
  if (!parsed) return []
  if (!parsed.services) return parsed.statements
  let statements = wholeStatements.get(policy)
  if (!statements) {
    const whole = parsePolicyDocument(policy.document, policy.id, 'identity')
    // It parsed once: it parses again, to the same statements and more.
    if (!whole.ok) throw new Error(`${policy.id} parsed once but no longer parses: ${whole.issue.message}`)
    statements = whole.policy.statements
    wholeStatements.set(policy, statements)
  }
  return statements
}

/** The checks of a Support App role ask about each of its policies once per pattern: parsed again once. */
const wholeStatements = new WeakMap<CompiledPolicy, readonly PolicyStatement[]>()

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
  /**
   * Principals of one account with the same number hold equal documents (identity policies
   * in order, and boundary): what depends on their policies alone is the same for them.
   */
  readonly policySet: number
}

/** A principal as compileAccount makes it, without spreading its optional fields into a literal. */
class Principal implements CompiledPrincipal {
  readonly arn: string
  readonly type: 'user' | 'role'
  declare readonly boundary?: CompiledPolicy
  declare readonly trust?: ParsedPolicy
  readonly serviceLinked: boolean
  constructor(
    readonly record: PrincipalRecord,
    readonly identity: readonly CompiledPolicy[],
    boundary: CompiledPolicy | undefined,
    trust: ParsedPolicy | undefined,
    readonly policySet: number,
  ) {
    this.arn = record.arn
    this.type = record.kind
    if (boundary) this.boundary = boundary
    if (trust) this.trust = trust
    this.serviceLinked = isServiceLinkedRolePath(record.path)
  }
}

type InlineOwner = Extract<PolicySource, { type: 'inline' }>['owner']

/**
 * An inline policy of a user, role or group. Its id, label and source are spelled out when
 * read: an account has tens of thousands of inline policies, each kept to the end of the audit,
 * and only the few behind a finding, an issue or an answer of `who-can` are ever named.
 */
class InlinePolicy implements CompiledPolicy {
  declare readonly parsed?: ParsedPolicy
  declare readonly document?: unknown
  constructor(
    readonly owner: InlineOwner,
    readonly name: string,
    /** What `label` starts with: `group:<name>/` for a group's policy, else nothing. */
    readonly prefix: string,
    parsed: ParsedPolicy | undefined,
    document: unknown,
  ) {
    if (parsed) {
      this.parsed = parsed
      this.document = document
    }
  }
  get id(): string {
    return `${this.owner.arn}#inline/${this.name}`
  }
  get label(): string {
    return `${this.prefix}inline:${this.name}`
  }
  get source(): PolicySource {
    return { type: 'inline', name: this.name, owner: this.owner }
  }
}

/** The SCPs of one level; `label` names the level (`root Root`, `organizational unit Workloads`). */
export interface ScpLayer {
  readonly label: string
  readonly policies: readonly CompiledPolicy[]
}

export interface CompiledAccount {
  readonly accountId: string
  readonly snapshot: AccountSnapshot
  readonly principals: readonly CompiledPrincipal[]
  readonly byArn: ReadonlyMap<string, CompiledPrincipal>
  /**
   * Service control policies, when the export carries them, as layers over every principal but
   * service-linked roles: one per level from the root down to the account (an organisation), or
   * one for a flat `ServiceControlPolicies` list. An action must be allowed in every layer.
   */
  readonly scpLayers: readonly ScpLayer[]
  readonly issues: readonly PolicyIssue[]
}

/**
 * Parses every policy of the account once; with `options.services`, identity policies keep
 * only the statements those services' questions can use (see ParseOptions). Unreadable
 * documents become issues and grant nothing; attached managed policies missing from the
 * snapshot fall back to the known AWS managed documents, else become issues. `issues` starts with those of the snapshot itself
 * (entries skipped while reading the export), so one list says everything the audit left out.
 */
export function compileAccount(snapshot: AccountSnapshot, options: ParseOptions = {}): CompiledAccount {
  const issues: PolicyIssue[] = [...(snapshot.issues ?? [])]
  const documents = new DocumentCache(options)
  const compile = (id: string, label: string, source: PolicySource, document: unknown) =>
    compilePolicy(id, label, source, document, documents, issues)
  const managed = new Map<string, CompiledPolicy>()
  for (const policy of snapshot.policies) {
    managed.set(policy.arn, compile(policy.arn, policy.arn, managedSource(policy.arn), policy.document))
  }
  const resolveManaged = (ref: AttachedPolicyRef, prefix: string): CompiledPolicy => {
    let compiled = managed.get(ref.arn)
    if (!compiled) {
      const source = managedSource(ref.arn)
      const known = findKnownAwsManagedPolicy(ref.arn)
      if (known) {
        compiled = compile(ref.arn, ref.arn, source, known)
      } else if (isServiceRolePolicyArn(ref.arn)) {
        // Policies of service-linked roles grant the service, never a person, Support access.
        compiled = { id: ref.arn, label: ref.arn, source }
      } else {
        issues.push({
          policy: ref.arn,
          path: '',
          message: 'attached managed policy is not in the snapshot; treated as granting nothing',
        })
        compiled = { id: ref.arn, label: ref.arn, source }
      }
      managed.set(ref.arn, compiled)
    }
    return prefix ? { ...compiled, label: `${prefix}${compiled.label}` } : compiled
  }
  const compileOwned = (owner: PolicyOwner, prefix = ''): CompiledPolicy[] => {
    const { record } = owner
    const compiled: CompiledPolicy[] = []
    // The inline policies of one owner name it with one object.
    const holder: InlineOwner = { type: owner.type, arn: record.arn, name: record.name }
    for (const policy of record.inline) {
      const parsed = parseDocument(`${record.arn}#inline/${policy.name}`, policy.document, documents, issues)
      compiled.push(new InlinePolicy(holder, policy.name, prefix, parsed, policy.document))
    }
    for (const ref of record.attached) compiled.push(resolveManaged(ref, prefix))
    return compiled
  }

  const groupPolicies = new Map<string, CompiledPolicy[]>()
  for (const group of snapshot.groups)
    groupPolicies.set(group.name, compileOwned({ type: 'group', record: group }, `group:${group.name}/`))

  // Principals with the same boundary share one policy, as members of a group share its policies.
  const boundaries = new Map<string, CompiledPolicy>()
  const boundaryOf = (arn: string): CompiledPolicy => {
    let boundary = boundaries.get(arn)
    if (!boundary) {
      boundary = resolveManaged({ arn, name: '' }, 'boundary:')
      boundaries.set(arn, boundary)
    }
    return boundary
  }

  const missingGroups = new Map<string, string[]>()
  const policySets = new PolicySetIndex()
  const principals: CompiledPrincipal[] = []
  const compilePrincipal = (record: PrincipalRecord): CompiledPrincipal => {
    const identity = compileOwned({ type: record.kind, record })
    if (record.kind === 'user') {
      for (const groupName of record.groups) {
        const inherited = groupPolicies.get(groupName)
        if (inherited) for (const policy of inherited) identity.push(policy)
        else {
          const members = missingGroups.get(groupName)
          if (members) members.push(record.name)
          else missingGroups.set(groupName, [record.name])
        }
      }
    }
    const boundary = record.boundaryArn ? boundaryOf(record.boundaryArn) : undefined
    const trust = record.kind === 'role' ? compileTrust(record, documents, issues) : undefined
    return new Principal(record, identity, boundary, trust, policySets.idOf(identity, boundary))
  }
  for (const record of snapshot.users) principals.push(compilePrincipal(record))
  for (const record of snapshot.roles) principals.push(compilePrincipal(record))
  for (const [groupName, members] of missingGroups) issues.push(describeMissingGroup(groupName, members))
  return {
    accountId: snapshot.accountId,
    snapshot,
    principals,
    byArn: new Map(principals.map((principal) => [principal.arn, principal])),
    scpLayers: compileScpLayers(snapshot, compile, issues),
    issues,
  }
}

/**
 * The SCP layers of the account: the organisation's levels when the snapshot has organisation
 * data, else the flat list as one layer. An SCP attached at several levels is parsed once.
 */
function compileScpLayers(
  snapshot: AccountSnapshot,
  compile: (id: string, label: string, source: PolicySource, document: unknown) => CompiledPolicy,
  issues: PolicyIssue[],
): ScpLayer[] {
  const source = (scp: ServiceControlPolicy): PolicySource => ({ type: 'scp', id: scp.id, name: scp.name })
  if (!snapshot.organization) {
    const flat = snapshot.serviceControlPolicies ?? []
    if (flat.length === 0) return []
    const policies = flat.map((scp) => compile(scp.id, `scp:${scp.name}`, source(scp), scp.document))
    return [{ label: "the export's ServiceControlPolicies", policies }]
  }
  const resolved = resolveAccountScps(snapshot.organization, snapshot.accountId)
  issues.push(...resolved.issues)
  if (!resolved.applies) return []
  const byId = new Map<string, CompiledPolicy>()
  return resolved.levels.map((level) => ({
    label: `${level.target.type.replace('-', ' ')} ${level.target.name}`,
    policies: level.policies.map((scp) => {
      let compiled = byId.get(scp.id)
      if (!compiled) {
        compiled = compile(scp.id, `scp:${scp.name}`, source(scp), scp.document)
        byId.set(scp.id, compiled)
      }
      return { ...compiled, label: `scp:${level.target.name}/${scp.name}` }
    }),
  }))
}

type PolicyOwner =
  | { readonly type: 'user' | 'role'; readonly record: PrincipalRecord }
  | { readonly type: 'group'; readonly record: GroupRecord }

function managedSource(arn: string): PolicySource {
  return { type: 'managed', arn }
}

/** One issue per missing group, however many users name it. */
function describeMissingGroup(groupName: string, members: readonly string[]): PolicyIssue {
  const shown = members.slice(0, 3).join(', ')
  const more = members.length > 3 ? ` and ${members.length - 3} more` : ''
  return {
    policy: `group ${groupName}`,
    path: '',
    message: `is not in the snapshot, but ${members.length === 1 ? 'user' : 'users'} ${shown}${more} ${members.length === 1 ? 'is a member' : 'are members'}; its policies are evaluated as granting nothing`,
  }
}

/** A role without a trust policy is still audited for what it may do, as assumable by no one. */
function compileTrust(
  role: RoleRecord,
  documents: DocumentCache,
  issues: PolicyIssue[],
): ParsedPolicy | undefined {
  if (role.trustPolicy === undefined) {
    issues.push({
      policy: `role ${role.name}`,
      path: '',
      message:
        'the trust policy (AssumeRolePolicyDocument) is missing; the role is evaluated as assumable by no one',
    })
    return undefined
  }
  const result = documents.parse(role.trustPolicy, `${role.arn}#trust`, 'trust')
  if (result.ok) return result.policy
  issues.push(result.issue)
  return undefined
}

function compilePolicy(
  id: string,
  label: string,
  source: PolicySource,
  document: unknown,
  documents: DocumentCache,
  issues: PolicyIssue[],
): CompiledPolicy {
  const parsed = parseDocument(id, document, documents, issues)
  return parsed ? { id, label, source, parsed, document } : { id, label, source }
}

/** The parsed identity document of the policy `id`, or undefined with an issue when it has none. */
function parseDocument(
  id: string,
  document: unknown,
  documents: DocumentCache,
  issues: PolicyIssue[],
): ParsedPolicy | undefined {
  if (document === undefined) {
    issues.push({ policy: id, path: '', message: 'the policy document is missing' })
    return undefined
  }
  const result = documents.parse(document, id, 'identity')
  if (result.ok) return result.policy
  issues.push(result.issue)
  return undefined
}

/**
 * Parses each distinct document of an account once. Accounts repeat documents (the same inline
 * policy pasted into hundreds of roles, the same trust policy on every Lambda role): principals
 * holding equal documents share one `ParsedPolicy`, and with it everything computed per parsed
 * policy (its decision vector, its trust analysis). Documents are equal when their text is (a
 * string as IAM returns it) or their JSON is (a decoded object). A document that does not parse
 * is not kept: each policy holding it gets its own issue.
 */
class DocumentCache {
  readonly #parsed: Readonly<Record<PolicyKind, Map<string, ParsedPolicy>>> = {
    identity: new Map(),
    trust: new Map(),
  }

  constructor(private readonly options: ParseOptions) {}

  parse(document: unknown, policyName: string, kind: PolicyKind): PolicyParseResult {
    const key = documentKey(document)
    const known = key === undefined ? undefined : this.#parsed[kind].get(key)
    if (known) return { ok: true, policy: known }
    const parsed = parsePolicyDocument(document, policyName, kind, this.options)
    const result =
      parsed.ok && parsed.policy.services ? { ok: true as const, policy: this.#kept(parsed.policy) } : parsed
    if (result.ok && key !== undefined) this.#parsed[kind].set(key, result.policy)
    return result
  }

  /**
   * Documents compiled for some services only that keep the same statements (the same indexes,
   * Sids and all) say the same about those services: they share one ParsedPolicy, and with it
   * one decision vector and one policy set. Most documents of an account keep no statement.
   */
  readonly #byKept = new Map<string, ParsedPolicy>()

  #kept(policy: ParsedPolicy): ParsedPolicy {
    const key = policy.statements.length === 0 ? (policy.version ?? '') : JSON.stringify(policy)
    const known = this.#byKept.get(key)
    if (known) return known
    this.#byKept.set(key, policy)
    return policy
  }
}

function documentKey(document: unknown): string | undefined {
  if (typeof document === 'string') return document
  if (typeof document !== 'object' || document === null) return undefined
  return JSON.stringify(document)
}
