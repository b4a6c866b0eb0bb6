import { findCatalogAction, listNamespaceActions } from './catalog.ts'

/** Every action of the `support` namespace: the columns of the report's `access` decisions. */
export const SUPPORT_ACTIONS: readonly string[] = listNamespaceActions('support')

/**
 * Actions the AWS managed policy AWSSupportAppFullAccess allows (besides the conditioned
 * iam:CreateServiceLinkedRole): what a Support App role in full mode needs.
 */
export const SUPPORT_APP_FULL_ACTIONS: readonly string[] = [
  'servicequotas:GetRequestedServiceQuotaChange',
  'servicequotas:GetServiceQuota',
  'servicequotas:RequestServiceQuotaIncrease',
  'support:AddAttachmentsToSet',
  'support:AddCommunicationToCase',
  'support:CreateCase',
  'support:DescribeCases',
  'support:DescribeCommunications',
  'support:DescribeSeverityLevels',
  'support:InitiateChatForCase',
  'support:ResolveCase',
]

/** Actions the AWS managed policy AWSSupportAppReadOnlyAccess allows. */
export const SUPPORT_APP_READONLY_ACTIONS: readonly string[] = [
  'support:DescribeCases',
  'support:DescribeCommunications',
]

/** Default "core" actions a support role must be allowed (open, follow and close a case). */
export const CORE_SUPPORT_ACTIONS: readonly string[] = [
  'support:CreateCase',
  'support:DescribeCases',
  'support:AddCommunicationToCase',
  'support:ResolveCase',
]

/** Service principal of the AWS Support App in Slack. */
export const SUPPORT_APP_SERVICE = 'supportapp.amazonaws.com'
/** The Support App may create only this service-linked role. */
export const SUPPORT_APP_SLR_SERVICE = 'servicequotas.amazonaws.com'

for (const name of [...SUPPORT_APP_FULL_ACTIONS, ...CORE_SUPPORT_ACTIONS, 'iam:CreateServiceLinkedRole']) {
  if (!findCatalogAction(name)) throw new Error(`catalog is missing ${name}: regenerate it`)
}
