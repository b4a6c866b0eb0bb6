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

/** DESIGN.md §4 "Guard config". Unknown keys are rejected so that a misspelt field is not silently ignored. */
export const guardConfigSchema = z.strictObject(
  {
    mode: z.enum(['monitor', 'enforce'], { error: 'expected "monitor" or "enforce"' }).default('monitor'),
    supportPrincipals: z
      .strictObject(
        { required: arnPatternListSchema, approved: arnPatternListSchema },
        { error: (issue) => (issue.code === 'unrecognized_keys' ? UNKNOWN_KEY : 'expected an object') },
      )
      .prefault({}),
    requiredSupportActions: z
      .array(supportActionSchema, { error: 'expected a list of support: action names' })
      .min(1, { error: 'expected at least one support: action' })
      .transform((actions) => [...new Set(actions)])
      .default([...CORE_SUPPORT_ACTIONS]),
    supportApp: z
      .strictObject(
        {
          roles: arnPatternListSchema,
          access: z.enum(['full', 'read-only'], { error: 'expected "full" or "read-only"' }).default('full'),
        },
        { error: (issue) => (issue.code === 'unrecognized_keys' ? UNKNOWN_KEY : 'expected an object') },
      )
      .prefault({}),
    ignoreActors: arnPatternListSchema,
    enforceRules: z
      .array(z.enum(RULE_IDS, { error: 'unknown rule ID' }), { error: 'expected a list of rule IDs' })
      .transform((rules) => [...new Set(rules)])
      .default([...DEFAULT_ENFORCE_RULES]),
    neverModify: z
      .array(arnPatternSchema, { error: 'expected a list of IAM ARN patterns' })
      .default([...DEFAULT_NEVER_MODIFY]),
    organizationId: z
      .string({ error: 'expected an AWS Organizations ID (a string)' })
      .regex(/^o-[a-z0-9]{10,32}$/, { error: 'expected an AWS Organizations ID such as o-abc123def4' })
      .optional(),
    trustedAccounts: z
      .array(accountIdSchema, { error: 'expected a list of 12-digit AWS account IDs' })
      .transform((accounts) => [...new Set(accounts)])
      .default([]),
    requiredConsoleActions: z
      .array(consoleActionSchema, { error: 'expected a list of support-console: action names' })
      .transform((actions) => [...new Set(actions)])
      .default([...CONSOLE_ACTIONS_FOR_SUPPORT_CENTER]),
    severityOverrides: z
      .partialRecord(z.enum(RULE_IDS), severitySchema, {
        error: (issue) =>
          issue.code === 'invalid_type' ? 'expected an object of rule ID to severity' : 'unknown rule ID',
      })
      .default({}),
  },
  { error: (issue) => (issue.code === 'unrecognized_keys' ? UNKNOWN_KEY : 'expected a JSON object') },
)
