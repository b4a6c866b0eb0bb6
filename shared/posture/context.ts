import { SUPPORT_APP_SERVICE } from '#shared/catalog/support-actions.ts'
import { matchesAnyArnPattern } from '#shared/config/arn-pattern.ts'
import type { GuardConfig } from '#shared/config/guard-config.ts'
import type { CompiledAccount, CompiledPrincipal } from '#shared/evaluator/compile-account.ts'
import { DECISION_DENY } from '#shared/evaluator/decision.ts'
import type { AccountEvaluation } from '#shared/evaluator/evaluate-account.ts'
import type { PrincipalAccess } from '#shared/evaluator/evaluate-principals.ts'
import type { ExternalRole } from '#shared/evaluator/reachability.ts'
import { analyzeTrust } from '#shared/evaluator/trust.ts'
import type { ParsedPolicy } from '#shared/policy/types.ts'

/** Everything a posture rule reads: the evaluation, the config and derived facts. */
export interface PostureContext {
  readonly evaluation: AccountEvaluation
  readonly config: GuardConfig
  readonly accountId: string
  /**
   * The evaluation covers only the principals a change touched (the detect path): rules
   * that need the whole account (no support role, missing service-linked roles, principals
   * that do not exist, reachability through other roles) stay silent.
   */
  readonly partial: boolean
  /** Support-capable roles of other accounts of the organisation that let this account in. */
  readonly externalSupportRoles: readonly ExternalRole[]
  /** Support App roles: trusted by the Support App, named by a Slack channel configuration, or by config. */
  readonly supportAppRoles: readonly CompiledPrincipal[]
  /** Channel role ARNs that name no role of the account. */
  readonly missingChannelRoles: readonly string[]
  /**
   * Principals the rules about people's Support access consider: not AWS's own (service-linked
   * roles), not the Support App's. Listed once per context, in evaluation order.
   */
  readonly people: readonly PrincipalAccess[]
  readonly accessOf: (principal: CompiledPrincipal) => PrincipalAccess | undefined
  readonly codeOf: (access: PrincipalAccess, key: string) => number
  /** Allowed (or conditionally allowed) any of the config's required support actions. */
  readonly hasSupportAccess: (access: PrincipalAccess) => boolean
  /** Not denied any required support action (allowed, or allowed under a condition such as MFA). */
  readonly hasFullSupportAccess: (access: PrincipalAccess) => boolean
  /**
   * The config's required support actions `access` is not denied, in config order. Principals
   * with the same decisions share one frozen list: findings carry it as evidence and never change it.
   */
  readonly grantedActions: (access: PrincipalAccess) => readonly string[]
  /**
   * The config's required console actions `access` is denied (a conditional allow is access).
   * An action the evaluation did not ask is left out: it cannot be judged.
   */
  readonly deniedConsoleActions: (access: PrincipalAccess) => string[]
}

export function buildPostureContext(
  evaluation: AccountEvaluation,
  config: GuardConfig,
  partial = false,
  externalSupportRoles: readonly ExternalRole[] = [],
): PostureContext {
  const { account, questions } = evaluation
  // Question index of each required support action, in config order; -1 where the evaluation did not ask it.
  const requiredColumns = config.requiredSupportActions.map(
    (action) => questions.indexByKey.get(action) ?? NOT_ASKED,
  )
  const requiredIndexes = requiredColumns.filter((index) => index !== NOT_ASKED)
  const consoleColumns = config.requiredConsoleActions.flatMap((action) => {
    const index = questions.indexByKey.get(action)
    return index === undefined ? [] : [{ action, index }]
  })
  const channelRoleArns = new Set(
    account.snapshot.slackChannelConfigurations.map((channel) => channel.channelRoleArn),
  )
  const supportAppRoles = selectSupportAppRoles(account, config, channelRoleArns)
  // The rules look up the Support App roles by ARN: their access is picked up while people are
  // listed; an index of every principal is built only if another one is asked for.
  const appRoleArns = new Set(supportAppRoles.map((role) => role.arn))
  const appRoleAccess = new Map<string, PrincipalAccess>()
  const people = listPeople(evaluation.principals, supportAppRoles, appRoleArns, appRoleAccess)
  let byArn: Map<string, PrincipalAccess> | undefined
  const hasSupportAccess = (access: PrincipalAccess): boolean => {
    const codes = access.codes
    for (const index of requiredIndexes) {
      if (codes[index] !== DECISION_DENY) return true
    }
    return false
  }
  // Granted lists by which required actions are granted (bit i: action i): a handful of distinct lists.
  const grantedByMask = new Map<number, readonly string[]>()
  const maskable = requiredColumns.length <= MASK_BITS
  return {
    evaluation,
    config,
    accountId: account.accountId,
    partial,
    externalSupportRoles,
    supportAppRoles,
    missingChannelRoles: [...channelRoleArns].filter((arn) => !account.byArn.has(arn)),
    people,
    accessOf: (principal) => {
      if (appRoleArns.has(principal.arn)) return appRoleAccess.get(principal.arn)
      if (!byArn) {
        byArn = new Map()
        for (const access of evaluation.principals) byArn.set(access.principalArn, access)
      }
      return byArn.get(principal.arn)
    },
    codeOf: (access, key) => {
      const index = questions.indexByKey.get(key)
      return index === undefined ? DECISION_DENY : (access.codes[index] ?? DECISION_DENY)
    },
    hasSupportAccess,
    hasFullSupportAccess: (access) => {
      if (requiredIndexes.length === 0) return false
      const codes = access.codes
      for (const index of requiredIndexes) {
        if (codes[index] === DECISION_DENY) return false
      }
      return true
    },
    grantedActions: (access) => {
      const codes = access.codes
      if (!maskable) return listGranted(config.requiredSupportActions, requiredColumns, codes)
      let mask = 0
      for (let position = 0; position < requiredColumns.length; position++) {
        const index = requiredColumns[position] ?? NOT_ASKED
        if (index !== NOT_ASKED && (codes[index] ?? DECISION_DENY) !== DECISION_DENY) mask |= 1 << position
      }
      let granted = grantedByMask.get(mask)
      if (!granted) {
        granted = Object.freeze(listGranted(config.requiredSupportActions, requiredColumns, codes))
        grantedByMask.set(mask, granted)
      }
      return granted
    },
    deniedConsoleActions: (access) => {
      const denied: string[] = []
      for (const column of consoleColumns) {
        if ((access.codes[column.index] ?? DECISION_DENY) === DECISION_DENY) denied.push(column.action)
      }
      return denied
    },
  }
}

const NOT_ASKED = -1
/** Required support actions beyond this many are listed afresh per principal instead of shared by mask. */
const MASK_BITS = 30

function listGranted(actions: readonly string[], columns: readonly number[], codes: Uint8Array): string[] {
  const granted: string[] = []
  for (let position = 0; position < actions.length; position++) {
    const index = columns[position] ?? NOT_ASKED
    if (index !== NOT_ASKED && (codes[index] ?? DECISION_DENY) !== DECISION_DENY)
      granted.push(actions[position] ?? '')
  }
  return granted
}

/** People (see PostureContext.people); fills `appRoleAccess` with the last access of each ARN of `appRoleArns`. */
function listPeople(
  principals: readonly PrincipalAccess[],
  supportAppRoles: readonly CompiledPrincipal[],
  appRoleArns: ReadonlySet<string>,
  appRoleAccess: Map<string, PrincipalAccess>,
): PrincipalAccess[] {
  const people: PrincipalAccess[] = []
  const anyAppRole = appRoleArns.size > 0
  for (const access of principals) {
    if (anyAppRole && appRoleArns.has(access.principalArn)) appRoleAccess.set(access.principalArn, access)
    if (!access.principal.serviceLinked && !supportAppRoles.includes(access.principal)) people.push(access)
  }
  return people
}

/** Support App roles: trusted by the Support App, named by a Slack channel configuration, or by config. */
export function findSupportAppRoles(account: CompiledAccount, config: GuardConfig): CompiledPrincipal[] {
  return selectSupportAppRoles(
    account,
    config,
    new Set(account.snapshot.slackChannelConfigurations.map((channel) => channel.channelRoleArn)),
  )
}

function selectSupportAppRoles(
  account: CompiledAccount,
  config: GuardConfig,
  channelRoleArns: ReadonlySet<string>,
): CompiledPrincipal[] {
  const patterns = config.supportApp.roles
  const roles: CompiledPrincipal[] = []
  for (const principal of account.principals) {
    if (principal.type !== 'role' || principal.serviceLinked) continue
    if (
      channelRoleArns.has(principal.arn) ||
      (patterns.length > 0 && matchesAnyArnPattern(patterns, principal.arn)) ||
      (principal.trust !== undefined && trustsSupportApp(principal.trust, account.accountId))
    )
      roles.push(principal)
  }
  return roles
}

/**
 * The trust policy grants the Support App's service principal. Only an Allow naming it under
 * `Service` can: the full analysis runs for those few documents, not for every role.
 */
function trustsSupportApp(trust: ParsedPolicy, accountId: string): boolean {
  return (
    namesSupportApp(trust) &&
    analyzeTrust(trust, accountId).some(
      (grant) => grant.kind === 'service' && grant.principal === SUPPORT_APP_SERVICE,
    )
  )
}

function namesSupportApp(trust: ParsedPolicy): boolean {
  for (const statement of trust.statements) {
    const principal = statement.principal
    if (
      statement.effect === 'Allow' &&
      principal &&
      !principal.any &&
      !principal.negated &&
      principal.service.includes(SUPPORT_APP_SERVICE)
    )
      return true
  }
  return false
}
