import { vi } from 'vitest'

const saved = { ...process.env }

export const FINDINGS_BUS = 'support-guard-findings'
export const BASELINE_TABLE = 'support-guard-baselines'
export const IDEMPOTENCY_TABLE = 'support-guard-idempotency'
export const REMEDIATION_ROLE = 'arn:aws:iam::123456789012:role/support-guard-RemediateRole-1A2B3C'

/** What the template gives every function, with a throwaway region and credentials. */
const BASE_ENV: Readonly<Record<string, string>> = {
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
  AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  POWERTOOLS_LOG_LEVEL: 'SILENT',
  POWERTOOLS_DEV: 'false',
  POWERTOOLS_SERVICE_NAME: 'support-guard',
  POWERTOOLS_METRICS_NAMESPACE: 'SupportAccessGuard',
  // Powertools' own switch: the handlers still record metrics, the test output stays readable.
  // One test turns it off again to see the metric lines Lambda would ship to CloudWatch.
  POWERTOOLS_METRICS_DISABLED: 'true',
  GUARD_MODE: 'monitor',
  GUARD_CONFIG: '',
  FINDINGS_BUS_NAME: FINDINGS_BUS,
  BASELINE_TABLE_NAME: BASELINE_TABLE,
  IDEMPOTENCY_TABLE_NAME: IDEMPOTENCY_TABLE,
  GUARD_REMEDIATION_ROLE_ARN: REMEDIATION_ROLE,
}

/**
 * Sets a fresh function environment (a value of `undefined` removes the variable) and
 * forgets loaded modules, so the next `import()` of a handler is a cold start.
 */
export function prepareColdStart(overrides: Readonly<Record<string, string | undefined>> = {}): void {
  vi.resetModules()
  const env: Record<string, string | undefined> = { ...saved, ...BASE_ENV, ...overrides }
  for (const [key, value] of Object.entries(env)) if (value === undefined) delete env[key]
  process.env = env
}

export function restoreEnv(): void {
  process.env = saved
}
