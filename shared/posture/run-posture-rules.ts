import type { GuardConfig } from '#shared/config/guard-config.ts'
import { SEVERITIES, type Severity } from '#shared/config/rules.ts'
import type { AccountEvaluation } from '#shared/evaluator/evaluate-account.ts'
import type { ExternalRole } from '#shared/evaluator/reachability.ts'
import { type Finding, type FindingDraft, finalizeFinding } from '#shared/findings/finding.ts'
import { buildPostureContext, type PostureContext } from './context.ts'
import { checkExternalTrust } from './rules/external-trust.ts'
import { checkResourceScope } from './rules/resource-scope.ts'
import { checkServiceLinkedRoles } from './rules/service-linked-roles.ts'
import {
  checkNoSupportRole,
  checkSupportAccessGranted,
  checkSupportAccessLost,
} from './rules/support-access.ts'
import {
  checkSupportAppExcessive,
  checkSupportAppMissing,
  checkSupportAppTrust,
  checkSupportAppUnscopedSlr,
} from './rules/support-app.ts'
import { checkSupportConsoleAccess } from './rules/support-console.ts'

const RULES: readonly ((context: PostureContext) => FindingDraft[])[] = [
  checkServiceLinkedRoles,
  checkNoSupportRole,
  checkSupportAccessLost,
  checkSupportAccessGranted,
  checkSupportConsoleAccess,
  checkExternalTrust,
  checkSupportAppTrust,
  checkSupportAppMissing,
  checkSupportAppExcessive,
  checkSupportAppUnscopedSlr,
  checkResourceScope,
]

/** How much of the account, and of the organisation around it, the evaluation saw. */
export interface PostureOptions {
  /** Only the principals a change touched (the detect path). */
  readonly partial?: boolean
  /** Support-capable roles of other accounts that let this one in: reached like the account's own. */
  readonly externalSupportRoles?: readonly ExternalRole[]
}

/**
 * Runs every posture rule that a snapshot can decide (with `partial`, those that a
 * part of the account can decide), and returns findings most severe
 * first (then by rule and principal; those about a config pattern, without a principal, lead
 * their rule in config order), with stable IDs and the config's severity overrides.
 */
export function runPostureRules(
  evaluation: AccountEvaluation,
  config: GuardConfig,
  options: PostureOptions = {},
): Finding[] {
  const context = buildPostureContext(
    evaluation,
    config,
    options.partial === true,
    options.externalSupportRoles,
  )
  const findings: Finding[] = []
  for (const rule of RULES) {
    const drafts = rule(context)
    for (const draft of drafts)
      findings.push(finalizeFinding(draft, context.accountId, config.severityOverrides))
  }
  return findings.sort(
    (a, b) =>
      SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] ||
      compareText(a.rule, b.rule) ||
      compareText(a.principalArn ?? '', b.principalArn ?? ''),
  )
}

/** Position of each severity in SEVERITIES, most severe first: a lookup per comparison, not a search. */
const SEVERITY_RANK = Object.fromEntries(SEVERITIES.map((severity, index) => [severity, index])) as Readonly<
  Record<Severity, number>
>

/** Ordinal order: stable across locales, and far cheaper than localeCompare on 10,000 findings. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
