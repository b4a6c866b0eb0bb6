import * as z from 'zod'
import { findCatalogAction } from '#shared/catalog/catalog.ts'
import { CONSOLE_ACTIONS_FOR_SUPPORT_CENTER, CORE_SUPPORT_ACTIONS } from '#shared/catalog/support-actions.ts'
import { isArnPattern } from './arn-pattern.ts'
import { DEFAULT_ENFORCE_RULES, DEFAULT_NEVER_MODIFY, RULE_IDS, SEVERITIES } from './rules.ts'

const UNKNOWN_KEY = 'unknown key (check the spelling)'

const arnPatternSchema = z
  .string({ error: 'expected an IAM ARN pattern (a string)' })
  .refine(isArnPattern, { error: 'expected an IAM ARN pattern' })

const arnPatternListSchema = z
  .array(arnPatternSchema, { error: 'expected a list of IAM ARN patterns' })
  .default([])

/** Accepts any spelling of a catalog `support:` action and keeps the catalog's canonical name. */
const supportActionSchema = z.string({ error: 'expected a support: action name' }).transform((value, ctx) => {
  const action = findCatalogAction(value)
  if (action?.namespace !== 'support') {
    ctx.issues.push({
      code: 'custom',
      input: value,
      message: `expected a support: action from the catalog, got ${JSON.stringify(value)}`,
    })
    return z.NEVER
  }
  return action.name
})

/** Accepts any spelling of a catalog `support-console:` action and keeps the catalog's canonical name. */
const consoleActionSchema = z
  .string({ error: 'expected a support-console: action name' })
  .transform((value, ctx) => {
    const action = findCatalogAction(value)
    if (action?.namespace !== 'support-console') {
      ctx.issues.push({
        code: 'custom',
        input: value,
        message: `expected a support-console: action from the catalog, got ${JSON.stringify(value)}`,
      })
      return z.NEVER
    }
    return action.name
  })

const accountIdSchema = z
  .string({ error: 'expected a 12-digit AWS account ID (a string)' })
  .regex(/^\d{12}$/, { error: 'expected a 12-digit AWS account ID' })

const severitySchema = z.enum(SEVERITIES, { error: `expected a severity (${SEVERITIES.join(', ')})` })

/**
 * The guard config (docs/contracts.md#guard-config, generated from the descriptions here).
 * Unknown keys are rejected so that a misspelt field is not silently ignored.
 */
export const guardConfigSchema = z.strictObject(
  {
    mode: z
      .enum(['monitor', 'enforce'], { error: 'expected "monitor" or "enforce"' })
      .default('monitor')
      .describe('`monitor` flags only; `enforce` also reverts. The deploy parameter `Mode` wins over it.'),
    supportPrincipals: z
      .strictObject(
        {
          required: arnPatternListSchema.describe(
            'ARN patterns (`*`, `?`) of principals that must keep the required support actions; they are also baselined.',
          ),
          approved: arnPatternListSchema.describe(
            'ARN patterns of principals allowed to hold support access.',
          ),
        },
        { error: (issue) => (issue.code === 'unrecognized_keys' ? UNKNOWN_KEY : 'expected an object') },
      )
      .prefault({})
      .describe('Who must keep support access, and who may hold it.'),
    requiredSupportActions: z
      .array(supportActionSchema, { error: 'expected a list of support: action names' })
      .min(1, { error: 'expected at least one support: action' })
      .transform((actions) => [...new Set(actions)])
      .default([...CORE_SUPPORT_ACTIONS])
      .describe('The `support:` actions that make up support access.'),
    supportApp: z
      .strictObject(
        {
          roles: arnPatternListSchema.describe(
            'Support App roles besides those found by trust or by a Slack channel configuration.',
          ),
          access: z
            .enum(['full', 'read-only'], { error: 'expected "full" or "read-only"' })
            .default('full')
            .describe('What the Support App roles need: `full` or `read-only` access.'),
        },
        { error: (issue) => (issue.code === 'unrecognized_keys' ? UNKNOWN_KEY : 'expected an object') },
      )
      .prefault({})
      .describe('The AWS Support App in Slack: its roles and the access they need.'),
    ignoreActors: arnPatternListSchema.describe('Callers whose changes are recorded but never judged.'),
    enforceRules: z
      .array(z.enum(RULE_IDS, { error: 'unknown rule ID' }), { error: 'expected a list of rule IDs' })
      .transform((rules) => [...new Set(rules)])
      .default([...DEFAULT_ENFORCE_RULES])
      .describe(
        'Rules whose findings enforce mode reverts (never below medium). Giving the field replaces the list.',
      ),
    neverModify: z
      .array(arnPatternSchema, { error: 'expected a list of IAM ARN patterns' })
      .default([...DEFAULT_NEVER_MODIFY])
      .describe(
        'ARN patterns of principals the guard reports on but never writes. Giving the field replaces the list.',
      ),
    organizationId: z
      .string({ error: 'expected an AWS Organizations ID (a string)' })
      .regex(/^o-[a-z0-9]{10,32}$/, { error: 'expected an AWS Organizations ID such as o-abc123def4' })
      .optional()
      .describe(
        'The AWS Organization of the account: trust conditioned on `aws:PrincipalOrgID` equal to it is in-house.',
      ),
    trustedAccounts: z
      .array(accountIdSchema, { error: 'expected a list of 12-digit AWS account IDs' })
      .transform((accounts) => [...new Set(accounts)])
      .default([])
      .describe("12-digit IDs of the owner's other accounts: trust of their principals is in-house."),
    requiredConsoleActions: z
      .array(consoleActionSchema, { error: 'expected a list of support-console: action names' })
      .transform((actions) => [...new Set(actions)])
      .default([...CONSOLE_ACTIONS_FOR_SUPPORT_CENTER])
      .describe(
        '`support-console:` actions a person with support access needs for the Support Center console; `[]` turns the console checks off.',
      ),
    severityOverrides: z
      .partialRecord(z.enum(RULE_IDS), severitySchema, {
        error: (issue) =>
          issue.code === 'invalid_type' ? 'expected an object of rule ID to severity' : 'unknown rule ID',
      })
      .default({})
      .describe('Rule ID to severity, applied to every finding of the rule.'),
  },
  { error: (issue) => (issue.code === 'unrecognized_keys' ? UNKNOWN_KEY : 'expected a JSON object') },
)
