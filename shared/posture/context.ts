import { SUPPORT_APP_SERVICE } from '#shared/catalog/support-actions.ts'
import { matchesAnyArnPattern } from '#shared/config/arn-pattern.ts'
import type { GuardConfig } from '#shared/config/guard-config.ts'
import type { CompiledAccount, CompiledPrincipal } from '#shared/evaluator/compile-account.ts'
import { DECISION_DENY } from '#shared/evaluator/decision.ts'
import type { AccountEvaluation } from '#shared/evaluator/evaluate-account.ts'
import type { PrincipalAccess } from '#shared/evaluator/evaluate-principals.ts'
import type { ExternalRole } from '#shared/evaluator/reachability.ts'
import { analyzeTrust } from '#shared/evaluator/trust.ts'

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
  const byArn = new Map(evaluation.principals.map((access) => [access.principalArn, access]))
  const requiredIndexes = config.requiredSupportActions.flatMap((action) => {
    const index = questions.indexByKey.get(action)
    return index === undefined ? [] : [index]
  })
  const consoleColumns = config.requiredConsoleActions.flatMap((action) => {
    const index = questions.indexByKey.get(action)
    return index === undefined ? [] : [{ action, index }]
  })
  const channelRoleArns = new Set(
    account.snapshot.slackChannelConfigurations.map((channel) => channel.channelRoleArn),
  )
  const supportAppRoles = selectSupportAppRoles(account, config, channelRoleArns)
  const appRoles = new Set(supportAppRoles)
  // Principals of one policy set share their codes array, and so their granted list.
  const grantedByCodes = new WeakMap<Uint8Array, readonly string[]>()
  return {
    evaluation,
    config,
    accountId: account.accountId,
    partial,
    externalSupportRoles,
    supportAppRoles,
    missingChannelRoles: [...channelRoleArns].filter((arn) => !account.byArn.has(arn)),
    people: evaluation.principals.filter(
      (access) => !access.principal.serviceLinked && !appRoles.has(access.principal),
    ),
    accessOf: (principal) => byArn.get(principal.arn),
    codeOf: (access, key) => {
      const index = questions.indexByKey.get(key)
      return index === undefined ? DECISION_DENY : (access.codes[index] ?? DECISION_DENY)
    },
    // Loops rather than some/every: these are asked several times for every principal.
    hasSupportAccess: (access) => {
      for (const index of requiredIndexes) if (access.codes[index] !== DECISION_DENY) return true
      return false
    },
    hasFullSupportAccess: (access) => {
      for (const index of requiredIndexes) if (access.codes[index] === DECISION_DENY) return false
      return requiredIndexes.length > 0
    },
    grantedActions: (access) => {
      let granted = grantedByCodes.get(access.codes)
      if (!granted) {
        granted = Object.freeze(
          config.requiredSupportActions.filter((action) => {
            const index = questions.indexByKey.get(action)
            return index !== undefined && (access.codes[index] ?? DECISION_DENY) !== DECISION_DENY
          }),
        )
        grantedByCodes.set(access.codes, granted)
      }
      return granted
    },
    deniedConsoleActions: (access) =>
      consoleColumns
        .filter((column) => (access.codes[column.index] ?? DECISION_DENY) === DECISION_DENY)
        .map((column) => column.action),
  }
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
  return account.principals.filter(
    (principal) =>
      principal.type === 'role' &&
      !principal.serviceLinked &&
      (channelRoleArns.has(principal.arn) ||
        matchesAnyArnPattern(config.supportApp.roles, principal.arn) ||
        (principal.trust !== undefined &&
          analyzeTrust(principal.trust, account.accountId).some(
            (grant) => grant.kind === 'service' && grant.principal === SUPPORT_APP_SERVICE,
          ))),
  )
}
