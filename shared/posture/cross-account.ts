import type { GuardConfig } from '#shared/config/guard-config.ts'
import type { AccountEvaluation } from '#shared/evaluator/evaluate-account.ts'
import type { ExternalRole } from '#shared/evaluator/reachability.ts'
import { analyzeTrust } from '#shared/evaluator/trust.ts'
import { accountIdOfArn, isAccountId, isAccountRootArn } from '#shared/policy/arn.ts'
import { buildPostureContext } from './context.ts'

/** The key of the roles that let in any account (`Principal: "*"`). */
export const ANY_ACCOUNT = '*'

/**
 * The roles of one evaluated account that have AWS Support access and let principals of other
 * accounts in, by the account they let in (ANY_ACCOUNT for all). A role lets an account in when
 * its trust names the account (its ID or root: anyone there whose policies allow it), names
 * principals of it, or names `*` (any account: the usual organisation pattern, `*` with
 * `aws:PrincipalOrgID`). Conditions on the trust do not take a grant away, as for roles reached
 * within an account.
 */
export function findCrossAccountSupportRoles(
  evaluation: AccountEvaluation,
  config: GuardConfig,
): Map<string, ExternalRole[]> {
  const context = buildPostureContext(evaluation, config)
  const byAccount = new Map<string, ExternalRole[]>()
  const add = (account: string, role: ExternalRole) =>
    byAccount.set(account, [...(byAccount.get(account) ?? []), role])
  for (const access of context.people) {
    const { principal } = access
    if (principal.type !== 'role' || !principal.trust || !context.hasSupportAccess(access)) continue
    const whole = new Set<string>()
    const named = new Map<string, string[]>()
    for (const grant of analyzeTrust(principal.trust, context.accountId)) {
      if (grant.kind === 'any') whole.add(ANY_ACCOUNT)
      if (grant.kind !== 'other-account') continue
      const account = isAccountId(grant.principal) ? grant.principal : accountIdOfArn(grant.principal)
      if (account === undefined) continue
      if (isAccountId(grant.principal) || isAccountRootArn(grant.principal)) whole.add(account)
      else named.set(account, [...(named.get(account) ?? []), grant.principal])
    }
    for (const account of new Set([...whole, ...named.keys()])) {
      if (account === context.accountId) continue
      add(account, {
        arn: principal.arn,
        trustsAccount: whole.has(account),
        principals: named.get(account) ?? [],
      })
    }
  }
  return byAccount
}

/** The roles of other accounts, of those found, that let `accountId` in, each once. */
export function externalRolesFor(
  found: ReadonlyMap<string, readonly ExternalRole[]>,
  accountId: string,
): ExternalRole[] {
  const any = (found.get(ANY_ACCOUNT) ?? []).filter((role) => accountIdOfArn(role.arn) !== accountId)
  const byArn = new Map<string, ExternalRole>()
  for (const role of [...(found.get(accountId) ?? []), ...any]) {
    const known = byArn.get(role.arn)
    byArn.set(
      role.arn,
      known
        ? {
            arn: role.arn,
            trustsAccount: known.trustsAccount || role.trustsAccount,
            principals: [...known.principals, ...role.principals],
          }
        : role,
    )
  }
  return [...byArn.values()]
}
