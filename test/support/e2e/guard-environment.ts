import type { GuardMode } from '#shared/pipeline/bus-events.ts'
import { E2E_REGION } from './cloudtrail-event.ts'
import { type GuardStack, REMEDIATION_ROLE_ARN } from './guard-stack.ts'

/**
 * The guard config of the scenarios: SupportTeam and SupportEscalation must keep support access,
 * roles named Admin* may have it, AWSSupportAppRole is the Support App role (full access).
 */
export const E2E_GUARD_CONFIG = {
  supportPrincipals: {
    required: ['arn:aws:iam::*:role/SupportTeam', 'arn:aws:iam::*:role/SupportEscalation'],
    approved: ['arn:aws:iam::*:role/Admin*'],
  },
  supportApp: { roles: ['arn:aws:iam::*:role/AWSSupportAppRole'], access: 'full' },
} as const

/**
 * The environment the functions get from template.yaml, pointed at the emulator: every SDK
 * client created with `{}` takes its endpoint from AWS_ENDPOINT_URL and the static credentials.
 * One process hosts all four functions, so this is the union of their variables. `config` is
 * the guard config (GUARD_CONFIG), the scenarios' one unless given.
 */
export function buildGuardEnvironment(
  endpoint: string,
  stack: GuardStack,
  mode: GuardMode,
  logLevel: string,
  config: object = E2E_GUARD_CONFIG,
): Record<string, string | undefined> {
  return {
    AWS_ENDPOINT_URL: endpoint,
    AWS_REGION: E2E_REGION,
    AWS_DEFAULT_REGION: E2E_REGION,
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
    AWS_SESSION_TOKEN: undefined,
    AWS_PROFILE: undefined,
    GUARD_MODE: mode,
    GUARD_CONFIG: JSON.stringify(config),
    FINDINGS_BUS_NAME: stack.findingsBusName,
    BASELINE_TABLE_NAME: stack.baselineTableName,
    IDEMPOTENCY_TABLE_NAME: stack.idempotencyTableName,
    NOTIFY_STATE_TABLE_NAME: stack.notifyStateTableName,
    NOTIFICATION_TOPIC_ARN: stack.topicArn,
    GUARD_REMEDIATION_ROLE_ARN: REMEDIATION_ROLE_ARN,
    // Set per invocation by the bundle loader; listed so that it is restored afterwards.
    AWS_LAMBDA_FUNCTION_NAME: undefined,
    POWERTOOLS_SERVICE_NAME: 'support-guard',
    POWERTOOLS_METRICS_NAMESPACE: 'SupportAccessGuard',
    POWERTOOLS_LOG_LEVEL: logLevel,
    // The metrics' EMF lines go to stdout for CloudWatch to collect; nothing collects them here,
    // and in `npm start` they would bury the timeline.
    POWERTOOLS_METRICS_DISABLED: 'true',
  }
}

/** Sets variables (undefined removes one) and returns a function that puts the previous values back. */
export function applyEnvironment(variables: Readonly<Record<string, string | undefined>>): () => void {
  const previous = new Map<string, string | undefined>()
  for (const [name, value] of Object.entries(variables)) {
    if (!previous.has(name)) previous.set(name, process.env[name])
    setVariable(name, value)
  }
  return () => {
    for (const [name, value] of previous) setVariable(name, value)
  }
}

function setVariable(name: string, value: string | undefined): void {
  if (value === undefined) delete process.env[name]
  else process.env[name] = value
}
