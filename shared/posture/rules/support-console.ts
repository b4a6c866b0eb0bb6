import type { PrincipalAccess } from '#shared/evaluator/evaluate-principals.ts'
import { explainDecision, listAllowingPolicies } from '#shared/evaluator/explain.ts'
import type { FindingDraft } from '#shared/findings/finding.ts'
import { nameOfArn } from '#shared/policy/arn.ts'
import type { PostureContext } from '../context.ts'

/**
 * SUPPORT_CONSOLE_ACCESS_MISSING: a person allowed every required support action is denied a
 * console action the Support Center needs (`requiredConsoleActions`). Since 2026 the console
 * answers AccessDenied without the permission-only `support-console:` actions even when
 * `support:*` is allowed (AWS Support user guide, "support-console-access-control"); older
 * customer policies often grant `support:*` alone. Required principals included: a gap they
 * always had is this finding; one a change opened becomes SUPPORT_ACCESS_LOST on the change path
 * (see assess-change.ts). Needs only the principal's own policies, so the change path (a partial
 * evaluation) decides it too.
 */
export function checkSupportConsoleAccess(context: PostureContext): FindingDraft[] {
  const { requiredConsoleActions } = context.config
  if (requiredConsoleActions.length === 0) return []
  const drafts: FindingDraft[] = []
  for (const access of context.people) {
    if (!context.hasFullSupportAccess(access)) continue
    const missing = context.deniedConsoleActions(access)
    if (missing.length > 0) drafts.push(draftConsoleMissing(context, access, missing))
  }
  return drafts
}

function draftConsoleMissing(
  context: PostureContext,
  access: PrincipalAccess,
  missing: readonly string[],
): FindingDraft {
  const { questions, account } = context.evaluation
  // Each key has one question: its index in the set (deniedConsoleActions names only asked ones).
  const index = missing[0] === undefined ? undefined : questions.indexByKey.get(missing[0])
  const question = index === undefined ? undefined : questions.questions[index]
  const explanation = question ? explainDecision(access.principal, question, account.scpLayers) : undefined
  const statements = explanation?.statements ?? []
  const boundary = access.principal.boundary
  return {
    rule: 'SUPPORT_CONSOLE_ACCESS_MISSING',
    principalArn: access.principalArn,
    title: `${nameOfArn(access.principalArn)} cannot use the Support Center console`,
    detail: `${access.principalArn} is allowed ${context.config.requiredSupportActions.join(', ')} but denied ${missing.join(', ')}: the Support Center console answers AccessDenied without them, so cases can be handled only through the API or CLI.`,
    evidence: {
      missingConsoleActions: missing,
      via: supportPolicies(context, access),
      statements,
    },
    remediation: {
      automatic: false,
      steps: [
        `Allow ${missing.join(', ')} (or attach arn:aws:iam::aws:policy/AWSSupportAccess, which grants support-console:*).`,
        ...(statements.some((statement) => statement.effect === 'Deny')
          ? ['Remove or narrow the Deny statement that cuts them (see evidence.statements).']
          : []),
        ...(explanation?.boundary === 'deny' && boundary
          ? [`The permissions boundary ${boundary.id} must allow them too.`]
          : []),
        ...(explanation?.scp === 'deny'
          ? ['A service control policy of the organization must allow them too.']
          : []),
      ],
    },
  }
}

/** The policies that allow the principal its required support actions, each named once. */
function supportPolicies(context: PostureContext, access: PrincipalAccess): string[] {
  const { questions } = context.evaluation
  const labels = new Set<string>()
  for (const action of context.config.requiredSupportActions) {
    const index = questions.indexByKey.get(action)
    if (index === undefined) continue
    for (const label of listAllowingPolicies(access.principal, questions, index)) labels.add(label)
  }
  return [...labels]
}
