import { type AccountShape, IAM_LIMITS, ShapeModel, scaleCount } from './account-shape.ts'
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
import { DocumentDecorator } from './document-decorator.ts'
import { buildInlinePolicy, pickManagedTemplate } from './policy-templates.ts'
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
  readonly model: ShapeModel
  private readonly decorator: DocumentDecorator | undefined

  constructor(
    readonly random: Random,
    readonly accountId: string,
    readonly shape: AccountShape,
  ) {
    this.model = new ShapeModel(shape)
    this.decorator = this.model.decorates ? new DocumentDecorator(random, accountId, shape) : undefined
  }

  encode(document: PolicyDocumentJson): PolicyDocumentValue {
    return this.random.chance(this.shape.encodedShare)
      ? encodeURIComponent(JSON.stringify(document))
      : document
  }
  /** The document grown as the shape asks, within `maxChars`; itself when the shape adds nothing. */
  decorate(
    document: PolicyDocumentJson,
    maxChars: number = IAM_LIMITS.managedDocumentChars,
  ): PolicyDocumentJson {
    return this.decorator ? this.decorator.decorate(document, maxChars) : document
  }
  /** A principal's inline policy count scaled to the shape's inline density. */
  inlineCount(base: number): number {
    return scaleCount(this.random, base, this.model.inlineFactor)
  }
  /**
   * Direct attachments scaled to the shape's mean (at most IAM's 10): fewer keep the first ones,
   * more add distinct customer managed policies.
   */
  scaleAttached(attached: RawAttachedPolicy[]): RawAttachedPolicy[] {
    const factor = this.model.managedFactor
    if (factor === 1) return attached
    const count = Math.min(IAM_LIMITS.managedPerPrincipal, scaleCount(this.random, attached.length, factor))
    if (count <= attached.length) return attached.slice(0, count)
    const result = [...attached]
    const seen = new Set(result.map((ref) => ref.PolicyArn))
    for (let tries = 0; result.length < count && tries < count * 4; tries++) {
      const ref = this.fromFamily(pickManagedTemplate(this.random).prefix)
      if (seen.has(ref.PolicyArn)) continue
      seen.add(ref.PolicyArn)
      result.push(ref)
    }
    return result
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
  /** `count` inline policies; additions keep each within its share of the holder's aggregate quota. */
  inline(count: number, aggregateChars: number = IAM_LIMITS.roleInlineChars): RawInlinePolicy[] {
    const list: RawInlinePolicy[] = []
    for (let index = 0; index < count; index++) {
      const policy = buildInlinePolicy(this.random, this.accountId)
      const document = this.decorate(policy.document, aggregateChars / count)
      list.push({ PolicyName: `${policy.name}-${index}`, PolicyDocument: this.encode(document) })
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
  /** True with the shape's chance of a boundary for a principal whose kind has `base` today. */
  bounded(base: number): boolean {
    return this.random.chance(this.model.boundaryChance(base))
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
