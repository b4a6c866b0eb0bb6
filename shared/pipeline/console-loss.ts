import { matchesAnyArnPattern } from '#shared/config/arn-pattern.ts'
import type { GuardConfig } from '#shared/config/guard-config.ts'
import { type Finding, finalizeFinding } from '#shared/findings/finding.ts'
import { nameOfArn } from '#shared/policy/arn.ts'

/**
 * A console gap of a required principal that a change opened is lost access, not a gap it
 * always had: SUPPORT_CONSOLE_ACCESS_MISSING becomes SUPPORT_ACCESS_LOST when the principal is
 * required and undoing the change (in memory) closes the gap. "Caused by this change" is
 * exactly "cleared by its revert", so a principal that never had the console actions, or a
 * change that did not touch them, keeps the medium finding and is never reverted for it.
 */
export function promoteConsoleLoss(finding: Finding, clearedByRevert: boolean, config: GuardConfig): Finding {
  if (
    !clearedByRevert ||
    finding.rule !== 'SUPPORT_CONSOLE_ACCESS_MISSING' ||
    finding.principalArn === null ||
    !matchesAnyArnPattern(config.supportPrincipals.required, finding.principalArn)
  )
    return finding
  const missing = finding.evidence.missingConsoleActions
  const name = nameOfArn(finding.principalArn)
  return finalizeFinding(
    {
      rule: 'SUPPORT_ACCESS_LOST',
      principalArn: finding.principalArn,
      // Told apart from a loss of support actions: a principal that already lacked the console
      // and then loses `support:` still gets a finding that the revert of that change clears.
      discriminator: 'console',
      title: `${name} lost required AWS Support console access`,
      detail: `${finding.principalArn} must keep the Support Center console actions of requiredConsoleActions; this change denies it ${missing.join(', ')}, and the console answers AccessDenied without them.`,
      evidence: {
        ...finding.evidence,
        missingActions: missing.map((action) => ({ action, decision: 'deny' })),
      },
      remediation: {
        automatic: false,
        steps: [
          `Allow ${missing.join(', ')} again (AWSSupportAccess grants support-console:*).`,
          ...finding.remediation.steps.slice(1),
        ],
      },
    },
    finding.accountId,
    config.severityOverrides,
  )
}
