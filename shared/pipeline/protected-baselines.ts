import { matchesAnyArnPattern } from '#shared/config/arn-pattern.ts'
import type { GuardConfig } from '#shared/config/guard-config.ts'
import type { CompiledAccount } from '#shared/evaluator/compile-account.ts'
import { compileAccount } from '#shared/evaluator/compile-account.ts'
import { findSupportAppRoles } from '#shared/posture/context.ts'
import type { AccountSnapshot } from '#shared/snapshot/types.ts'
import { type Baseline, captureBaseline } from './baseline.ts'

export interface CaptureOptions {
  readonly recordedAt: string
  /** CloudTrail event ID, `audit` or `snapshot`. */
  readonly source: string
  /** Principals not to baseline (they have findings: not known-good). */
  readonly exclude?: ReadonlySet<string>
  /** The snapshot already compiled, to avoid compiling it again. */
  readonly compiled?: CompiledAccount
}

/**
 * Baselines of the protected principals of `snapshot`: the required support principals
 * and the Support App roles. Detect, the audit and replay all record them the same way.
 */
export function captureProtectedBaselines(
  snapshot: AccountSnapshot,
  config: GuardConfig,
  options: CaptureOptions,
): Baseline[] {
  const appRoles = new Set(
    findSupportAppRoles(options.compiled ?? compileAccount(snapshot), config).map((role) => role.arn),
  )
  const policies = new Map(snapshot.policies.map((policy) => [policy.arn, policy]))
  return [...snapshot.roles, ...snapshot.users]
    .filter(
      (record) =>
        (appRoles.has(record.arn) || matchesAnyArnPattern(config.supportPrincipals.required, record.arn)) &&
        !options.exclude?.has(record.arn),
    )
    .map((record) =>
      captureBaseline(snapshot.accountId, record, policies, {
        supportApp: appRoles.has(record.arn),
        recordedAt: options.recordedAt,
        source: options.source,
      }),
    )
}
