import * as z from 'zod'
import { RULE_IDS, SEVERITIES } from '#shared/config/rules.ts'
import { findingEventDetailSchema, GUARD_MODES } from '#shared/pipeline/bus-events.ts'
import { remediationStepSchema } from '#shared/pipeline/remediation-steps.ts'

/**
 * The JSON documents the CLI prints with `--format json` (docs/contracts.md#audit-json,
 * #who-can-json, #replay-json). The CLI builds them from its own types (`AuditReport`,
 * `WhoCanReport`, `ReplayReport`); these schemas state the contract. The CLI tests parse its
 * real output with them, a type test keeps them equal to those types, and `npm run docs`
 * writes docs/contracts.md and docs/schemas/ from them. Objects take no keys besides theirs.
 */

const text = z.string().min(1)

const accountIdSchema = z.string().regex(/^\d{12}$/)

/** A user, role, group or managed policy ARN, or the account root, in any partition. */
const iamArnSchema = z.string().regex(/^arn:[a-z-]+:iam::/)

/** How the evaluator answers one question about one principal. */
export const DECISIONS = ['allow', 'deny', 'conditional'] as const

/** One finding as the audit report carries it (docs/contracts.md#findings). */
export const reportFindingSchema = z.strictObject({
  id: text.describe('Stable ID (`sag-` and 20 hex digits): the same rule on the same subject keeps it.'),
  rule: z.enum(RULE_IDS).describe('The rule that raised the finding.'),
  severity: z.enum(SEVERITIES).describe('The rule default, or what the rule or the config chose.'),
  accountId: accountIdSchema.describe('The audited account.'),
  principalArn: iamArnSchema
    .nullable()
    .describe(
      'The user or role; a managed policy for a policy-level finding; the group for a group inline policy; the account root for an account-level one. Null when a required pattern matches nobody: the pattern is in `evidence.pattern`.',
    ),
  title: text.describe('One line.'),
  detail: text.describe('What was found, with the ARNs and actions involved.'),
  evidence: z
    .record(z.string(), z.unknown())
    .describe('What the rule saw: statements, decisions, trust grants; the keys depend on the rule.'),
  remediation: z
    .strictObject({
      automatic: z.boolean().describe('Enforce mode reverts this finding by itself.'),
      steps: z.array(z.string()).describe('What a person should do, in order.'),
    })
    .describe('What the guard can do about the finding, and what a person should do.'),
})

/** The `audit --format json` report (docs/contracts.md#audit-json). */
export const auditReportSchema = z.strictObject({
  schemaVersion: z.literal(1).describe('Raised when a field changes meaning or goes away.'),
  accountId: accountIdSchema.describe('The account of the export.'),
  findings: z.array(reportFindingSchema).describe('Most severe first, then by rule and principal.'),
  access: z
    .array(
      z.strictObject({
        principalArn: iamArnSchema.describe('A user or role of the export.'),
        principalType: z.enum(['user', 'role']).describe('What the principal is.'),
        decisions: z
          .record(z.string(), z.enum(DECISIONS))
          .describe(
            'One entry per `support:` and `support-console:` action of the catalog, named as the catalog spells it.',
          ),
      }),
    )
    .describe('Every user and role of the export, each once.'),
})

/** `audit --format json` over several accounts (docs/contracts.md#organization-audit-json). */
export const organizationAuditReportSchema = z.strictObject({
  schemaVersion: z.literal(1).describe('Raised when a field changes meaning or goes away.'),
  organizationId: text
    .optional()
    .describe('The organisation, when an organisation file went with the exports.'),
  accounts: z
    .array(auditReportSchema)
    .describe('One audit report per export, in the order read: each as the single-account report is.'),
})

/** The `who-can ACTION --format json` document (docs/contracts.md#who-can-json). */
export const whoCanSchema = z.strictObject({
  action: text.describe('The action asked about, as the catalog spells it.'),
  principals: z
    .array(
      z.strictObject({
        principalArn: iamArnSchema.describe('A user or role allowed the action, directly or through a role.'),
        decision: z
          .enum(['allow', 'conditional'])
          .describe('`conditional`: the grant rests on a condition the guard cannot settle.'),
        via: z
          .array(z.string())
          .describe(
            'The policies that grant it; through a role, `assumes <role ARN>` and then the policies of that role.',
          ),
      }),
    )
    .describe('Principals denied the action are not listed.'),
})

/** Why the guard acknowledges a record without a verdict (`IgnoreReason`). */
export const IGNORE_REASONS = ['unknown-event', 'read-only', 'not-cloudtrail'] as const

/** How the guard classifies a call it judges (`ChangeKind`). */
export const CHANGE_KINDS = [
  'policy-attachment',
  'inline-policy',
  'policy-version',
  'managed-policy',
  'trust-policy',
  'permissions-boundary',
  'group-membership',
  'principal-lifecycle',
  'tagging',
  'service-linked-role',
  'support-app-channel',
  'support-permit',
  'support-plan',
  'identity-provider',
  'identity-center',
] as const

/** The `replay EVENT_FILE --format json` document (docs/contracts.md#replay-json). */
export const replaySchema = z.strictObject({
  change: z
    .strictObject({
      eventName: text.describe('The call, or `unknown`.'),
      eventId: text.describe('The CloudTrail event ID, or one derived from the record.'),
      eventIdDerived: z
        .literal(true)
        .optional()
        .describe('The record has no `eventID`: `eventId` is `derived-` and a hash of its content.'),
      eventSource: text.optional().describe('The service of the call, e.g. `iam.amazonaws.com`.'),
      eventTime: text.optional().describe('When the call was made, as the record says.'),
      accountId: text.optional().describe('The account the call was made in.'),
      actorArn: text.describe('Who made the call (the role behind an assumed-role session), or `unknown`.'),
      failed: z.boolean().describe('CloudTrail recorded an `errorCode`: an attempt.'),
      errorCode: text.optional().describe('The error of a failed call.'),
      targets: z.array(z.string()).describe('ARNs the call touches, principals first.'),
      kind: z.enum(CHANGE_KINDS).optional().describe('How the guard classifies the call.'),
      ignored: z
        .enum(IGNORE_REASONS)
        .optional()
        .describe('The guard acknowledges the record without a verdict, and why.'),
    })
    .describe('What the record says of itself, and how the guard classifies it.'),
  findings: z.array(findingEventDetailSchema).describe('The findings detect would put on the findings bus.'),
  remediation: z
    .strictObject({
      mode: z.enum(GUARD_MODES).describe('The mode of the config.'),
      wouldApply: z.boolean().describe('Enforce mode, and nothing withholds the revert.'),
      reason: z.string().describe('The change the revert undoes, in words.'),
      withheld: z
        .string()
        .optional()
        .describe('Why enforce mode would leave the finding alone (`not in enforceRules`, …).'),
      steps: z.array(remediationStepSchema).describe('The IAM writes of the revert.'),
      commands: z.array(z.string()).describe('Each step as the AWS CLI command that does the same.'),
    })
    .nullable()
    .describe('The revert detect would plan; null when it plans none.'),
})

export type ReportFindingJson = z.infer<typeof reportFindingSchema>
export type AuditReportJson = z.infer<typeof auditReportSchema>
export type WhoCanJson = z.infer<typeof whoCanSchema>
export type ReplayJson = z.infer<typeof replaySchema>
