import { isArnOfService, isSupportPermitArn } from '#shared/policy/arn.ts'
import { SUPPORT_PLANS_EVENT_SOURCE } from './change-kinds.ts'
import type { RequestParameters, ResponseElements } from './cloudtrail-record-schema.ts'
import { omitUndefined } from './omit-undefined.ts'
import type { ChangeEvent, ChangeParameters, SupportPermitGrant } from './types.ts'

/** Largest Support Plans request kept whole; a larger one is kept as cut compact JSON. */
export const OPAQUE_REQUEST_LIMIT = 2000

/**
 * The request fields the guard acts on; absent or null fields stay absent. `policyDocument`
 * holds whichever document the call sends: inline, version, managed, or CreateRole's trust.
 * Fields of other services are read by name where the call's shape tells them apart (a
 * `name` is a SAML provider's next to `sAMLMetadataDocument`, a permission set's next to
 * `instanceArn`); a Support Plans request (`eventSource` supportplans) is kept as sent, bounded.
 */
export function readParameters(
  request: RequestParameters | undefined,
  eventSource?: string,
): ChangeParameters {
  if (!request) return {}
  const fields: Readonly<Record<string, unknown>> = request
  return omitUndefined({
    roleName: request.roleName,
    userName: request.userName,
    groupName: request.groupName,
    policyArn: request.policyArn,
    policyName: request.policyName,
    policyDocument: request.policyDocument ?? request.assumeRolePolicyDocument ?? undefined,
    versionId: request.versionId,
    setAsDefault: request.setAsDefault ?? undefined,
    // A string in IAM's calls; Identity Center's PutPermissionsBoundaryToPermissionSet sends an object.
    permissionsBoundary: readText(fields, 'permissionsBoundary'),
    awsServiceName: readAwsServiceName(request),
    tagKeys: readTagKeys(request),
    channelRoleArn: request.channelRoleArn,
    teamId: request.teamId,
    channelId: request.channelId,
    ...readSupportAuthzFields(fields),
    opaqueRequest: eventSource === SUPPORT_PLANS_EVENT_SOURCE ? boundRequest(fields) : undefined,
    ...readProviderFields(fields),
    ...readIdentityCenterFields(fields),
  })
}

/** CloudTrail records the CreateServiceLinkedRole parameter as `aWSServiceName`. */
export function readAwsServiceName(request: RequestParameters | undefined): string | undefined {
  return request?.aWSServiceName ?? request?.awsServiceName ?? request?.AWSServiceName
}

/**
 * UntagRole sends `tagKeys`; TagRole sends `tags` as `{ key, value }` pairs; supportauthz sends
 * `tags` as a map of key to value.
 */
function readTagKeys(request: RequestParameters): string[] | undefined {
  if (request.tagKeys) return request.tagKeys
  const tags: unknown = request.tags
  const keys = Array.isArray(tags)
    ? tags.map((tag) => {
        const pair = asRecord(tag) ?? {}
        return readText(pair, 'key') ?? readText(pair, 'Key')
      })
    : Object.keys(asRecord(tags) ?? {})
  const present = keys.filter((key) => key !== undefined)
  return present.length > 0 ? present : undefined
}

function readSupportAuthzFields(fields: Readonly<Record<string, unknown>>): Partial<ChangeParameters> {
  const requestArn = readText(fields, 'requestArn')
  return omitUndefined({
    supportPermit: readSupportPermit(fields),
    supportPermitIdentifier: readText(fields, 'supportPermitIdentifier'),
    // `requestArn` is a generic name: only a supportauthz permit request's is kept.
    permitRequestArn: requestArn && isArnOfService(requestArn, 'supportauthz') ? requestArn : undefined,
  })
}

/**
 * CreateSupportPermit's grant: `permit` holds the `actions` and `resources` unions and up to two
 * `conditions` (each exactly one of `allowAfter`, `allowBefore`); `signingKeyInfo` the `kmsKey`
 * union. Undefined for a request that carries neither (any other call).
 */
export function readSupportPermit(fields: Readonly<Record<string, unknown>>): SupportPermitGrant | undefined {
  const permit = asRecord(fields.permit)
  const signing = asRecord(fields.signingKeyInfo)
  if (!permit && !signing) return undefined
  const conditions = Array.isArray(permit?.conditions) ? permit.conditions.map(asRecord) : []
  return omitUndefined({
    name: readText(fields, 'name'),
    actions: readUnion(permit?.actions, 'allActions', 'actions', 'all' as const),
    resources: readUnion(permit?.resources, 'allResourcesInRegion', 'resources', 'all-in-region' as const),
    // Every condition must hold: the latest start and the earliest end bound the window.
    allowAfter: pickTime(conditions, 'allowAfter', (a, b) => a > b),
    allowBefore: pickTime(conditions, 'allowBefore', (a, b) => a < b),
    kmsKeyArn: signing ? readText(signing, 'kmsKey') : undefined,
    supportCaseDisplayId: readText(fields, 'supportCaseDisplayId'),
    description: readText(fields, 'description'),
  })
}

/**
 * A tagged union of "everything" (`{ allActions: {} }`) or a list (`{ actions: [...] }`). Both
 * members at once is not a valid union: read as the wider one. Anything else is unreadable.
 */
function readUnion<T extends string>(
  value: unknown,
  everything: string,
  list: string,
  all: T,
): T | string[] | undefined {
  const union = asRecord(value)
  if (!union) return undefined
  if (union[everything] !== undefined && union[everything] !== null) return all
  const items = readTextList(union, list)
  return items && items.length === (union[list] as unknown[]).length ? items : undefined
}

/** One bound of the time window, as ISO 8601 when it can be read as a time, else as sent. */
function pickTime(
  conditions: readonly (Readonly<Record<string, unknown>> | undefined)[],
  key: string,
  better: (candidate: number, current: number) => boolean,
): string | undefined {
  let chosen: { text: string; time: number } | undefined
  for (const condition of conditions) {
    const raw = condition?.[key]
    const text = readTimestamp(raw)
    if (text === undefined) continue
    const time = Date.parse(text)
    if (!chosen || (!Number.isNaN(time) && (Number.isNaN(chosen.time) || better(time, chosen.time))))
      chosen = { text, time }
  }
  return chosen?.text
}

/** Timestamps arrive as text or as epoch seconds (milliseconds when the number is that large). */
function readTimestamp(value: unknown): string | undefined {
  if (typeof value === 'string' && value !== '') return value
  if (typeof value !== 'number' || !Number.isFinite(value)) return undefined
  const date = new Date(value > 1e11 ? value : value * 1000)
  return Number.isNaN(date.getTime()) ? String(value) : date.toISOString()
}

function asRecord(value: unknown): Readonly<Record<string, unknown>> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Readonly<Record<string, unknown>>)
    : undefined
}

/** IAM's SAML and OIDC provider calls (CloudTrail spells the SAML fields `sAML…`). */
function readProviderFields(fields: Readonly<Record<string, unknown>>): Partial<ChangeParameters> {
  const clientId = readText(fields, 'clientID')
  return omitUndefined({
    providerArn: readText(fields, 'sAMLProviderArn') ?? readText(fields, 'openIDConnectProviderArn'),
    providerName: 'sAMLMetadataDocument' in fields ? readText(fields, 'name') : undefined,
    providerUrl: readText(fields, 'url'),
    clientIds: readTextList(fields, 'clientIDList') ?? (clientId ? [clientId] : undefined),
  })
}

/** IAM Identity Center's permission set and account assignment calls. */
function readIdentityCenterFields(fields: Readonly<Record<string, unknown>>): Partial<ChangeParameters> {
  const instanceArn = readText(fields, 'instanceArn')
  const boundary = asRecord(fields.permissionsBoundary)
  const principalType = readText(fields, 'principalType')
  const principalId = readText(fields, 'principalId')
  return omitUndefined({
    instanceArn,
    permissionSetArn: readText(fields, 'permissionSetArn'),
    permissionSetName: instanceArn ? readText(fields, 'name') : undefined,
    managedPolicyArn:
      readText(fields, 'managedPolicyArn') ?? (boundary ? readText(boundary, 'managedPolicyArn') : undefined),
    customerManagedPolicy: readPolicyReference(
      fields.customerManagedPolicyReference ?? boundary?.customerManagedPolicyReference,
    ),
    targetAccountId: instanceArn ? readText(fields, 'targetId') : undefined,
    identityCenterPrincipal: principalType && principalId ? `${principalType} ${principalId}` : undefined,
  })
}

/** A customer managed policy reference (`{ name, path }`) as the policy's path and name. */
function readPolicyReference(value: unknown): string | undefined {
  const reference = asRecord(value)
  const name = reference ? readText(reference, 'name') : undefined
  if (!reference || !name) return undefined
  return `${readText(reference, 'path') ?? '/'}${name}`
}

/** The request as a plain value when its compact JSON is small, else that JSON cut at the limit. */
function boundRequest(fields: Readonly<Record<string, unknown>>): Readonly<Record<string, unknown>> | string {
  const json = JSON.stringify(fields)
  if (json.length <= OPAQUE_REQUEST_LIMIT) return JSON.parse(json) as Record<string, unknown>
  return `${json.slice(0, OPAQUE_REQUEST_LIMIT)}... (${json.length} characters in all)`
}

/** A non-empty string field, else undefined. */
export function readText(fields: Readonly<Record<string, unknown>>, key: string): string | undefined {
  const value = fields[key]
  return typeof value === 'string' && value !== '' ? value : undefined
}

function readTextList(fields: Readonly<Record<string, unknown>>, key: string): string[] | undefined {
  const value = fields[key]
  if (!Array.isArray(value)) return undefined
  const texts = value.filter((item): item is string => typeof item === 'string' && item !== '')
  return texts.length > 0 ? texts : undefined
}

/** Response data the guard uses: new policy version, created role, policy, provider or permission set ARN. */
export function readResponse(response: ResponseElements | undefined): ChangeEvent['response'] {
  const fields: Readonly<Record<string, unknown>> = response ?? {}
  const arn = readText(fields, 'arn')
  const permissionSet = asRecord(fields.permissionSet)
  return omitUndefined({
    versionId: response?.policyVersion?.versionId,
    roleArn: response?.role?.arn,
    policyArn: response?.policy?.arn,
    permitArn: arn && isSupportPermitArn(arn) ? arn : undefined,
    providerArn: readText(fields, 'sAMLProviderArn') ?? readText(fields, 'openIDConnectProviderArn'),
    permissionSetArn: permissionSet ? readText(permissionSet, 'permissionSetArn') : undefined,
  })
}
