import { SUPPORT_ACTIONS, SUPPORT_CONSOLE_ACTIONS } from '#shared/catalog/support-actions.ts'
import type { GuardConfig } from '#shared/config/guard-config.ts'
import type { Decision } from '#shared/evaluator/decision.ts'
import { DECISION_DENY, decisionName } from '#shared/evaluator/decision.ts'
import { type AccountEvaluation, evaluateAccount } from '#shared/evaluator/evaluate-account.ts'
import type { FindingRecord } from '#shared/findings/finding.ts'
import type { PolicyIssue } from '#shared/policy/types.ts'
import { type PostureOptions, runPostureRules } from '#shared/posture/run-posture-rules.ts'
import type { AccountSnapshot } from '#shared/snapshot/types.ts'

export interface PrincipalDecisions {
  readonly principalArn: string
  readonly principalType: 'user' | 'role'
  readonly decisions: Readonly<Record<string, Decision>>
}

/** The `audit --format json` report, exactly as docs/contracts.md#audit-json defines it. */
export interface AuditReport {
  readonly schemaVersion: 1
  readonly accountId: string
  readonly findings: readonly FindingRecord[]
  readonly access: readonly PrincipalDecisions[]
}

export interface AuditResult {
  readonly report: AuditReport
  /** Policies that could not be parsed or were missing: they were evaluated as granting nothing. */
  readonly issues: readonly PolicyIssue[]
}

/** The actions `access[].decisions` holds: every `support:` and `support-console:` action of the catalog. */
export const REPORT_ACTIONS: readonly string[] = [...SUPPORT_ACTIONS, ...SUPPORT_CONSOLE_ACTIONS]

/**
 * Full posture evaluation of an account: findings, and every principal's decision for every
 * `support:` and `support-console:` action.
 */
export function auditAccount(
  snapshot: AccountSnapshot,
  config: GuardConfig,
  options: Pick<PostureOptions, 'externalSupportRoles'> = {},
): AuditResult {
  const evaluation = evaluateAccount(snapshot)
  return auditResultOf(snapshot.accountId, evaluation, runPostureRules(evaluation, config, options))
}

/** The audit of an evaluated account: its findings, and the access list the report holds. */
export function auditResultOf(
  accountId: string,
  evaluation: AccountEvaluation,
  findings: readonly FindingRecord[],
): AuditResult {
  const columns = REPORT_ACTIONS.map((action) => ({
    action,
    index: evaluation.questions.indexByKey.get(action) ?? -1,
  }))
  // Most principals share one of few decision patterns: one frozen record per pattern keeps
  // a 10,000-principal report small. Principals of one policy set share their codes array, so
  // a pattern is looked up by array first and spelled out once per array.
  const byCodes = new Map<Uint8Array, Readonly<Record<string, Decision>>>()
  const byPattern = new Map<string, Readonly<Record<string, Decision>>>()
  const decisionsOf = (codes: Uint8Array) => {
    let decisions = byCodes.get(codes)
    if (decisions) return decisions
    const pattern = String.fromCharCode(...columns.map((column) => codes[column.index] ?? DECISION_DENY))
    decisions = byPattern.get(pattern)
    if (!decisions) {
      const record: Record<string, Decision> = {}
      for (const column of columns) record[column.action] = decisionName(codes[column.index] ?? DECISION_DENY)
      decisions = Object.freeze(record)
      byPattern.set(pattern, decisions)
    }
    byCodes.set(codes, decisions)
    return decisions
  }
  const access = evaluation.principals.map((principal) => ({
    principalArn: principal.principalArn,
    principalType: principal.principalType,
    decisions: decisionsOf(principal.codes),
  }))
  return {
    report: { schemaVersion: 1, accountId, findings, access },
    issues: evaluation.issues,
  }
}
