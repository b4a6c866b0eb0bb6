import type {
  PolicyDocumentJson,
  PolicyDocumentValue,
  RawAttachedPolicy,
  RawBoundary,
  RawGroup,
  RawInlinePolicy,
  RawManagedPolicy,
  RawTag,
} from './account-types.ts'
import { AWS_MANAGED, awsManagedArn } from './aws-documents.ts'
import { buildInlinePolicy } from './policy-templates.ts'
import type { Random } from './prng.ts'

const ID_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'
const EPOCH = Date.UTC(2019, 0, 1)
const DAY = 86_400_000

/** Everything one generation run shares: the random source and what has been created so far. */
export class AccountBuilder {
  readonly customer: RawManagedPolicy[] = []
  readonly byPrefix = new Map<string, RawManagedPolicy[]>()
  readonly groups: RawGroup[] = []
  readonly boundaries: RawManagedPolicy[] = []

  constructor(
    readonly random: Random,
    readonly accountId: string,
    private readonly encodedShare: number,
  ) {}

  encode(document: PolicyDocumentJson): PolicyDocumentValue {
    return this.random.chance(this.encodedShare) ? encodeURIComponent(JSON.stringify(document)) : document
  }
  id(prefix: string): string {
    let text = prefix
    for (let index = 0; index < 17; index++) text += ID_CHARS[this.random.int(0, ID_CHARS.length - 1)]
    return text
  }
  date(): string {
    return new Date(EPOCH + this.random.int(0, 2000) * DAY).toISOString().replace('.000Z', '+00:00')
  }
  arn(kind: string, path: string, name: string): string {
    return `arn:aws:iam::${this.accountId}:${kind}${path}${name}`
  }
  inline(count: number): RawInlinePolicy[] {
    const list: RawInlinePolicy[] = []
    for (let index = 0; index < count; index++) {
      const policy = buildInlinePolicy(this.random, this.accountId)
      list.push({ PolicyName: `${policy.name}-${index}`, PolicyDocument: this.encode(policy.document) })
    }
    return list
  }
  managedPolicy(name: string, path: string, documents: readonly PolicyDocumentJson[], defaultIndex = 0) {
    const policy: RawManagedPolicy = {
      PolicyName: name,
      PolicyId: this.id('ANPA'),
      Arn: this.arn('policy', path, name),
      Path: path,
      DefaultVersionId: `v${documents.length - defaultIndex}`,
      AttachmentCount: 0,
      PermissionsBoundaryUsageCount: 0,
      IsAttachable: true,
      CreateDate: this.date(),
      UpdateDate: this.date(),
      // IAM lists the newest version first.
      PolicyVersionList: documents.map((document, index) => ({
        Document: this.encode(document),
        VersionId: `v${documents.length - index}`,
        IsDefaultVersion: index === defaultIndex,
        CreateDate: this.date(),
      })),
    }
    return policy
  }
  /** A customer managed policy of the family, skewed so a few are shared by many principals. */
  fromFamily(prefix: string): RawAttachedPolicy {
    const family = this.byPrefix.get(prefix) ?? this.customer
    const policy = family[this.random.skewedIndex(family.length, 2.5)] as RawManagedPolicy
    return { PolicyName: policy.PolicyName, PolicyArn: policy.Arn }
  }
  aws(name: string): RawAttachedPolicy {
    const policy = AWS_MANAGED.find((entry) => entry.name === name)
    if (!policy) throw new Error(`no AWS managed policy ${name}`)
    return { PolicyName: name, PolicyArn: awsManagedArn(policy) }
  }
  boundary(): { PermissionsBoundary: RawBoundary } {
    const policy = this.random.pick(this.boundaries)
    return { PermissionsBoundary: { PermissionsBoundaryType: 'Policy', PermissionsBoundaryArn: policy.Arn } }
  }
  tags(): RawTag[] {
    if (!this.random.chance(0.3)) return []
    return [
      { Key: 'team', Value: `team-${this.random.int(1, 40)}` },
      { Key: 'env', Value: this.random.pick(['prod', 'staging', 'dev']) },
    ]
  }
}
