import { matchesAnyArnPattern } from '#shared/config/arn-pattern.ts'
import type { GuardConfig } from '#shared/config/guard-config.ts'
import type { RuleId } from '#shared/config/rules.ts'
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
 * Findings that leave a principal's protected access intact: a console gap (the support
 * actions are there; a later loss of them must still be revertible to this state) and a
 * statement that grants nothing. They do not keep a principal from being baselined.
 */
const BASELINE_NEUTRAL_RULES: ReadonlySet<RuleId> = new Set([
  'SUPPORT_CONSOLE_ACCESS_MISSING',
  'SUPPORT_RESOURCE_SCOPE_INEFFECTIVE',
])

/**
 * The ARNs findings name, as `exclude`: a finding about a config pattern (no ARN) excludes
 * nobody, nor does a finding of a rule that leaves the protected access intact.
 */
export function principalsWithFindings(
  findings: readonly { readonly rule: RuleId; readonly principalArn: string | null }[],
): Set<string> {
  const arns = new Set<string>()
  for (const finding of findings)
    if (finding.principalArn !== null && !BASELINE_NEUTRAL_RULES.has(finding.rule))
      arns.add(finding.principalArn)
  return arns
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
