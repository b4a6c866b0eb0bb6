import type {
  PolicyDocumentValue,
  RawAttachedPolicy,
  RawAuthorizationDetails,
  RawInlinePolicy,
  RawManagedPolicy,
  RawRole,
  RawUser,
  StatementJson,
} from '../synthetic/account-types.ts'

/** One policy as a second evaluator receives it: a unique name and the decoded document. */
export interface NamedPolicy {
  readonly name: string
  readonly document: unknown
}

/** Every policy that decides one principal's identity-based access, read straight from the export. */
export interface PrincipalPolicies {
  readonly arn: string
  readonly identity: readonly NamedPolicy[]
  readonly boundary?: NamedPolicy
  /** Attached ARNs or groups the export does not contain. */
  readonly missing: readonly string[]
}

/** Decodes a document independently of the guard's parser: object, JSON text or URL-encoded JSON. */
export function decodeDocument(value: PolicyDocumentValue): unknown {
  if (typeof value !== 'string') return value
  const text = value.trim()
  return JSON.parse(text.startsWith('{') ? text : decodeURIComponent(text))
}

function defaultDocument(policy: RawManagedPolicy): unknown {
  const version =
    policy.PolicyVersionList.find((entry) => entry.VersionId === policy.DefaultVersionId) ??
    policy.PolicyVersionList.find((entry) => entry.IsDefaultVersion)
  return version ? decodeDocument(version.Document) : undefined
}

/** Resolves principals' policies against one export; documents are decoded once and shared. */
export function createPolicyResolver(raw: RawAuthorizationDetails) {
  const managed = new Map<string, unknown>()
  for (const policy of raw.Policies) managed.set(policy.Arn, defaultDocument(policy))
  const groups = new Map(raw.GroupDetailList.map((group) => [group.GroupName, group]))

  const collect = (
    prefix: string,
    inline: readonly RawInlinePolicy[],
    attached: readonly RawAttachedPolicy[],
    into: NamedPolicy[],
    missing: string[],
  ) => {
    for (const policy of inline) {
      into.push({
        name: `${prefix}inline:${policy.PolicyName}`,
        document: decodeDocument(policy.PolicyDocument),
      })
    }
    for (const ref of attached) {
      const document = managed.get(ref.PolicyArn)
      if (document === undefined) missing.push(ref.PolicyArn)
      else into.push({ name: `${prefix}${ref.PolicyArn}`, document })
    }
  }

  return (principal: RawUser | RawRole): PrincipalPolicies => {
    const identity: NamedPolicy[] = []
    const missing: string[] = []
    if ('UserName' in principal) {
      collect('', principal.UserPolicyList, principal.AttachedManagedPolicies, identity, missing)
      for (const name of principal.GroupList) {
        const group = groups.get(name)
        if (group)
          collect(`group:${name}/`, group.GroupPolicyList, group.AttachedManagedPolicies, identity, missing)
        else missing.push(`group:${name}`)
      }
    } else {
      collect('', principal.RolePolicyList, principal.AttachedManagedPolicies, identity, missing)
    }
    const boundaryArn = principal.PermissionsBoundary?.PermissionsBoundaryArn
    const boundaryDocument = boundaryArn === undefined ? undefined : managed.get(boundaryArn)
    if (boundaryArn !== undefined && boundaryDocument === undefined) missing.push(boundaryArn)
    return {
      arn: principal.Arn,
      identity,
      ...(boundaryArn !== undefined && boundaryDocument !== undefined
        ? { boundary: { name: `boundary:${boundaryArn}`, document: boundaryDocument } }
        : {}),
      missing,
    }
  }
}

function asList(value: unknown): string[] {
  if (value === undefined) return []
  return (Array.isArray(value) ? value : [value]).map(String)
}

function describeStatement(statement: StatementJson): string {
  const actions =
    statement.Action === undefined
      ? `NotAction ${asList(statement.NotAction).join(',')}`
      : asList(statement.Action).join(',')
  const resource =
    statement.Resource === undefined
      ? `NotResource ${asList(statement.NotResource).join(',')}`
      : asList(statement.Resource).join(',')
  const conditions = Object.entries(statement.Condition ?? {}).flatMap(([operator, keys]) =>
    Object.keys(keys).map((key) => `${operator} ${key}`),
  )
  return `${statement.Effect} ${actions} on ${resource}${conditions.length > 0 ? ` if ${conditions.join(' & ')}` : ''}`
}

/** Statements of a principal that can bear on `action` (same service or a wildcard), one line. */
export function summarizePolicies(policies: PrincipalPolicies, action: string): string {
  const service = action.split(':')[0]?.toLowerCase() ?? ''
  const relevant = (statement: StatementJson) => {
    const patterns = asList(statement.Action ?? statement.NotAction).map((pattern) => pattern.toLowerCase())
    return (
      statement.NotAction !== undefined ||
      patterns.some(
        (pattern) => pattern === '*' || pattern.startsWith(`${service}:`) || pattern.startsWith('*:'),
      )
    )
  }
  const parts: string[] = []
  for (const policy of [...policies.identity, ...(policies.boundary ? [policies.boundary] : [])]) {
    const document = policy.document as { Statement?: StatementJson | StatementJson[] }
    const statements = [document.Statement ?? []].flat().filter(relevant)
    if (statements.length > 0) parts.push(`${policy.name}: ${statements.map(describeStatement).join('; ')}`)
  }
  return parts.length > 0 ? parts.join(' | ') : 'no statement names the action'
}
