import type { PolicyIssue } from '#shared/policy/types.ts'
import type { AccountSnapshot } from '#shared/snapshot/types.ts'
import { type CompiledAccount, compileAccount } from './compile-account.ts'
import { evaluatePrincipals, type PrincipalAccess } from './evaluate-principals.ts'
import { AUDIT_QUESTIONS, type QuestionSet, servicesOf } from './questions.ts'

/** Every principal's decisions for every audit question, and what the audit could not read. */
export interface AccountEvaluation {
  readonly account: CompiledAccount
  readonly questions: QuestionSet
  readonly principals: readonly PrincipalAccess[]
  /**
   * Entries of the export that were skipped (`SnapshotIssue` with `skipped: true`), and policies
   * that could not be read or were missing: evaluated as granting nothing.
   */
  readonly issues: readonly PolicyIssue[]
}

/**
 * Evaluates the whole account: every user and role against every question of `questions`
 * (by default every `support:` action and what the Support App needs). Policies keep only the
 * statements about the questions' services and the catalog's (servicesOf): the account it
 * returns answers questions about those services, decisions and explanations, and no others.
 */
export function evaluateAccount(
  snapshot: AccountSnapshot,
  questions: QuestionSet = AUDIT_QUESTIONS,
): AccountEvaluation {
  const account = compileAccount(snapshot, { services: servicesOf(questions) })
  return { account, questions, principals: evaluatePrincipals(account, questions), issues: account.issues }
}
