import type { PolicyDocumentJson, StatementJson } from './account-types.ts'
import type { Random } from './prng.ts'

/** Customer managed and inline policy documents of the kinds real accounts hold. */

export function buildDocument(...statements: StatementJson[]): PolicyDocumentJson {
  return { Version: '2012-10-17', Statement: statements }
}

const MFA_PRESENT = { Bool: { 'aws:MultiFactorAuthPresent': 'true' } }
const MFA_ABSENT = { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } }
const SERVICES = ['orders', 'billing', 'search', 'ingest', 'reports', 'auth', 'media', 'ledger', 'catalog']
const SUPPORT_WRITES = [
  'support:CreateCase',
  'support:ResolveCase',
  'support:AddCommunicationToCase',
  'support:AddAttachmentsToSet',
]

function officeNetworks(random: Random): { IpAddress: { 'aws:SourceIp': string[] } } {
  const networks = [`203.0.113.${random.int(0, 7) * 32}/27`, `198.51.100.${random.int(0, 3) * 64}/26`]
  return { IpAddress: { 'aws:SourceIp': random.chance(0.5) ? networks : networks.slice(0, 1) } }
}

function appStatements(random: Random, accountId: string): StatementJson[] {
  const service = random.pick(SERVICES)
  const bucket = `arn:aws:s3:::${service}-${accountId}-${random.int(1, 99)}`
  const statements: StatementJson[] = [
    { Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: `${bucket}/*` },
    {
      Effect: 'Allow',
      Action: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query'],
      Resource: `arn:aws:dynamodb:us-east-1:${accountId}:table/${service}-*`,
    },
  ]
  if (random.chance(0.5)) {
    statements.push({
      Effect: 'Allow',
      Action: ['sqs:SendMessage', 'sqs:ReceiveMessage', 'sqs:DeleteMessage'],
      Resource: `arn:aws:sqs:us-east-1:${accountId}:${service}-queue`,
    })
  }
  if (random.chance(0.3)) {
    statements.push({
      Effect: 'Allow',
      Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      Resource: '*',
    })
  }
  return statements
}

/** A family of customer managed policies: how often it occurs and how one is written. */
export interface ManagedTemplate {
  readonly prefix: string
  readonly weight: number
  build(random: Random, accountId: string): PolicyDocumentJson
}

export const MANAGED_TEMPLATES: readonly ManagedTemplate[] = [
  {
    prefix: 'app',
    weight: 40,
    build: (random, accountId) => buildDocument(...appStatements(random, accountId)),
  },
  {
    prefix: 'read-only-copy',
    weight: 10,
    build: (random) => {
      const actions = ['ec2:Describe*', 's3:Get*', 's3:List*', 'cloudwatch:Get*', 'cloudwatch:List*']
      if (random.chance(0.6)) actions.push('support:Describe*')
      if (random.chance(0.3)) actions.push('trustedadvisor:Describe*')
      if (random.chance(0.1)) actions.push('health:Describe*')
      return buildDocument({ Sid: 'ReadOnly', Effect: 'Allow', Action: actions, Resource: '*' })
    },
  },
  {
    prefix: 'support-cases',
    weight: 8,
    build: (random) => {
      const allow: StatementJson = {
        Effect: 'Allow',
        Action: ['support:*Case*', 'support:DescribeCommunications', 'support:DescribeSeverityLevels'],
        Resource: '*',
      }
      if (random.chance(0.4)) allow.Condition = MFA_PRESENT
      const statements = [allow]
      if (random.chance(0.2))
        statements.push({ Effect: 'Deny', Action: 'support:ResolveCase', Resource: '*' })
      return buildDocument(...statements)
    },
  },
  {
    prefix: 'support-describe',
    weight: 6,
    build: (random) =>
      buildDocument({
        Effect: 'Allow',
        Action: random.chance(0.5)
          ? 'support:Describe*'
          : ['support:DescribeCases', 'support:DescribeTrustedAdvisorChecks', 'support:DescribeServices'],
        Resource: '*',
      }),
  },
  {
    prefix: 'deny-support-write',
    weight: 5,
    build: (random) => {
      const variant = random.int(0, 2)
      if (variant === 0) return buildDocument({ Effect: 'Deny', Action: SUPPORT_WRITES, Resource: '*' })
      if (variant === 1)
        return buildDocument({ Effect: 'Deny', Action: 'support:*', Resource: '*', Condition: MFA_ABSENT })
      return buildDocument({ Effect: 'Deny', Action: 'support:*', Resource: '*' })
    },
  },
  {
    prefix: 'power-user-copy',
    weight: 5,
    build: () =>
      buildDocument(
        { Effect: 'Allow', NotAction: ['iam:*', 'organizations:*', 'account:*'], Resource: '*' },
        { Effect: 'Allow', Action: ['iam:CreateServiceLinkedRole', 'iam:ListRoles'], Resource: '*' },
      ),
  },
  {
    prefix: 'admin-from-office',
    weight: 3,
    build: (random) =>
      random.chance(0.5)
        ? buildDocument({ Effect: 'Allow', Action: '*', Resource: '*', Condition: officeNetworks(random) })
        : buildDocument(
            { Effect: 'Allow', Action: '*', Resource: '*' },
            {
              Effect: 'Deny',
              Action: '*',
              Resource: '*',
              Condition: { NotIpAddress: officeNetworks(random).IpAddress },
            },
          ),
  },
  {
    // Support has no resource-level permissions: an ARN-scoped statement grants nothing.
    prefix: 'scoped-support',
    weight: 2,
    build: (_random, accountId) =>
      buildDocument({
        Effect: 'Allow',
        Action: 'support:*',
        Resource: `arn:aws:support::${accountId}:case/*`,
      }),
  },
  {
    prefix: 'support-not-resource',
    weight: 2,
    build: (random, accountId) =>
      buildDocument({
        Effect: 'Allow',
        Action: random.chance(0.5) ? 'support:*' : ['support:Describe*', 'support:CreateCase'],
        NotResource: `arn:aws:s3:::restricted-${accountId}/*`,
      }),
  },
  {
    prefix: 'contractor',
    weight: 4,
    build: () =>
      buildDocument(
        { Effect: 'Allow', Action: '*', Resource: '*' },
        { Effect: 'Deny', NotAction: ['s3:*', 'cloudwatch:*', 'support:Describe*'], Resource: '*' },
      ),
  },
]

/** Permissions boundaries, each attached to many principals. */
export const BOUNDARY_DOCUMENTS: Readonly<Record<string, PolicyDocumentJson>> = {
  'boundary-workload': buildDocument(
    { Effect: 'Allow', Action: '*', Resource: '*' },
    { Effect: 'Deny', Action: ['iam:CreateUser', 'iam:CreateAccessKey', 'organizations:*'], Resource: '*' },
  ),
  'boundary-no-support': buildDocument({ Effect: 'Allow', NotAction: 'support:*', Resource: '*' }),
  'boundary-support-read': buildDocument({
    Effect: 'Allow',
    Action: ['support:Describe*', 's3:*', 'ec2:*', 'logs:*'],
    Resource: '*',
  }),
  'boundary-developer': buildDocument(
    { Effect: 'Allow', Action: '*', Resource: '*' },
    { Effect: 'Deny', Action: 'support:*', Resource: '*', Condition: MFA_ABSENT },
  ),
  'boundary-mfa-only': buildDocument({ Effect: 'Allow', Action: '*', Resource: '*', Condition: MFA_PRESENT }),
}

type InlineBuilder = (random: Random, accountId: string) => PolicyDocumentJson | StatementJson

/** Inline policies, by how often they occur; some are written as a single statement object. */
const INLINE_BUILDERS: readonly (readonly [number, string, InlineBuilder])[] = [
  [50, 'app-access', (random, accountId) => buildDocument(...appStatements(random, accountId))],
  [
    10,
    'support-self-service',
    (random) => ({
      Effect: 'Allow',
      Action: ['support:DescribeCases', 'support:CreateCase', 'support:AddCommunicationToCase'],
      Resource: '*',
      ...(random.chance(0.5) ? { Condition: MFA_PRESENT } : {}),
    }),
  ],
  [5, 'no-resolve', () => ({ Effect: 'Deny', Action: 'support:ResolveCase', Resource: '*' })],
  [
    3,
    'support-single-char',
    () =>
      buildDocument({
        Effect: 'Allow',
        Action: ['support:DescribeCase?', 'support:Describe?ommunications'],
        Resource: '*',
      }),
  ],
  [
    3,
    'support-mixed-case',
    () => ({
      Effect: 'Allow',
      Action: ['SUPPORT:describecases', 'Support:DescribeSeverityLevels'],
      Resource: '*',
    }),
  ],
  [
    4,
    'support-from-office',
    (random) =>
      buildDocument({
        Effect: 'Allow',
        Action: 'support:*',
        Resource: '*',
        Condition: officeNetworks(random),
      }),
  ],
  [
    2,
    'all-but-iam',
    () => buildDocument({ Effect: 'Allow', NotAction: ['iam:*', 'support:Resolve*'], Resource: ['*'] }),
  ],
  [
    2,
    'deny-unless-mfa',
    () =>
      buildDocument({
        Effect: 'Deny',
        NotAction: ['support:Describe*'],
        Resource: '*',
        Condition: MFA_ABSENT,
      }),
  ],
]
const INLINE_TOTAL = INLINE_BUILDERS.reduce((sum, [weight]) => sum + weight, 0)

/** One inline policy: its name and document (the statement alone when written as an object). */
export function buildInlinePolicy(
  random: Random,
  accountId: string,
): { name: string; document: PolicyDocumentJson } {
  let roll = random.next() * INLINE_TOTAL
  for (const [weight, name, build] of INLINE_BUILDERS) {
    roll -= weight
    if (roll < 0) return { name, document: asDocument(build(random, accountId)) }
  }
  return { name: 'app-access', document: buildDocument(...appStatements(random, accountId)) }
}

function asDocument(value: PolicyDocumentJson | StatementJson): PolicyDocumentJson {
  return 'Statement' in value ? value : { Version: '2012-10-17', Statement: value }
}

/** Picks a managed template by weight. */
export function pickManagedTemplate(random: Random): ManagedTemplate {
  const total = MANAGED_TEMPLATES.reduce((sum, template) => sum + template.weight, 0)
  let roll = random.next() * total
  for (const template of MANAGED_TEMPLATES) {
    roll -= template.weight
    if (roll < 0) return template
  }
  return MANAGED_TEMPLATES[0] as ManagedTemplate
}
