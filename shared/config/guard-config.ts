import type * as z from 'zod'
import { InputError, type InputIssue } from '#shared/errors/input-error.ts'
import { guardConfigSchema } from './guard-config-schema.ts'
import type { RuleId, Severity } from './rules.ts'

/** The validated guard config, every default applied. */
export interface GuardConfig {
  readonly mode: 'monitor' | 'enforce'
  readonly supportPrincipals: {
    /** Principals that must keep the required support actions (SUPPORT_ACCESS_LOST). */
    readonly required: readonly string[]
    /** Principals allowed to hold support access without a SUPPORT_ACCESS_GRANTED finding. */
    readonly approved: readonly string[]
  }
  /** Canonical catalog names of the actions that make up "support access". */
  readonly requiredSupportActions: readonly string[]
  readonly supportApp: {
    readonly roles: readonly string[]
    readonly access: 'full' | 'read-only'
  }
  /** Actors whose changes the guard records but never flags or reverts. */
  readonly ignoreActors: readonly string[]
  /** Rules whose findings enforce mode reverts (never below medium). */
  readonly enforceRules: readonly RuleId[]
  /** Principals the guard reports on but never writes. Replaces the default list when given. */
  readonly neverModify: readonly string[]
  /** The AWS Organization the account belongs to: trust conditioned on `aws:PrincipalOrgID` equal to it is in-house. */
  readonly organizationId?: string
  /** Other accounts of the same owner: trust of their principals is in-house. */
  readonly trustedAccounts: readonly string[]
  /** `support-console:` actions a person needs for the Support Center console (SUPPORT_CONSOLE_ACCESS_MISSING). */
  readonly requiredConsoleActions: readonly string[]
  readonly severityOverrides: Readonly<Partial<Record<RuleId, Severity>>>
}

/** A problem with the config; its path starts at `config`, e.g. `config.supportPrincipals.required[0]`. */
export type ConfigIssue = InputIssue

/** A config that cannot be used: not JSON, or not valid against the schema. */
export class ConfigError extends InputError {
  override readonly name = 'ConfigError'

  constructor(message: string, issues: readonly ConfigIssue[], options: { cause?: unknown } = {}) {
    super(message, { issues, ...options })
  }
}

function formatPath(path: readonly PropertyKey[]): string {
  let text = 'config'
  for (const key of path) {
    if (typeof key === 'number') text += `[${key}]`
    else if (typeof key === 'string' && /^[A-Za-z_$][\w$]*$/.test(key)) text += `.${key}`
    else text += `[${JSON.stringify(String(key))}]`
  }
  return text
}

function listIssues(error: z.ZodError): ConfigIssue[] {
  return error.issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({ path: formatPath([...issue.path, key]), message: issue.message }))
      : [{ path: formatPath(issue.path), message: issue.message }],
  )
}

function describeIssues(issues: readonly ConfigIssue[]): string {
  return issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ')
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child)
    Object.freeze(value)
  }
  return value
}

/**
 * Validates an untrusted config value and applies the defaults; action names come back in
 * their catalog spelling. Throws ConfigError listing every problem with its field path.
 */
export function parseGuardConfig(input: unknown): GuardConfig {
  const result = guardConfigSchema.safeParse(input)
  if (!result.success) {
    const issues = listIssues(result.error)
    throw new ConfigError(describeIssues(issues), issues, { cause: result.error })
  }
  // An unset organizationId is absent, never `undefined` (zod keeps an explicit `undefined`).
  const { organizationId, ...rest } = result.data
  return deepFreeze(organizationId === undefined ? rest : { ...result.data, organizationId })
}

/** Parses config JSON text read from `source` (a file name); errors name the source. */
export function loadGuardConfigText(text: string, source: string): GuardConfig {
  let input: unknown
  try {
    input = JSON.parse(text)
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause)
    const issues = [{ path: 'config', message: `not valid JSON (${reason})` }]
    throw new ConfigError(`${source}: not valid JSON (${reason})`, issues, { cause })
  }
  try {
    return parseGuardConfig(input)
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error
    throw new ConfigError(`${source}: ${error.message}`, error.issues, { cause: error })
  }
}

/** The config used when none is given. */
export const DEFAULT_CONFIG: GuardConfig = parseGuardConfig({})
