import type { AccountShape } from './account-shape.ts'
import { drawCount } from './account-shape.ts'
import type { PolicyDocumentJson, StatementJson, StringOrList } from './account-types.ts'
import type { Random } from './prng.ts'

/**
 * Grows a customer managed or inline document as a shape asks: more statements, longer action
 * and resource lists, wildcards, extra denies. Never mutates its input (templates share arrays).
 * Support decisions change only through added Support wildcards and denies. IAM's grammar has no
 * wildcard service prefix (`*:Describe*` is rejected), so wildcards stay within one service.
 */

/** Concrete actions per service, and the ARN its statements are scoped to. */
const SERVICES: readonly { readonly prefix: string; readonly actions: readonly string[]; arn: ArnBuilder }[] =
  [
    {
      prefix: 's3',
      actions: [
        'GetObject',
        'PutObject',
        'DeleteObject',
        'ListBucket',
        'GetBucketPolicy',
        'GetObjectTagging',
      ],
      arn: (random, accountId, name) => `arn:aws:s3:::${name}-${accountId}-${random.int(1, 999)}/*`,
    },
    {
      prefix: 'dynamodb',
      actions: ['GetItem', 'PutItem', 'Query', 'Scan', 'UpdateItem', 'DeleteItem', 'DescribeTable'],
      arn: (random, accountId, name) =>
        `arn:aws:dynamodb:${region(random)}:${accountId}:table/${name}-${random.int(1, 999)}`,
    },
    {
      prefix: 'sqs',
      actions: ['SendMessage', 'ReceiveMessage', 'DeleteMessage', 'GetQueueAttributes', 'GetQueueUrl'],
      arn: (random, accountId, name) =>
        `arn:aws:sqs:${region(random)}:${accountId}:${name}-queue-${random.int(1, 99)}`,
    },
    {
      prefix: 'lambda',
      actions: ['InvokeFunction', 'GetFunction', 'ListFunctions', 'UpdateFunctionCode'],
      arn: (random, accountId, name) =>
        `arn:aws:lambda:${region(random)}:${accountId}:function:${name}-handler-${random.int(1, 99)}`,
    },
    {
      prefix: 'logs',
      actions: ['CreateLogStream', 'PutLogEvents', 'DescribeLogGroups', 'GetLogEvents'],
      arn: (random, accountId, name) =>
        `arn:aws:logs:${region(random)}:${accountId}:log-group:/aws/${name}/${random.int(1, 99)}:*`,
    },
    {
      prefix: 'kms',
      actions: ['Decrypt', 'Encrypt', 'GenerateDataKey', 'DescribeKey'],
      arn: (random, accountId) =>
        `arn:aws:kms:${region(random)}:${accountId}:key/${random.int(10_000_000, 99_999_999)}-0000-4000-8000-000000000000`,
    },
    {
      prefix: 'ec2',
      actions: ['DescribeInstances', 'StartInstances', 'StopInstances', 'DescribeVolumes', 'CreateTags'],
      arn: (random, accountId) =>
        `arn:aws:ec2:${region(random)}:${accountId}:instance/i-${random.int(1e9, 9e9)}`,
    },
    {
      prefix: 'secretsmanager',
      actions: ['GetSecretValue', 'DescribeSecret', 'ListSecrets'],
      arn: (random, accountId, name) =>
        `arn:aws:secretsmanager:${region(random)}:${accountId}:secret:${name}/db-${random.int(1, 99)}`,
    },
  ]
type ArnBuilder = (random: Random, accountId: string, name: string) => string

const NAMES = ['orders', 'billing', 'search', 'ingest', 'reports', 'auth', 'media', 'ledger', 'catalog']
const REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1', 'eu-central-1', 'ap-southeast-2']
/** Support wildcards an added action list sometimes holds: they reach the audited actions. */
const SUPPORT_WILDCARDS = [
  'support:Describe*',
  'support:*Case*',
  'support:Describe?ases',
  'support-console:*',
]
const SUPPORT_DENIES: readonly StatementJson[] = [
  { Effect: 'Deny', Action: 'support:ResolveCase', Resource: '*' },
  { Effect: 'Deny', Action: ['support:CreateCase', 'support:AddAttachmentsToSet'], Resource: '*' },
  {
    Effect: 'Deny',
    Action: 'support:*',
    Resource: '*',
    Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } },
  },
  { Effect: 'Deny', Action: 'support:Describe*', Resource: '*' },
]
const OTHER_DENIES = [
  ['s3:DeleteBucket', 's3:PutBucketPolicy'],
  ['ec2:TerminateInstances'],
  ['iam:CreateUser', 'iam:CreateAccessKey'],
  ['kms:ScheduleKeyDeletion', 'kms:DisableKey'],
  ['organizations:LeaveOrganization'],
]

function region(random: Random): string {
  return random.pick(REGIONS)
}

function isSupportAction(action: string): boolean {
  return action.toLowerCase().startsWith('support')
}

/** `s3:GetObject` as `s3:Get*` or `s3:*`. */
function wildcardOf(random: Random, action: string): string {
  const colon = action.indexOf(':')
  const verb = /^[A-Z][a-z]+/.exec(action.slice(colon + 1))?.[0]
  return verb && random.chance(0.7)
    ? `${action.slice(0, colon + 1)}${verb}*`
    : `${action.slice(0, colon + 1)}*`
}

function asList(value: StringOrList): string[] {
  return typeof value === 'string' ? [value] : [...value]
}

/** Size of a string item in a JSON list: the quotes and the comma. */
function itemChars(text: string): number {
  return text.length + 3
}

/** The brackets a value written as one string needs when it becomes a list. */
function listCost(written: StringOrList | undefined, items: readonly string[]): number {
  return typeof written === 'string' && items.length === 1 ? 2 : 0
}

export class DocumentDecorator {
  constructor(
    private readonly random: Random,
    private readonly accountId: string,
    private readonly shape: AccountShape,
  ) {}

  /** A new document with the shape's additions that fit in `maxChars` (IAM counts no whitespace). */
  decorate(document: PolicyDocumentJson, maxChars: number): PolicyDocumentJson {
    const { random, shape } = this
    let chars = JSON.stringify(document).length
    /** Adds `size` characters if they fit. */
    const take = (size: number): boolean => {
      if (chars + size > maxChars) return false
      chars += size
      return true
    }
    const original = Array.isArray(document.Statement) ? document.Statement : [document.Statement]
    const statements = original.map((statement) => {
      if (statement.Action === undefined || statement.Action === '*') return statement
      const copy = { ...statement }
      const written = asList(statement.Action)
      const actions = written.map((action) => {
        if (isSupportAction(action) || action.includes('*') || !random.chance(shape.wildcardShare))
          return action
        const wildcard = wildcardOf(random, action)
        chars += wildcard.length - action.length
        return wildcard
      })
      for (let left = drawCount(random, shape.extraActions); left > 0; left--) {
        const action = this.action()
        if (!take(itemChars(action) + listCost(statement.Action, actions))) break
        actions.push(action)
      }
      if (actions.some((action, index) => action !== written[index]))
        copy.Action = actions.length === 1 ? (actions[0] as string) : [...new Set(actions)]
      if (copy.Resource !== undefined && !asList(copy.Resource).includes('*')) {
        const resources = asList(copy.Resource)
        const before = resources.length
        for (let left = drawCount(random, shape.extraResources); left > 0; left--) {
          const arn = this.arn()
          if (!take(itemChars(arn) + listCost(statement.Resource, resources))) break
          resources.push(arn)
        }
        if (resources.length > before) copy.Resource = [...new Set(resources)]
      }
      return copy.Action === statement.Action && copy.Resource === statement.Resource ? statement : copy
    })
    // A single statement object becomes a list when one is added.
    const listed = Array.isArray(document.Statement) ? 0 : 2
    for (let left = drawCount(random, shape.extraStatements); left > 0; left--) {
      const statement = this.statement(random.chance(shape.denyShare) ? 'Deny' : 'Allow')
      if (!take(JSON.stringify(statement).length + 1 + (statements.length > original.length ? 0 : listed)))
        break
      statements.push(statement)
    }
    if (random.chance(shape.denyShare)) {
      const deny = this.deny()
      if (take(JSON.stringify(deny).length + 1 + (statements.length > original.length ? 0 : listed)))
        statements.push(deny)
    }
    const changed =
      statements.length > original.length || statements.some((entry, index) => entry !== original[index])
    if (!changed) return document
    return {
      Version: document.Version,
      Statement:
        statements.length === 1 && !Array.isArray(document.Statement)
          ? (statements[0] as StatementJson)
          : statements,
    }
  }

  /** A concrete action of some service, or a wildcard one at the shape's share. */
  private action(): string {
    const { random } = this
    const service = random.pick(SERVICES)
    const action = `${service.prefix}:${random.pick(service.actions)}`
    if (!random.chance(this.shape.wildcardShare)) return action
    return random.chance(0.1) ? random.pick(SUPPORT_WILDCARDS) : wildcardOf(random, action)
  }

  private arn(): string {
    const { random } = this
    return random.pick(SERVICES).arn(random, this.accountId, random.pick(NAMES))
  }

  /** An app-style statement on one service, scoped to its ARNs. */
  private statement(effect: 'Allow' | 'Deny'): StatementJson {
    const { random, shape } = this
    const service = random.pick(SERVICES)
    const name = random.pick(NAMES)
    const actions = new Set<string>()
    for (let left = 1 + drawCount(random, 1 + shape.extraActions); left > 0; left--) {
      const action = `${service.prefix}:${random.pick(service.actions)}`
      actions.add(random.chance(shape.wildcardShare) ? wildcardOf(random, action) : action)
    }
    const resources = new Set<string>()
    for (let left = 1 + drawCount(random, shape.extraResources); left > 0; left--)
      resources.add(service.arn(random, this.accountId, name))
    const list = (items: Set<string>): StringOrList =>
      items.size === 1 ? ([...items][0] as string) : [...items]
    const statement: StatementJson = { Effect: effect, Action: list(actions), Resource: list(resources) }
    if (random.chance(0.2)) statement.Condition = { StringEquals: { 'aws:RequestedRegion': region(random) } }
    return statement
  }

  /** A Deny statement: about a third name Support actions, the rest other services. */
  private deny(): StatementJson {
    const { random } = this
    if (random.chance(1 / 3)) return structuredClone(random.pick(SUPPORT_DENIES))
    return { Effect: 'Deny', Action: [...random.pick(OTHER_DENIES)], Resource: '*' }
  }
}
