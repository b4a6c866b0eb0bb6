import { createHash } from 'node:crypto'
import { DEFAULT_SEVERITY, type RuleId, type Severity } from '#shared/config/rules.ts'

/** What the guard can do about a finding, and what a person should do. */
export interface RemediationHint {
  /** True when the guard reverts it automatically in `enforce` mode. */
  readonly automatic: boolean
  readonly steps: readonly string[]
}

/** One finding, as the report, the findings bus and SNS carry it (DESIGN.md §4). */
export interface Finding {
  /** Stable across runs: the same rule on the same subject gets the same ID. */
  readonly id: string
  readonly rule: RuleId
  readonly severity: Severity
  readonly accountId: string
  /**
   * The user or role concerned; for policy-level rules the policy ARN; for account-level ones
   * the account root. Null when the subject is a config pattern that matches nobody: the
   * pattern is then in `evidence.pattern`, never here (DESIGN.md §4).
   */
  readonly principalArn: string | null
  readonly title: string
  readonly detail: string
  readonly evidence: Readonly<Record<string, unknown>>
  readonly remediation: RemediationHint
}

/**
 * What a finding is about: an ARN, optionally with a discriminator; or no ARN, and then the
 * discriminator (a config pattern) alone tells findings of the same rule apart.
 */
export type FindingSubject =
  | {
      readonly principalArn: string
      /** Distinguishes several findings of one rule on one principal (e.g. a statement index). */
      readonly discriminator?: string
    }
  | { readonly principalArn: null; readonly discriminator: string }

/** A finding before the config's severity overrides and the ID are applied. */
export type FindingDraft = FindingSubject & {
  readonly rule: RuleId
  /** Overrides the rule's default severity where the rule itself lowers or raises it. */
  readonly severity?: Severity
  readonly title: string
  readonly detail: string
  readonly evidence: Readonly<Record<string, unknown>>
  readonly remediation: RemediationHint
}

/**
 * Stable ID: the same rule, account, subject and discriminator always hash to the same value.
 * Without a subject the discriminator takes its place, so a finding about a config pattern keeps
 * the ID it had when the pattern itself stood as its subject.
 */
export function makeFindingId(
  accountId: string,
  rule: RuleId,
  principalArn: string | null,
  discriminator = '',
): string {
  if (principalArn === null) return makeFindingId(accountId, rule, discriminator)
  const digest = createHash('sha256')
    .update(`${accountId}\n${rule}\n${principalArn}\n${discriminator}`)
    .digest('hex')
  return `sag-${digest.slice(0, 20)}`
}

/** Applies ID and severity (rule default < rule's own choice < config override). */
export function finalizeFinding(
  draft: FindingDraft,
  accountId: string,
  overrides: Readonly<Partial<Record<RuleId, Severity>>>,
): Finding {
  return {
    id: makeFindingId(accountId, draft.rule, draft.principalArn, draft.discriminator),
    rule: draft.rule,
    severity: overrides[draft.rule] ?? draft.severity ?? DEFAULT_SEVERITY[draft.rule],
    accountId,
    principalArn: draft.principalArn,
    title: draft.title,
    detail: draft.detail,
    evidence: draft.evidence,
    remediation: draft.remediation,
  }
}
