/**
 * Policy documents of an exact size, as IAM counts it: characters other than whitespace.
 * Built from realistic statements (several services, wildcards, conditions, denies) and
 * padded to the size through the last statement's `Sid`, so they are valid documents.
 */
import type { PolicyDocumentJson, StatementJson } from '../synthetic/account-types.ts'

/** IAM's size quotas for policy documents, in characters other than whitespace. */
export const IAM_LIMITS = {
  /** A customer managed policy version. */
  managedPolicy: 6144,
  /** All inline policies of one role together. */
  roleInline: 10_240,
  /** A role's trust policy, at its raised maximum (the default quota is 2,048). */
  trustPolicy: 4096,
  /** Managed policies attached to one role, at the raised maximum (default 10). */
  roleAttached: 20,
  /** Inline policies of one role are bounded only by their aggregate size; 10 is a large count. */
  roleInlineCount: 10,
} as const

/** The size IAM charges a document: its compact JSON with whitespace removed. */
export function iamSize(document: unknown): number {
  return JSON.stringify(document).replace(/\s/g, '').length
}

/** A statement that never mentions AWS Support, picked by index so documents vary. */
function fillerStatement(index: number, accountId: string): StatementJson {
  switch (index % 5) {
    case 0:
      return {
        Sid: `ReadBucket${index}`,
        Effect: 'Allow',
        Action: ['s3:GetObject', 's3:ListBucket'],
        Resource: [`arn:aws:s3:::team-${index}-data`, `arn:aws:s3:::team-${index}-data/*`],
      }
    case 1:
      return {
        Sid: `Describe${index}`,
        Effect: 'Allow',
        Action: ['ec2:Describe*', 'rds:Describe*'],
        Resource: '*',
      }
    case 2:
      return {
        Sid: `Logs${index}`,
        Effect: 'Allow',
        Action: ['logs:GetLogEvents', 'logs:FilterLogEvents'],
        Resource: `arn:aws:logs:us-east-1:${accountId}:log-group:/app/service-${index}:*`,
        Condition: { StringEquals: { 'aws:RequestedRegion': 'us-east-1' } },
      }
    case 3:
      return { Sid: `NoIamDelete${index}`, Effect: 'Deny', Action: 'iam:Delete*', Resource: '*' }
    default:
      return {
        Sid: `Queue${index}`,
        Effect: 'Allow',
        NotAction: ['sqs:DeleteQueue', 'sqs:SetQueueAttributes'],
        Resource: `arn:aws:sqs:us-east-1:${accountId}:queue-${index}`,
      }
  }
}

/**
 * A document of exactly `size` characters: `lead` first, then statements from `next`, then
 * `tail` with its `Sid` padded. Throws when `lead` alone does not leave room for the padding.
 */
function padToSize(
  lead: readonly StatementJson[],
  size: number,
  next: (index: number) => StatementJson,
  tail: StatementJson,
): PolicyDocumentJson {
  const document: PolicyDocumentJson = { Version: '2012-10-17', Statement: [...lead] }
  const statements = document.Statement as StatementJson[]
  statements.push(tail)
  for (let index = 0; ; index++) {
    const candidate = next(index)
    if (iamSize(document) + iamSize(candidate) + 1 > size) break
    statements.splice(statements.length - 1, 0, candidate)
  }
  const missing = size - iamSize(document)
  if (missing < 0) throw new RangeError(`the lead statements alone exceed ${size} characters`)
  tail.Sid = `Pad${'0'.repeat(missing)}`
  return document
}

/**
 * An identity policy of exactly `size` characters. With `support`, its first statement
 * allows those actions; with `denySupport`, it denies `support:*`; otherwise it never
 * mentions AWS Support.
 */
export function sizedIdentityPolicy(
  size: number,
  options: {
    readonly accountId: string
    readonly support?: readonly string[]
    readonly denySupport?: boolean
  },
): PolicyDocumentJson {
  const lead: StatementJson[] = []
  if (options.support !== undefined && options.support.length > 0)
    lead.push({ Sid: 'SupportCases', Effect: 'Allow', Action: [...options.support], Resource: '*' })
  if (options.denySupport) lead.push({ Sid: 'NoSupport', Effect: 'Deny', Action: 'support:*', Resource: '*' })
  const tail: StatementJson = { Sid: 'Pad', Effect: 'Deny', Action: 'iam:DeleteAccountAlias', Resource: '*' }
  return padToSize(lead, size, (index) => fillerStatement(index, options.accountId), tail)
}

/**
 * A trust policy of exactly `size` characters: roles of the account may assume it (each with
 * an external ID condition), and, with `externalAccount`, a role of that other account too.
 */
export function sizedTrustPolicy(
  size: number,
  options: { readonly accountId: string; readonly externalAccount?: string },
): PolicyDocumentJson {
  const lead: StatementJson[] = []
  if (options.externalAccount !== undefined)
    lead.push({
      Sid: 'Vendor',
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${options.externalAccount}:root` },
      Action: 'sts:AssumeRole',
    })
  const team = (index: number): StatementJson => ({
    Sid: `Team${index}`,
    Effect: 'Allow',
    Principal: { AWS: `arn:aws:iam::${options.accountId}:role/team-${index}-operator` },
    Action: 'sts:AssumeRole',
    Condition: { StringEquals: { 'sts:ExternalId': `team-${index}` } },
  })
  return padToSize(lead, size, team, { ...team(9999), Sid: 'Pad' })
}
