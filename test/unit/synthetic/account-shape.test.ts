import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { evaluateAccount } from '#shared/evaluator/evaluate-account.ts'
import { parseAccountSnapshot } from '#shared/snapshot/parse-snapshot.ts'
import { decodeDocument } from '#test-support/peer/principal-policies.ts'
import { IAM_LIMITS } from '#test-support/synthetic/account-shape.ts'
import type {
  PolicyDocumentJson,
  RawAuthorizationDetails,
  RawRole,
  RawUser,
  StatementJson,
} from '#test-support/synthetic/account-types.ts'
import {
  type AccountShape,
  DEFAULT_SHAPE,
  findShape,
  generateAccount,
  resolveShape,
  SHAPE_MATRIX,
} from '#test-support/synthetic/synthetic-account.ts'

const SIZE = 4000
const SEED = 11

function account(shape: Partial<AccountShape> = {}, principals = SIZE): RawAuthorizationDetails {
  return generateAccount({ seed: SEED, principals, shape })
}

/** Users and roles the shape applies to: the fixed service-linked, Support and Support App roles left out. */
function shaped(raw: RawAuthorizationDetails): (RawUser | RawRole)[] {
  const fixed = /^(AWSServiceRoleFor|SupportTeam$|AWSSupportApp)/
  return [...raw.UserDetailList, ...raw.RoleDetailList.filter((role) => !fixed.test(role.RoleName))]
}

function mean(values: readonly number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length
}

const inlineOf = (principal: RawUser | RawRole) =>
  'UserPolicyList' in principal ? principal.UserPolicyList : principal.RolePolicyList

function customerPolicies(raw: RawAuthorizationDetails) {
  return raw.Policies.filter(
    (policy) => !policy.Arn.includes(':aws:policy/') && policy.Path !== '/boundaries/',
  )
}

/** Customer managed and inline documents: the ones a shape grows. */
function shapedDocuments(raw: RawAuthorizationDetails): PolicyDocumentJson[] {
  const values = [
    ...raw.UserDetailList.flatMap((user) => user.UserPolicyList.map((policy) => policy.PolicyDocument)),
    ...raw.GroupDetailList.flatMap((group) => group.GroupPolicyList.map((policy) => policy.PolicyDocument)),
    ...raw.RoleDetailList.flatMap((role) => role.RolePolicyList.map((policy) => policy.PolicyDocument)),
    ...customerPolicies(raw).flatMap((policy) => policy.PolicyVersionList.map((version) => version.Document)),
  ]
  return values.map((value) => decodeDocument(value) as PolicyDocumentJson)
}

function statementsOf(document: PolicyDocumentJson): StatementJson[] {
  return Array.isArray(document.Statement) ? document.Statement : [document.Statement]
}

function listOf(value: string | string[] | undefined): string[] {
  return value === undefined ? [] : typeof value === 'string' ? [value] : value
}

interface DocumentStats {
  statementsPerDocument: number
  actionsPerStatement: number
  arnsPerScopedStatement: number
  wildcardShare: number
  denyShare: number
  supportDenies: number
  /** Support action patterns with a wildcard. */
  supportWildcards: number
}

function documentStats(raw: RawAuthorizationDetails): DocumentStats {
  const documents = shapedDocuments(raw)
  const statements = documents.flatMap(statementsOf)
  const listing = statements.filter((statement) => statement.Action !== undefined && statement.Action !== '*')
  const scoped = statements.filter(
    (statement) => statement.Resource !== undefined && !listOf(statement.Resource).includes('*'),
  )
  const otherActions = listing
    .flatMap((statement) => listOf(statement.Action))
    .filter((action) => !action.toLowerCase().startsWith('support'))
  const denies = statements.filter((statement) => statement.Effect === 'Deny')
  return {
    statementsPerDocument: statements.length / documents.length,
    actionsPerStatement: mean(listing.map((statement) => listOf(statement.Action).length)),
    arnsPerScopedStatement: mean(scoped.map((statement) => listOf(statement.Resource).length)),
    wildcardShare: otherActions.filter((action) => action.includes('*')).length / otherActions.length,
    denyShare: denies.length / statements.length,
    supportWildcards: listing
      .flatMap((statement) => listOf(statement.Action))
      .filter((action) => action.toLowerCase().startsWith('support') && /[*?]/.test(action)).length,
    supportDenies: denies.filter((statement) =>
      listOf(statement.Action).some((action) => action.startsWith('support:')),
    ).length,
  }
}

/** `*`, or service:name with wildcards in the name only (IAM rejects a wildcard service). */
const ACTION = /^(\*|[a-z0-9-]+:[A-Za-z0-9*?]+)$/i

/** IAM's identity-policy grammar, as far as the generator writes it. */
function grammarErrors(document: PolicyDocumentJson): string[] {
  const errors: string[] = []
  if (document.Version !== '2012-10-17') errors.push(`Version ${String(document.Version)}`)
  const statements = statementsOf(document)
  if (statements.length === 0) errors.push('no statement')
  for (const statement of statements) {
    if (statement.Effect !== 'Allow' && statement.Effect !== 'Deny') errors.push(`Effect ${statement.Effect}`)
    if ((statement.Action === undefined) === (statement.NotAction === undefined))
      errors.push('Action/NotAction')
    if ((statement.Resource === undefined) === (statement.NotResource === undefined))
      errors.push('Resource/NotResource')
    if (statement.Principal !== undefined) errors.push('Principal in an identity policy')
    for (const action of [...listOf(statement.Action), ...listOf(statement.NotAction)])
      if (!ACTION.test(action)) errors.push(`action ${action}`)
    for (const resource of [...listOf(statement.Resource), ...listOf(statement.NotResource)])
      if (resource !== '*' && !resource.startsWith('arn:aws:')) errors.push(`resource ${resource}`)
    if (new Set(listOf(statement.Action)).size !== listOf(statement.Action).length)
      errors.push('repeated action')
  }
  return errors
}

const baseline = account()
const baselineStats = documentStats(baseline)

describe('resolveShape', () => {
  it('fills what is left out with today’s values and rejects impossible ones', () => {
    expect(resolveShape({})).toEqual(DEFAULT_SHAPE)
    expect(DEFAULT_SHAPE).toMatchObject({
      roleShare: 0.7,
      principalsPerCustomerPolicy: 12,
      encodedShare: 0.3,
    })
    expect(DEFAULT_SHAPE.managedPerPrincipal).toBeCloseTo(1.356, 2)
    expect(resolveShape({ roleShare: 0.5 }).managedPerPrincipal).toBeLessThan(
      DEFAULT_SHAPE.managedPerPrincipal,
    )
    expect(() => resolveShape({ roleShare: 1.5 })).toThrow(/roleShare/)
    expect(() => resolveShape({ inlinePerPrincipal: -1 })).toThrow(/inlinePerPrincipal/)
    expect(() => resolveShape({ principalsPerGroup: 0 })).toThrow(/principalsPerGroup/)
  })
})

describe('generateAccount without a shape', () => {
  it('is the default shape, unchanged: the export of seed 42 at 1,000 principals has this digest', () => {
    const text = JSON.stringify(generateAccount({ seed: 42, principals: 1000 }))
    expect(JSON.stringify(generateAccount({ seed: 42, principals: 1000, shape: DEFAULT_SHAPE }))).toBe(text)
    // Update deliberately when the default generator changes: the benchmark's baseline moves with it.
    expect(createHash('sha256').update(text).digest('hex').slice(0, 16)).toBe('33080b1e6258b059')
  })
})

describe('each shape parameter moves what it names', () => {
  it('roleShare sets the share of roles', () => {
    const raw = account({ roleShare: 0.4 })
    expect(raw.RoleDetailList.length + raw.UserDetailList.length).toBe(SIZE)
    expect(raw.RoleDetailList.length / SIZE).toBeCloseTo(0.4, 2)
  })

  it('principalsPerCustomerPolicy sets how many customer managed policies exist', () => {
    expect(customerPolicies(baseline)).toHaveLength(Math.round(SIZE / 12))
    expect(customerPolicies(account({ principalsPerCustomerPolicy: 4 }))).toHaveLength(SIZE / 4)
  })

  it('inlinePerPrincipal: doubling the density doubles the inline policies', () => {
    const base = mean(shaped(baseline).map((principal) => inlineOf(principal).length))
    const doubled = mean(
      shaped(account({ inlinePerPrincipal: 1.5 })).map((principal) => inlineOf(principal).length),
    )
    expect(base).toBeCloseTo(0.75, 1)
    expect(doubled / base).toBeGreaterThan(1.9)
    expect(doubled / base).toBeLessThan(2.1)
  })

  it('managedPerPrincipal sets the mean direct attachments, within IAM’s quota of 10', () => {
    const count = (raw: RawAuthorizationDetails) =>
      mean(shaped(raw).map((principal) => principal.AttachedManagedPolicies.length))
    expect(count(baseline)).toBeCloseTo(DEFAULT_SHAPE.managedPerPrincipal, 1)
    const heavy = account({ managedPerPrincipal: 2.7 })
    expect(count(heavy)).toBeGreaterThan(2.5)
    expect(count(heavy)).toBeLessThan(2.9)
    expect(
      Math.max(...shaped(account({ managedPerPrincipal: 9 })).map((p) => p.AttachedManagedPolicies.length)),
    ).toBe(IAM_LIMITS.managedPerPrincipal)
    expect(count(account({ managedPerPrincipal: 0.5 }))).toBeCloseTo(0.5, 1)
  })

  it('extraStatements adds statements to customer managed and inline documents', () => {
    const stats = documentStats(account({ extraStatements: 2 }))
    expect(stats.statementsPerDocument - baselineStats.statementsPerDocument).toBeGreaterThan(1.7)
    expect(stats.statementsPerDocument - baselineStats.statementsPerDocument).toBeLessThan(2.1)
  })

  it('extraActions and extraResources lengthen action and resource lists', () => {
    const stats = documentStats(account({ extraActions: 4, extraResources: 2 }))
    expect(stats.actionsPerStatement - baselineStats.actionsPerStatement).toBeGreaterThan(3)
    expect(stats.arnsPerScopedStatement - baselineStats.arnsPerScopedStatement).toBeGreaterThan(1.5)
    expect(JSON.stringify(account({ extraActions: 4, extraResources: 2 })).length).toBeGreaterThan(
      1.3 * JSON.stringify(baseline).length,
    )
  })

  it('wildcardShare writes action patterns as wildcards, Support ones included', () => {
    const raw = account({ wildcardShare: 0.8, extraActions: 2 })
    const stats = documentStats(raw)
    expect(baselineStats.wildcardShare).toBeLessThan(0.3)
    expect(stats.wildcardShare).toBeGreaterThan(0.6)
    const text = JSON.stringify(shapedDocuments(raw))
    expect(text).toMatch(/"support:(Describe\*|\*Case\*|Describe\?ases)"|"support-console:\*"/)
    expect(documentStats(raw).supportWildcards).toBeGreaterThan(baselineStats.supportWildcards + 100)
    expect(text).toMatch(/"[a-z0-9]+:[A-Z][a-z]+\*"/)
  })

  it('groupsPerUser and principalsPerGroup set the group fan-out', () => {
    const raw = account({ groupsPerUser: 5, principalsPerGroup: 20 })
    expect(raw.GroupDetailList).toHaveLength(6 + SIZE / 20)
    const perUser = raw.UserDetailList.map((user) => user.GroupList.length)
    expect(mean(perUser)).toBeGreaterThan(4.5)
    expect(mean(perUser)).toBeLessThan(5.5)
    expect(Math.max(...perUser)).toBeLessThanOrEqual(IAM_LIMITS.groupsPerUser)
    expect(mean(baseline.UserDetailList.map((user) => user.GroupList.length))).toBeLessThan(1.7)
  })

  it.each([0.05, 0.7])('boundaryShare %f bounds that share of principals', (share) => {
    const principals = shaped(account({ boundaryShare: share }))
    expect(
      principals.filter((principal) => principal.PermissionsBoundary).length / principals.length,
    ).toBeCloseTo(share, 1)
  })

  it('denyShare adds Deny statements, some of them on support: actions', () => {
    const stats = documentStats(account({ denyShare: 0.6 }))
    expect(stats.denyShare).toBeGreaterThan(2 * baselineStats.denyShare)
    expect(stats.supportDenies).toBeGreaterThan(baselineStats.supportDenies + 200)
  })

  it('encodedShare sets how many documents are URL-encoded', () => {
    const text = (shape: Partial<AccountShape>) => JSON.stringify(account(shape, 500))
    expect(text({ encodedShare: 0 })).not.toContain('%7B')
    expect(text({ encodedShare: 1 })).not.toContain('"Version"')
  })
})

describe('SHAPE_MATRIX', () => {
  it('names about six shapes, baseline the default', () => {
    expect(SHAPE_MATRIX.map((entry) => entry.name)).toEqual([
      'baseline',
      'inline-heavy',
      'large-documents',
      'wildcard-heavy',
      'group-fanout',
      'boundary-deny',
    ])
    expect(findShape('baseline')?.shape).toEqual(DEFAULT_SHAPE)
    expect(findShape('nope')).toBeUndefined()
  })

  it('inline-heavy has the reported account’s counts at 12,000 principals', () => {
    const shape = findShape('inline-heavy')?.shape
    if (!shape) throw new Error('no inline-heavy shape')
    const raw = generateAccount({ seed: SEED, principals: 12_000, shape })
    expect(raw.RoleDetailList).toHaveLength(7200)
    expect(raw.UserDetailList).toHaveLength(4800)
    expect(customerPolicies(raw)).toHaveLength(1200)
    const inline = mean(shaped(raw).map((principal) => inlineOf(principal).length))
    expect(inline).toBeGreaterThan(2)
    expect(inline).toBeLessThan(3)
    expect(documentStats(raw).actionsPerStatement).toBeGreaterThan(baselineStats.actionsPerStatement)
  })

  describe.each(SHAPE_MATRIX.map((entry) => [entry.name, entry.shape] as const))('%s', (_name, shape) => {
    const raw = generateAccount({ seed: SEED, principals: 1500, shape })

    it('is deterministic from the seed', () => {
      expect(JSON.stringify(generateAccount({ seed: SEED, principals: 1500, shape }))).toBe(
        JSON.stringify(raw),
      )
      expect(JSON.stringify(generateAccount({ seed: SEED + 1, principals: 1500, shape }))).not.toBe(
        JSON.stringify(raw),
      )
    })

    it('references only policies and groups it holds, with attachment counts that match', () => {
      const policies = new Map(raw.Policies.map((policy) => [policy.Arn, { attached: 0, boundaries: 0 }]))
      const groups = new Set(raw.GroupDetailList.map((group) => group.GroupName))
      for (const holder of [...raw.UserDetailList, ...raw.GroupDetailList, ...raw.RoleDetailList]) {
        const arns = holder.AttachedManagedPolicies.map((ref) => ref.PolicyArn)
        expect(new Set(arns).size, 'a policy attached twice').toBe(arns.length)
        expect(arns.length).toBeLessThanOrEqual(IAM_LIMITS.managedPerPrincipal)
        for (const arn of arns) {
          const count = policies.get(arn)
          expect(count, arn).toBeDefined()
          if (count) count.attached++
        }
        const boundary = 'PermissionsBoundary' in holder ? holder.PermissionsBoundary : undefined
        if (boundary) {
          const count = policies.get(boundary.PermissionsBoundaryArn)
          expect(count, boundary.PermissionsBoundaryArn).toBeDefined()
          if (count) count.boundaries++
        }
      }
      for (const user of raw.UserDetailList) {
        expect(user.GroupList.length).toBeLessThanOrEqual(IAM_LIMITS.groupsPerUser)
        for (const group of user.GroupList) expect(groups.has(group), group).toBe(true)
      }
      for (const policy of raw.Policies) {
        expect(policy.AttachmentCount, policy.Arn).toBe(policies.get(policy.Arn)?.attached)
        expect(policy.PermissionsBoundaryUsageCount, policy.Arn).toBe(policies.get(policy.Arn)?.boundaries)
        expect(policy.PolicyVersionList.filter((version) => version.IsDefaultVersion)).toHaveLength(1)
      }
    })

    it('writes valid identity policies within IAM’s size quota', () => {
      const documents = shapedDocuments(raw)
      expect(documents.flatMap(grammarErrors)).toEqual([])
      for (const policy of customerPolicies(raw))
        for (const version of policy.PolicyVersionList)
          expect(JSON.stringify(decodeDocument(version.Document)).length).toBeLessThanOrEqual(
            IAM_LIMITS.managedDocumentChars,
          )
    })

    it('is read and evaluated without an issue', () => {
      const evaluation = evaluateAccount(parseAccountSnapshot(JSON.parse(JSON.stringify(raw))))
      expect(evaluation.issues).toEqual([])
      expect(evaluation.principals).toHaveLength(1500)
    })
  })
})
