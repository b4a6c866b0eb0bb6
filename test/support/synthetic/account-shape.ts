import type { Random } from './prng.ts'

/**
 * What kind of account the generator writes. Every field has today's value in DEFAULT_SHAPE;
 * a shape that leaves a field at that value draws exactly what the generator drew before.
 */
export interface AccountShape {
  /** Share of users and roles that are roles (default 0.7). */
  readonly roleShare: number
  /** The account holds principals ÷ this customer managed policies, at least one per family (default 12). */
  readonly principalsPerCustomerPolicy: number
  /**
   * Mean managed policies attached directly to a user or role (group attachments not counted);
   * roles keep about 2.5× what users hold. At most 10 per principal, IAM's default quota.
   * Default: today's mix at the shape's role share (1.36 at 0.7).
   */
  readonly managedPerPrincipal: number
  /** Mean inline policies per user or role: the inline density (default 0.75). */
  readonly inlinePerPrincipal: number
  /** Mean statements added to each customer managed and inline document (default 0). */
  readonly extraStatements: number
  /** Mean actions added to each statement that lists actions (not `NotAction`, not `*`) (default 0). */
  readonly extraActions: number
  /** Mean resource ARNs added to each statement scoped to ARNs (default 0). */
  readonly extraResources: number
  /**
   * Share of the action patterns the shape writes that are wildcards (`s3:Get*`, `ec2:*`, and a
   * tenth of added ones Support wildcards such as `support:*Case*`): added actions, and concrete
   * non-Support actions already in customer managed and inline documents (default 0; today's
   * documents already hold some wildcards).
   */
  readonly wildcardShare: number
  /** Mean groups per user, at most 10 (IAM's quota) (default 1.6 drawn, about 1.57 distinct). */
  readonly groupsPerUser: number
  /** The account holds 6 fixed groups and principals ÷ this team groups (default 100). */
  readonly principalsPerGroup: number
  /** Share of users and roles with a permissions boundary. Default: today's mix (0.16 at role share 0.7). */
  readonly boundaryShare: number
  /**
   * Share of customer managed and inline documents given an extra Deny statement, and of added
   * statements that are Deny; about a third of those name `support:` actions (default 0).
   */
  readonly denyShare: number
  /** Share of documents written URL-encoded, as IAM's API returns them (default 0.3). */
  readonly encodedShare: number
}

/** IAM's default quotas the shapes stay within. */
export const IAM_LIMITS = {
  managedPerPrincipal: 10,
  groupsPerUser: 10,
  managedDocumentChars: 6144,
  roleInlineChars: 10_240,
  userInlineChars: 2048,
  groupInlineChars: 5120,
} as const

/** Today's per-kind means, from the draws in account-roles.ts and synthetic-account.ts. */
const ROLE_MANAGED_MEAN = 0.55 * 2.1 + 0.25 * (7 / 6) + 0.12 + 0.06 * 1.2 + 0.015 + 0.005
const USER_MANAGED_MEAN = 0.4 * 1.5 + 0.05
const ROLE_BOUNDARY_MEAN = 0.55 * 0.15 + 0.12 * 0.2 + 0.06 * 0.5 + 0.005
const USER_BOUNDARY_SHARE = 0.2
export const BASE_INLINE_MEAN = 0.75
export const BASE_GROUPS_PER_USER = 1.6

function mix(roleShare: number, role: number, user: number): number {
  return roleShare * role + (1 - roleShare) * user
}

/** The full shape: fields left out take today's values (the mixes at the given role share). */
export function resolveShape(partial: Partial<AccountShape> = {}): AccountShape {
  const roleShare = partial.roleShare ?? 0.7
  const shape: AccountShape = {
    roleShare,
    principalsPerCustomerPolicy: 12,
    managedPerPrincipal: mix(roleShare, ROLE_MANAGED_MEAN, USER_MANAGED_MEAN),
    inlinePerPrincipal: BASE_INLINE_MEAN,
    extraStatements: 0,
    extraActions: 0,
    extraResources: 0,
    wildcardShare: 0,
    groupsPerUser: BASE_GROUPS_PER_USER,
    principalsPerGroup: 100,
    boundaryShare: mix(roleShare, ROLE_BOUNDARY_MEAN, USER_BOUNDARY_SHARE),
    denyShare: 0,
    encodedShare: 0.3,
    ...partial,
  }
  checkShape(shape)
  return shape
}

const SHARES = ['roleShare', 'wildcardShare', 'boundaryShare', 'denyShare', 'encodedShare'] as const

function checkShape(shape: AccountShape): void {
  for (const [name, value] of Object.entries(shape)) {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0)
      throw new RangeError(`shape.${name} must be a finite number ≥ 0, got ${String(value)}`)
  }
  for (const name of SHARES) {
    if (shape[name] > 1) throw new RangeError(`shape.${name} is a share: at most 1, got ${shape[name]}`)
  }
  if (shape.principalsPerCustomerPolicy <= 0 || shape.principalsPerGroup <= 0)
    throw new RangeError('shape.principalsPerCustomerPolicy and principalsPerGroup must be > 0')
}

/** Today's account. */
export const DEFAULT_SHAPE: AccountShape = resolveShape()

export interface NamedShape {
  readonly name: string
  readonly summary: string
  readonly shape: AccountShape
}

/** The shapes the benchmark measures, baseline first. */
export const SHAPE_MATRIX: readonly NamedShape[] = [
  { name: 'baseline', summary: 'the default shape', shape: DEFAULT_SHAPE },
  {
    name: 'inline-heavy',
    summary: '60% roles, 1 customer policy per 10 principals, 2.5 inline per principal, larger documents',
    // Counts of a reported account; its export was ≈9 MB, which these densities exceed (≈20 MB).
    shape: resolveShape({
      roleShare: 0.6,
      principalsPerCustomerPolicy: 10,
      inlinePerPrincipal: 2.5,
      extraStatements: 0.25,
      extraActions: 1,
      extraResources: 0.5,
      encodedShare: 0,
    }),
  },
  {
    name: 'large-documents',
    summary: '3 more statements per document, 6 more actions and 3 more ARNs per statement',
    shape: resolveShape({ extraStatements: 3, extraActions: 6, extraResources: 3 }),
  },
  {
    name: 'wildcard-heavy',
    summary: 'most action patterns wildcards (s3:Get*, ec2:*, support:*Case*)',
    shape: resolveShape({ wildcardShare: 0.6, extraStatements: 1, extraActions: 2 }),
  },
  {
    name: 'group-fanout',
    summary: 'half users, 6 groups per user, a team group per 15 principals',
    shape: resolveShape({ roleShare: 0.5, groupsPerUser: 6, principalsPerGroup: 15 }),
  },
  {
    name: 'boundary-deny',
    summary: '80% of principals bounded, half the documents with an extra Deny',
    shape: resolveShape({ boundaryShare: 0.8, denyShare: 0.5 }),
  },
]

export function findShape(name: string): NamedShape | undefined {
  return SHAPE_MATRIX.find((entry) => entry.name === name)
}

/** `base × factor` rounded up or down at random so its mean is exact; factor 1 draws nothing. */
export function scaleCount(random: Random, base: number, factor: number): number {
  if (factor === 1) return base
  const exact = base * factor
  const whole = Math.floor(exact)
  return whole + (random.chance(exact - whole) ? 1 : 0)
}

/** A count of mean `mean`, uniform over [0, 2·mean]; mean 0 draws nothing. */
export function drawCount(random: Random, mean: number): number {
  if (mean <= 0) return 0
  const exact = random.next() * 2 * mean
  const whole = Math.floor(exact)
  return whole + (random.chance(exact - whole) ? 1 : 0)
}

/** The shape turned into the factors the generator applies; neutral at DEFAULT_SHAPE. */
export class ShapeModel {
  readonly inlineFactor: number
  readonly managedFactor: number
  readonly groupFactor: number
  /** True when documents get statements, actions, ARNs, wildcards or denies added. */
  readonly decorates: boolean
  private readonly baseBoundary: number

  constructor(readonly shape: AccountShape) {
    this.inlineFactor = shape.inlinePerPrincipal / BASE_INLINE_MEAN
    this.managedFactor =
      shape.managedPerPrincipal / mix(shape.roleShare, ROLE_MANAGED_MEAN, USER_MANAGED_MEAN)
    this.groupFactor = shape.groupsPerUser / BASE_GROUPS_PER_USER
    this.baseBoundary = mix(shape.roleShare, ROLE_BOUNDARY_MEAN, USER_BOUNDARY_SHARE)
    this.decorates =
      shape.extraStatements > 0 ||
      shape.extraActions > 0 ||
      shape.extraResources > 0 ||
      shape.wildcardShare > 0 ||
      shape.denyShare > 0
  }

  /**
   * The chance of a boundary for a principal whose kind has `base` today, moved so the mean
   * over kinds is the shape's share: towards 1 in proportion when above today's mix, scaled
   * down when below; `base` itself at today's mix.
   */
  boundaryChance(base: number): number {
    const target = this.shape.boundaryShare
    const today = this.baseBoundary
    if (target >= today) return base + (1 - base) * ((target - today) / (1 - today))
    return base * (target / today)
  }
}
