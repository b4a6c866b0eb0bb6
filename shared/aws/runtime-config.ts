import { type GuardConfig, loadGuardConfigText } from '#shared/config/guard-config.ts'
import type { GuardMode } from '#shared/pipeline/bus-events.ts'

/** A function's environment is incomplete or invalid: fail the cold start with the variable's name. */
export class RuntimeConfigError extends Error {
  override readonly name = 'RuntimeConfigError'
}

/** Reads a required environment variable once, at cold start. */
export function requireEnv(name: string, env: NodeJS.ProcessEnv = process.env): string {
  const value = env[name]
  if (!value) throw new RuntimeConfigError(`environment variable ${name} is not set`)
  return value
}

/**
 * The guard config from `GUARD_CONFIG` (JSON; the template resolves an SSM parameter into it
 * when one is named). `GUARD_MODE`, the deploy parameter, wins over the config's `mode`.
 */
export function loadRuntimeGuardConfig(env: NodeJS.ProcessEnv = process.env): {
  config: GuardConfig
  mode: GuardMode
} {
  const config = loadGuardConfigText(env.GUARD_CONFIG?.trim() || '{}', 'GUARD_CONFIG')
  const mode = env.GUARD_MODE ?? config.mode
  if (mode !== 'monitor' && mode !== 'enforce')
    throw new RuntimeConfigError(`GUARD_MODE must be monitor or enforce, got ${mode}`)
  return { config, mode }
}
