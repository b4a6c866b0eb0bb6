import type { CompiledAccount, CompiledPrincipal } from './compile-account.ts'
import type { Decision } from './decision.ts'
import { explainDecision } from './explain.ts'
import { buildQuestionSet } from './questions.ts'
import { analyzeTrust } from './trust.ts'

/** A principal of the account that can become `role` through `sts:AssumeRole`. */
export interface RoleAssumer {
  readonly principalArn: string
  /** `allow`, or `conditional` when the trust or the caller's own policy rests on a condition. */
  readonly decision: Exclude<Decision, 'deny'>
  readonly via: readonly string[]
}

/**
 * Which users and roles of the account can reach `role`: the role trusts them (by ARN) or
 * the account root, and their own identity policy (and boundary) allows `sts:AssumeRole` on
 * the role's ARN. `canAssumeSomething` pre-filters principals without any AssumeRole grant.
 */
export function findRoleAssumers(
  account: CompiledAccount,
  role: CompiledPrincipal,
  canAssumeSomething: (principal: CompiledPrincipal) => boolean,
): RoleAssumer[] {
  if (!role.trust) return []
  const grants = analyzeTrust(role.trust, account.accountId)
  const rootGrant = grants.find((grant) => grant.kind === 'account-root')
  const named = new Map(
    grants
      .filter((grant) => grant.kind === 'same-account-principal')
      .map((grant) => [grant.principal, grant]),
  )
  const question = buildQuestionSet([{ action: 'sts:AssumeRole', resource: role.arn }]).questions[0]
  if (!question || (!rootGrant && named.size === 0)) return []
  const assumers: RoleAssumer[] = []
  for (const principal of account.principals) {
    if (principal === role || principal.serviceLinked) continue
    const grant = named.get(principal.arn) ?? rootGrant
    if (!grant || !canAssumeSomething(principal)) continue
    const explanation = explainDecision(principal, question)
    if (explanation.decision === 'deny') continue
    const conditional = grant.conditional || explanation.decision === 'conditional'
    assumers.push({
      principalArn: principal.arn,
      decision: conditional ? 'conditional' : 'allow',
      via: [
        ...new Set(
          explanation.statements
            .filter((statement) => statement.effect === 'Allow')
            .map((statement) => statement.policy),
        ),
      ],
    })
  }
  return assumers
}
