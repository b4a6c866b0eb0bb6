import { omitUndefined } from '#shared/events/omit-undefined.ts'
import type { SupportPermitGrant } from '#shared/events/types.ts'
import type { ChangeSummary } from '#shared/pipeline/bus-events.ts'
import { describePermitScope } from '#shared/pipeline/support-service-rules.ts'
import { regionOfArn, resourceTypeOfArn } from '#shared/policy/arn.ts'
import { lookupEventCommand, readChangedElementCommand } from './document-locations.ts'
import { listParameterDocuments, renderParameters, renderValue } from './render-values.ts'

/** Parameters with a line of their own: the permit as a sentence, an undocumented request as sent. */
const OWN_LINE_PARAMETERS = new Set(['supportPermit', 'opaqueRequest'])

/** A labelled fact about the change, rendered as `Label: value` in text and chat. */
export interface ChangeFact {
  readonly label: string
  readonly value: string
}

/** Whether the call took effect: a failed call is an attempt, and still a signal. */
export function describeCallStatus(change: ChangeSummary): string {
  if (!change.failed) return 'succeeded'
  return change.errorCode === undefined
    ? 'failed (attempt only)'
    : `failed with ${change.errorCode} (attempt only)`
}

/**
 * Who, what, when and from where: the facts of the API call, in reading order. A policy
 * document the call sent is shown as an excerpt, with where to read it in full: the CloudTrail
 * event, and for a call that took effect, the IAM command that prints the element now.
 */
export function describeChange(change: ChangeSummary): readonly ChangeFact[] {
  const facts: ChangeFact[] = [
    { label: 'Action', value: `${change.eventName} (${describeCallStatus(change)})` },
    { label: 'Who', value: change.actorArn },
    { label: 'When', value: change.eventTime },
    { label: 'From', value: change.sourceIp ?? 'unknown source IP' },
  ]
  if (change.userAgent !== undefined) facts.push({ label: 'User agent', value: change.userAgent })
  const what = describeServiceCall(change)
  if (what !== undefined) facts.push({ label: 'What', value: what })
  if (change.targets.length > 0) facts.push({ label: 'Targets', value: change.targets.join(', ') })
  const parameters = renderParameters(
    Object.fromEntries(Object.entries(change.parameters).filter(([key]) => !OWN_LINE_PARAMETERS.has(key))),
  )
  if (parameters !== '') facts.push({ label: 'Parameters', value: parameters })
  if (change.parameters.opaqueRequest !== undefined)
    facts.push({ label: 'Request', value: renderValue(change.parameters.opaqueRequest) })
  const documents = listParameterDocuments(change.parameters)
  for (const document of documents) {
    facts.push({ label: document.name, value: document.excerpt })
    facts.push({
      label: 'Full document',
      value: `requestParameters.${requestField(change, document.name)} of the event: ${lookupEventCommand(change.eventId)}`,
    })
  }
  const current = documents.length > 0 && !change.failed ? readChangedElementCommand(change) : undefined
  if (current !== undefined) facts.push({ label: 'In IAM now', value: current })
  if (change.principalsChecked !== undefined) {
    const count = change.principalsChecked.toLocaleString('en-US')
    facts.push({
      label: 'Checked',
      value: `${count} ${change.principalsChecked === 1 ? 'role or user' : 'roles and users'} the change reaches`,
    })
  }
  facts.push({ label: 'CloudTrail event', value: change.eventId })
  return facts
}

const PLAN_CALLS: Readonly<Record<string, string>> = {
  StartSupportPlanUpdate: 'started a Support plan update',
  CreateSupportPlanSchedule: 'scheduled a Support plan change',
  CancelSupportAgreement: 'cancelled a Support agreement',
  AcceptSupportAgreement: 'accepted a Support agreement',
  CreateSupportAgreement: 'created a Support agreement',
  UpdateSupportAgreement: 'updated a Support agreement',
  RejectSupportAgreement: 'rejected a Support agreement',
}

/**
 * One sentence for the calls of AWS Support authorization, Support Plans, IAM's identity
 * providers and IAM Identity Center, whose request fields read best together (a permit's reach,
 * an assignment's permission set, principal and account). Undefined for other calls.
 */
export function describeServiceCall(change: ChangeSummary): string | undefined {
  const p = change.parameters
  const text = (key: string) => {
    const value = p[key]
    return typeof value === 'string' && value !== '' ? value : undefined
  }
  const list = (key: string) => {
    const value = p[key]
    return Array.isArray(value) ? value.filter((item) => typeof item === 'string').join(', ') : undefined
  }
  const provider = text('providerArn') ?? findTarget(change, 'saml-provider', 'oidc-provider')
  const permissionSet =
    text('permissionSetArn') ?? text('permissionSetName') ?? findTarget(change, 'permissionSet')
  const plan = Object.hasOwn(PLAN_CALLS, change.eventName) ? PLAN_CALLS[change.eventName] : undefined
  if (plan !== undefined) return plan
  switch (change.eventName) {
    case 'CreateSupportPermit':
      return describePermitCreation(change)
    case 'DeleteSupportPermit':
      return `deleted support permit ${text('supportPermitIdentifier') ?? findTarget(change, 'supportpermit') ?? '(not recorded)'}`
    case 'RejectSupportPermitRequest':
      return `rejected the AWS Support operator's permit request ${text('permitRequestArn') ?? '(not recorded)'}`
    case 'RegisterKey':
      return 'registered a signing key for support permits'
    case 'CreateSAMLProvider':
      return `created SAML provider ${provider ?? text('providerName') ?? '(not recorded)'}`
    case 'UpdateSAMLProvider':
      return `replaced the metadata of SAML provider ${provider ?? '(not recorded)'}`
    case 'DeleteSAMLProvider':
      return `deleted SAML provider ${provider ?? '(not recorded)'}`
    case 'CreateOpenIDConnectProvider': {
      const audiences = list('clientIds')
      return `created OIDC provider ${provider ?? text('providerUrl') ?? '(not recorded)'}${audiences ? ` (audiences ${audiences})` : ''}`
    }
    case 'DeleteOpenIDConnectProvider':
      return `deleted OIDC provider ${provider ?? '(not recorded)'}`
    case 'AddClientIDToOpenIDConnectProvider':
      return `added audience ${list('clientIds') || '(not recorded)'} to OIDC provider ${provider ?? '(not recorded)'}`
    case 'RemoveClientIDFromOpenIDConnectProvider':
      return `removed audience ${list('clientIds') || '(not recorded)'} from OIDC provider ${provider ?? '(not recorded)'}`
    case 'UpdateOpenIDConnectProviderThumbprint':
      return `replaced the thumbprints of OIDC provider ${provider ?? '(not recorded)'}`
    case 'CreateAccountAssignment':
    case 'DeleteAccountAssignment': {
      const verb = change.eventName === 'CreateAccountAssignment' ? 'assigned' : 'removed the assignment of'
      const to = change.eventName === 'CreateAccountAssignment' ? 'to' : 'from'
      return `${verb} permission set ${permissionSet ?? '(not recorded)'} ${to} ${text('identityCenterPrincipal') ?? 'a user or group'} in account ${text('targetAccountId') ?? '(not recorded)'}`
    }
    default:
      return /PermissionSet$/.test(change.eventName)
        ? `${change.eventName} on permission set ${permissionSet ?? '(not recorded)'}${text('managedPolicyArn') ? ` (policy ${text('managedPolicyArn')})` : ''}`
        : undefined
  }
}

/** `created support permit P (all actions, all resources in us-east-1, no time window, key K)`. */
function describePermitCreation(change: ChangeSummary): string {
  const grant = readGrant(change.parameters.supportPermit)
  const permitArn = findTarget(change, 'supportpermit')
  // A permit lives in one Region: its ARN says which, else its signing key's (same Region).
  const arn = permitArn ?? grant?.kmsKeyArn
  const region = arn === undefined ? undefined : regionOfArn(arn)
  const scope = describePermitScope(grant, region)
  const parts = [
    scope.actions,
    scope.resources,
    scope.window,
    ...(grant?.kmsKeyArn ? [`key ${grant.kmsKeyArn}`] : []),
    ...(grant?.supportCaseDisplayId ? [`case ${grant.supportCaseDisplayId}`] : []),
  ]
  return `created support permit ${grant?.name ?? permitArn ?? '(name not recorded)'} (${parts.join(', ')})`
}

/** The grant as detect summarized it; a field of another shape reads as not recorded. */
function readGrant(value: unknown): SupportPermitGrant | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined
  const record = value as Readonly<Record<string, unknown>>
  const text = (key: string) => {
    const entry = record[key]
    return typeof entry === 'string' ? entry : undefined
  }
  const set = <T extends string>(key: string, all: T): T | string[] | undefined => {
    const entry = record[key]
    if (entry === all) return all
    return Array.isArray(entry) && entry.every((item) => typeof item === 'string') ? entry : undefined
  }
  return omitUndefined({
    name: text('name'),
    actions: set('actions', 'all'),
    resources: set('resources', 'all-in-region'),
    allowAfter: text('allowAfter'),
    allowBefore: text('allowBefore'),
    kmsKeyArn: text('kmsKeyArn'),
    supportCaseDisplayId: text('supportCaseDisplayId'),
  })
}

/** The first target whose resource type is one of `types` (`supportpermit`, `saml-provider`). */
function findTarget(change: ChangeSummary, ...types: readonly string[]): string | undefined {
  return change.targets.find((target) => types.includes(resourceTypeOfArn(target) ?? ''))
}

/** The request field CloudTrail records the document in (the summary names CreateRole's trust `policyDocument`). */
function requestField(change: ChangeSummary, name: string): string {
  return change.eventName === 'CreateRole' ? 'assumeRolePolicyDocument' : name
}

/** Facts as `Label: value` lines with the values aligned. */
export function formatFacts(facts: readonly ChangeFact[]): readonly string[] {
  const width = Math.max(...facts.map((fact) => fact.label.length)) + 1
  return facts.map((fact) => `${`${fact.label}:`.padEnd(width)} ${fact.value}`)
}
