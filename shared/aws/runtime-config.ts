import * as z from 'zod'
import { type GuardConfig, loadGuardConfigText } from '#shared/config/guard-config.ts'
import { InputError } from '#shared/errors/input-error.ts'
import { NOTIFY_FORMATS, type NotifyFormat, parseNotifyFormat } from '#shared/notify/format-mode.ts'
import { GUARD_MODES, type GuardMode } from '#shared/pipeline/bus-events.ts'

/**
 * A function's environment is incomplete or invalid: fail the cold start naming the variable
 * (`path`) and what is wrong with it; `cause` is the zod error.
 */
export class RuntimeConfigError extends InputError {
  override readonly name = 'RuntimeConfigError'

  constructor(variable: string, problem: string, options: { cause?: unknown } = {}) {
    super(`environment variable ${variable} ${problem}`, { path: variable, ...options })
  }
}

/** An environment to read: `process.env`, or a plain object in tests. */
export type Environment = Readonly<Record<string, string | undefined>>

/** Set and not blank; the value without surrounding blanks. */
const required = z.string({ error: 'is not set' }).trim().min(1, { error: 'is not set' })

/** Absent or blank is `undefined`; else the value without surrounding blanks. */
const optional = z
  .string()
  .optional()
  .transform((value) => value?.trim() || undefined)

/** Every environment variable the guard reads, with the value it reads it as. */
interface VariableValues {
  readonly GUARD_CONFIG: string | undefined
  readonly GUARD_MODE: GuardMode | undefined
  readonly FINDINGS_BUS_NAME: string
  readonly BASELINE_TABLE_NAME: string
  readonly IDEMPOTENCY_TABLE_NAME: string
  readonly NOTIFICATION_TOPIC_ARN: string
  readonly NOTIFY_STATE_TABLE_NAME: string
  readonly NOTIFY_FORMAT: NotifyFormat
  readonly GUARD_REMEDIATION_ROLE_ARN: string | undefined
  readonly ORGANIZATION_ID: string | undefined
  readonly AUDIT_QUEUE_URL: string | undefined
  readonly AUDIT_RUN_TABLE_NAME: string | undefined
  readonly AWS_ENDPOINT_URL_SUPPORTAPP: string | undefined
  readonly AWS_ENDPOINT_URL: string | undefined
}

export type VariableName = keyof VariableValues

/**
 * How each variable is read: the functions read their settings (the template sets them) here
 * and nowhere else, at cold start; the CLI reads the endpoint overrides through the same table.
 */
const VARIABLES: { readonly [N in VariableName]: z.ZodType<VariableValues[N]> } = {
  /** The guard config as JSON (the template resolves an SSM parameter into it); absent: defaults. */
  GUARD_CONFIG: optional,
  /** The deploy parameter; wins over the config's `mode`. */
  GUARD_MODE: z
    .enum(GUARD_MODES, { error: (issue) => `must be monitor or enforce, got ${String(issue.input)}` })
    .optional(),
  FINDINGS_BUS_NAME: required,
  BASELINE_TABLE_NAME: required,
  IDEMPOTENCY_TABLE_NAME: required,
  NOTIFICATION_TOPIC_ARN: required,
  NOTIFY_STATE_TABLE_NAME: required,
  /** `text` (default) or `chatbot`, in any case (see format-mode.ts). */
  NOTIFY_FORMAT: z
    .string()
    .optional()
    .transform((value, context) => {
      const format = parseNotifyFormat(value)
      if (format !== undefined) return format
      context.issues.push({
        code: 'custom',
        input: value,
        message: `must be one of ${NOTIFY_FORMATS.join(', ')}, got ${value}`,
      })
      return z.NEVER
    }),
  /** The remediate function's role: detect tells the guard's own writes from others' by it. */
  GUARD_REMEDIATION_ROLE_ARN: optional,
  /**
   * Set when the guard is the central guard of an organisation (the template passes the
   * organisation's ID): the functions then reach member accounts and name them. Absent or blank:
   * the guard guards its own account only.
   */
  /** The central guard's queue of accounts to audit (one message each); set with ORGANIZATION_ID. */
  AUDIT_QUEUE_URL: optional,
  /** Where an organisation's audit runs are counted; set with ORGANIZATION_ID. */
  AUDIT_RUN_TABLE_NAME: optional,
  ORGANIZATION_ID: optional.pipe(
    z
      .string()
      .regex(/^o-[a-z0-9]{10,32}$/, {
        error: (issue) => `must be an organisation ID such as o-a1b2c3d4e5, got ${String(issue.input)}`,
      })
      .optional(),
  ),
  /** Endpoint overrides the SDK clients honour; the Support App reader (no SDK client) reads them here. */
  AWS_ENDPOINT_URL_SUPPORTAPP: optional,
  AWS_ENDPOINT_URL: optional,
}

/** The variables that must be set: a table, a bus, a topic. */
export type RequiredVariableName = {
  [N in VariableName]: VariableValues[N] extends string
    ? string extends VariableValues[N]
      ? N
      : never
    : never
}[VariableName]

/**
 * One environment variable, validated by its schema in `VARIABLES`.
 * @throws RuntimeConfigError naming the variable and what is wrong with it.
 */
export function readEnv<N extends VariableName>(name: N, env: Environment = process.env): VariableValues[N] {
  const parsed = VARIABLES[name].safeParse(env[name])
  if (parsed.success) return parsed.data
  throw new RuntimeConfigError(name, parsed.error.issues[0]?.message ?? 'is invalid', { cause: parsed.error })
}

/** A variable that must be set (a table, a bus, a topic), read once at cold start. */
export function requireEnv(name: RequiredVariableName, env: Environment = process.env): string {
  return readEnv(name, env)
}

/** The notify function's configuration, read once at cold start. */
export interface NotifyConfig {
  readonly topicArn: string
  readonly stateTableName: string
  readonly format: NotifyFormat
}

/**
 * Reads `NOTIFICATION_TOPIC_ARN`, `NOTIFY_STATE_TABLE_NAME` and the optional `NOTIFY_FORMAT`
 * (`text` | `chatbot`, default `text`); throws `RuntimeConfigError` naming the first bad variable.
 */
export function readNotifyConfig(env: Environment = process.env): NotifyConfig {
  return {
    topicArn: readEnv('NOTIFICATION_TOPIC_ARN', env),
    stateTableName: readEnv('NOTIFY_STATE_TABLE_NAME', env),
    format: readEnv('NOTIFY_FORMAT', env),
  }
}

/**
 * The guard config from `GUARD_CONFIG` (JSON; the template resolves an SSM parameter into it
 * when one is named). `GUARD_MODE`, the deploy parameter, wins over the config's `mode`.
 */
export function loadRuntimeGuardConfig(env: Environment = process.env): {
  config: GuardConfig
  mode: GuardMode
} {
  const config = loadGuardConfigText(readEnv('GUARD_CONFIG', env) ?? '{}', 'GUARD_CONFIG')
  return { config, mode: readEnv('GUARD_MODE', env) ?? config.mode }
}
