import * as crypto from 'node:crypto'
import { DEFAULT_SEVERITY, type RuleId, type Severity } from '#shared/config/rules.ts'
import type { EvidenceOf } from './evidence.ts'

/** What the guard can do about a finding, and what a person should do. */
export interface RemediationHint {
  /** True when the guard reverts it automatically in `enforce` mode. */
  readonly automatic: boolean
  readonly steps: readonly string[]
}

/** A finding of rule `R`, its evidence in that rule's shape (evidence.ts). */
interface FindingOfRule<R extends RuleId> {
  /** Stable across runs: the same rule on the same subject gets the same ID. */
  readonly id: string
  readonly rule: R
  readonly severity: Severity
  readonly accountId: string
  /**
   * The user or role concerned; for policy-level rules the policy ARN; for account-level ones
   * the account root. Null when the subject is a config pattern that matches nobody: the
   * pattern is then in `evidence.pattern`, never here (docs/contracts.md#findings).
   */
  readonly principalArn: string | null
  readonly title: string
  readonly detail: string
  readonly evidence: EvidenceOf<R>
  readonly remediation: RemediationHint
}

/**
 * One finding, as the report, the findings bus and SNS carry it (docs/contracts.md#findings): a
 * union by rule, so testing `rule` narrows `evidence` to that rule's shape.
 */
export type Finding = { [R in RuleId]: FindingOfRule<R> }[RuleId]

/** A finding of one of the rules `R`. */
export type FindingOf<R extends RuleId> = Extract<Finding, { readonly rule: R }>

/** True for a finding of `rule`; its evidence then has that rule's shape. */
export function isFindingOf<R extends RuleId>(finding: Finding, rule: R): finding is FindingOf<R> {
  return finding.rule === rule
}

/**
 * A finding as a JSON document holds it (the audit report; the findings bus has its own schema):
 * the same fields, the evidence a plain record that readers take key by key. Every `Finding` is one.
 */
export type FindingRecord = Omit<FindingOfRule<RuleId>, 'evidence'> & {
  readonly evidence: Readonly<Record<string, unknown>>
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

/** What a draft of rule `R` says besides its subject. */
interface DraftOfRule<R extends RuleId> {
  readonly rule: R
  /** Overrides the rule's default severity where the rule itself lowers or raises it. */
  readonly severity?: Severity
  readonly title: string
  readonly detail: string
  readonly evidence: EvidenceOf<R>
  readonly remediation: RemediationHint
}

/** A finding of one of the rules `R` before the config's severity overrides and the ID are applied. */
export type FindingDraftOf<R extends RuleId> = FindingSubject & { [K in R]: DraftOfRule<K> }[R]

/** A finding before the config's severity overrides and the ID are applied. */
export type FindingDraft = FindingDraftOf<RuleId>

/**
 * The one-shot `crypto.hash` (Node 20.12 and later) where the runtime has it: an audit hashes one
 * ID per finding, and the one-shot form skips a Hash object per call. Same digest either way.
 */
const sha256Hex: (text: string) => string =
  typeof crypto.hash === 'function'
    ? (text) => crypto.hash('sha256', text, 'hex')
    : (text) => crypto.createHash('sha256').update(text).digest('hex')

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
  return `sag-${sha256Hex(`${accountId}\n${rule}\n${principalArn}\n${discriminator}`).slice(0, 20)}`
}

/** Applies ID and severity (rule default < rule's own choice < config override). */
export function finalizeFinding<R extends RuleId>(
  draft: FindingDraftOf<R>,
  accountId: string,
  overrides: Readonly<Partial<Record<RuleId, Severity>>>,
): { [K in R]: FindingOfRule<K> }[R] {
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
