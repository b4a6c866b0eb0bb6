import { buildAwsManagedPolicyArn } from '#shared/policy/arn.ts'
import { findKnownAwsManagedPolicy } from './aws-managed-policies.ts'
import { findCatalogAction, listNamespaceActions } from './catalog.ts'

/** Every action of the `support` namespace: the columns of the report's `access` decisions. */
export const SUPPORT_ACTIONS: readonly string[] = listNamespaceActions('support')

/**
 * Actions the AWS managed policy AWSSupportAppFullAccess allows without condition: what a
 * Support App role in full mode needs. Read from the policy document itself, so the two
 * cannot drift apart.
 */
export const SUPPORT_APP_FULL_ACTIONS: readonly string[] = listUnconditionedAllows('AWSSupportAppFullAccess')

/** Actions the AWS managed policy AWSSupportAppReadOnlyAccess allows. */
export const SUPPORT_APP_READONLY_ACTIONS: readonly string[] = listUnconditionedAllows(
  'AWSSupportAppReadOnlyAccess',
)

/** Default "core" actions a support role must be allowed (open, follow and close a case). */
export const CORE_SUPPORT_ACTIONS: readonly string[] = [
  'support:CreateCase',
  'support:DescribeCases',
  'support:AddCommunicationToCase',
  'support:ResolveCase',
]

/** Every action of the `support-console` namespace (permission-only; the Support Center console needs them since 2026). */
export const SUPPORT_CONSOLE_ACTIONS: readonly string[] = listNamespaceActions('support-console')

/**
 * Console actions the Support Center needs to open, draft, follow and reply to a case
 * (AWS Support user guide, "support-console-access-control"): without them the console
 * answers AccessDenied even when `support:*` is allowed. Left out: feedback questionnaires
 * and the issue-classification and summary helpers, which the console can do without.
 */
export const CONSOLE_ACTIONS_FOR_SUPPORT_CENTER: readonly string[] = [
  'support-console:GetAccountState',
  'support-console:GetAccountGovCloudEnabled',
  'support-console:CheckSubscription',
  'support-console:GetBanner',
  'support-console:DescribeDynamicHelp',
  'support-console:GetCaseDraft',
  'support-console:CreateCaseDraft',
  'support-console:DeleteCaseDraft',
  'support-console:CreateContact',
]

/** Creating a support permit lets AWS Support operators act on the account's resources. */
export const CREATE_SUPPORT_PERMIT = 'supportauthz:CreateSupportPermit'

/** Service principal of the AWS Support App in Slack. */
export const SUPPORT_APP_SERVICE = 'supportapp.amazonaws.com'
/** The Support App may create only this service-linked role. */
export const SUPPORT_APP_SLR_SERVICE = 'servicequotas.amazonaws.com'

for (const name of [
  ...SUPPORT_APP_FULL_ACTIONS,
  ...CORE_SUPPORT_ACTIONS,
  ...CONSOLE_ACTIONS_FOR_SUPPORT_CENTER,
  CREATE_SUPPORT_PERMIT,
  'iam:CreateServiceLinkedRole',
]) {
  if (!findCatalogAction(name)) throw new Error(`catalog is missing ${name}: regenerate it`)
}

function listUnconditionedAllows(policyName: string): string[] {
  const document = findKnownAwsManagedPolicy(buildAwsManagedPolicyArn(policyName)) as
    | { Statement: { Effect: string; Action: string | string[]; Condition?: unknown }[] }
    | undefined
  if (!document) throw new Error(`no known document for ${policyName}`)
  return document.Statement.filter(
    (statement) => statement.Effect === 'Allow' && statement.Condition === undefined,
  ).flatMap((statement) => (Array.isArray(statement.Action) ? statement.Action : [statement.Action]))
}
