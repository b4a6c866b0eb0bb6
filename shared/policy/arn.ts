/**
 * Amazon Resource Names: the one place that builds and takes them apart. Everything else asks
 * here for an ARN's account, name or type instead of slicing the text itself.
 *
 * `arn:<partition>:<service>:<region>:<account>:<resource>`; IAM resources read
 * `<type>/<path/>name` (`role/ops/Admin`), an account's root `root`, an STS session
 * `assumed-role/<role>/<session>`.
 */

/** The partition of the commercial Regions; `aws-cn` and `aws-us-gov` are the others in use. */
export const DEFAULT_PARTITION = 'aws'

/** The six fields of an ARN. */
export interface ArnParts {
  readonly partition: string
  readonly service: string
  /** Empty for global services (IAM, STS). */
  readonly region: string
  /** A 12-digit account ID, `aws` for AWS managed policies, empty for some services (S3). */
  readonly account: string
  /** Everything after the fifth `:`; it may hold `:` and `/` itself. */
  readonly resource: string
}

/** A resource read as `<type>/<path/>name`. */
export interface ArnResource {
  /** The text before the first `/` (`role`, `saml-provider`), or the whole resource without one (`root`). */
  readonly type: string
  /** What follows the type: `ops/Admin`, a provider's name or issuer; empty without a `/`. */
  readonly id: string
  /** The path between the type and the name: `/ops/` for `role/ops/Admin`, else `/`. */
  readonly path: string
  /** The segment after the last `/`: `Admin` for `role/ops/Admin`; empty without a `/`. */
  readonly name: string
}

/** An IAM ARN read whole. */
export interface IamArn extends ArnResource {
  readonly partition: string
  /** Empty in every IAM ARN. */
  readonly region: string
  readonly account: string
  readonly resource: string
}

export type IamEntityType = 'role' | 'user' | 'group'

/** An IAM user, role or group named by its ARN. */
export interface IamEntityName {
  readonly type: IamEntityType
  readonly name: string
  /** `/` or `/ops/`. */
  readonly path: string
  readonly accountId: string
  readonly partition: string
}

/** An STS assumed-role session: `arn:<partition>:sts::<account>:assumed-role/<role>/<session>`. */
export interface AssumedRoleSession {
  readonly partition: string
  readonly accountId: string
  readonly roleName: string
  readonly sessionName: string
}

export interface BuildOptions {
  /** `aws` unless given. */
  readonly partition?: string
}

export interface PathOptions extends BuildOptions {
  /** `/` or `/a/b/`; anything else (no slashes around it) reads as `/`. */
  readonly path?: string
}

const ACCOUNT_ID = /^\d{12}$/

/** IAM puts a service's service-linked roles under `/aws-service-role/<service principal>/`. */
const SERVICE_LINKED_ROLE_PATH = '/aws-service-role/'

/** True for a 12-digit AWS account ID. */
export function isAccountId(text: string): boolean {
  return ACCOUNT_ID.test(text)
}

/**
 * The six fields of text shaped like an ARN (`arn:` and at least five more `:`), without
 * judging their content: wildcards and empty fields are kept. Undefined for anything else.
 */
export function parseArn(text: string): ArnParts | undefined {
  const fields = text.split(':')
  if (fields[0] !== 'arn' || fields.length < 6) return undefined
  const [, partition = '', service = '', region = '', account = ''] = fields
  return { partition, service, region, account, resource: fields.slice(5).join(':') }
}

/** Reads a resource as `<type>/<path/>name`; see ArnResource for text without a `/`. */
export function parseArnResource(resource: string): ArnResource {
  const slash = resource.indexOf('/')
  if (slash < 0) return { type: resource, id: '', path: '/', name: '' }
  const id = resource.slice(slash + 1)
  const last = id.lastIndexOf('/')
  return {
    type: resource.slice(0, slash),
    id,
    path: last < 0 ? '/' : `/${id.slice(0, last + 1)}`,
    name: id.slice(last + 1),
  }
}

/** An ARN of the IAM service read whole; undefined for other services and for text that is not an ARN. */
export function parseIamArn(arn: string): IamArn | undefined {
  const parts = parseArn(arn)
  if (parts?.service !== 'iam') return undefined
  return {
    partition: parts.partition,
    region: parts.region,
    account: parts.account,
    resource: parts.resource,
    ...parseArnResource(parts.resource),
  }
}

/**
 * Reads `arn:<partition>:iam::<account>:<role|user|group>/<path/>name`; the name is the part
 * after the last `/`. Anything else (a policy, an STS session, a pattern) is undefined.
 */
export function parseIamEntityArn(arn: string): IamEntityName | undefined {
  const parsed = parseIamArn(arn)
  if (parsed?.region !== '' || !/^[a-z-]+$/.test(parsed.partition)) return undefined
  if (!isAccountId(parsed.account)) return undefined
  if (parsed.type !== 'role' && parsed.type !== 'user' && parsed.type !== 'group') return undefined
  if (parsed.name === '' || /[*?]/.test(parsed.id)) return undefined
  return {
    type: parsed.type,
    name: parsed.name,
    path: parsed.path,
    accountId: parsed.account,
    partition: parsed.partition,
  }
}

/** Reads an STS session ARN (`…:sts::<account>:assumed-role/<role>/<session>`); undefined for anything else. */
export function parseAssumedRoleArn(arn: string): AssumedRoleSession | undefined {
  const parts = parseArn(arn)
  if (parts?.service !== 'sts' || !isAccountId(parts.account)) return undefined
  const match = /^assumed-role\/([^/]+)\/([^/]+)$/.exec(parts.resource)
  if (!match?.[1] || !match[2]) return undefined
  return { partition: parts.partition, accountId: parts.account, roleName: match[1], sessionName: match[2] }
}

/**
 * The role behind an STS session ARN, without its path (a session ARN does not carry it):
 * `arn:aws:sts::<account>:assumed-role/R/S` is `arn:aws:iam::<account>:role/R`.
 */
export function roleArnOfAssumedRole(arn: string): string | undefined {
  const session = parseAssumedRoleArn(arn)
  return session && buildRoleArn(session.accountId, session.roleName, { partition: session.partition })
}

/** The account field of text shaped like an ARN, as written (possibly empty, `aws` or a wildcard). */
export function accountOfArn(text: string): string | undefined {
  const fields = text.split(':')
  return fields[0] === 'arn' ? fields[4] : undefined
}

/** The 12-digit account an ARN names; undefined for AWS managed policies, wildcards and non-ARNs. */
export function accountIdOfArn(arn: string): string | undefined {
  const account = parseArn(arn)?.account
  return account !== undefined && isAccountId(account) ? account : undefined
}

/**
 * The account of an IAM ARN, when it names one (AWS managed policies do not): parseIamArn's
 * account, read from the first fields alone, since an export's every entry is asked.
 */
export function accountIdOfIamArn(arn: string): string | undefined {
  const fields = arn.split(':', 6)
  if (fields.length < 6 || fields[0] !== 'arn' || fields[2] !== 'iam') return undefined
  const account = fields[4] ?? ''
  return isAccountId(account) ? account : undefined
}

/** The Region an ARN names; undefined for global resources and for text that is not an ARN. */
export function regionOfArn(arn: string): string | undefined {
  return parseArn(arn)?.region || undefined
}

/** The resource type of an ARN (`role`, `policy`, `saml-provider`, `supportpermit`), or undefined for a non-ARN. */
export function resourceTypeOfArn(arn: string): string | undefined {
  const parts = parseArn(arn)
  return parts && parseArnResource(parts.resource).type
}

/**
 * The name at the end of an ARN: the segment after its last `/` (`Admin` for
 * `…:role/ops/Admin`, `NAME` for `…:policy/service-role/NAME`). Text without a `/` (an account's
 * root, a service principal, `unknown`) is returned whole.
 */
export function nameOfArn(arn: string): string {
  return arn.slice(arn.lastIndexOf('/') + 1)
}

/** True for `arn:<partition>:iam::<account>:root`, or any ARN whose resource is `root`. */
export function isAccountRootArn(arn: string): boolean {
  return parseArn(arn)?.resource === 'root'
}

/** True for a managed policy's ARN, customer or AWS managed. */
export function isManagedPolicyArn(arn: string): boolean {
  const parsed = parseIamArn(arn)
  return parsed?.type === 'policy' && parsed.name !== ''
}

/** True for an AWS managed policy's ARN (`arn:<partition>:iam::aws:policy/…`), whatever its partition. */
export function isAwsManagedPolicyArn(arn: string): boolean {
  const parsed = parseIamArn(arn)
  return parsed?.account === 'aws' && parsed.type === 'policy'
}

/** The same ARN in the commercial partition (`aws-cn` → `aws`): what AWS managed policies are looked up by. */
export function toCommercialPartition(arn: string): string {
  const parts = parseArn(arn)
  if (!parts?.partition.startsWith(DEFAULT_PARTITION)) return arn
  return `arn:${DEFAULT_PARTITION}:${parts.service}:${parts.region}:${parts.account}:${parts.resource}`
}

/** True for the policies AWS attaches to service-linked roles (`arn:<partition>:iam::aws:policy/aws-service-role/…`). */
export function isServiceRolePolicyArn(arn: string): boolean {
  const parsed = parseIamArn(arn)
  return parsed !== undefined && isAwsManagedPolicyArn(arn) && isServiceLinkedRolePath(parsed.path)
}

/** True for an account's SAML or OIDC identity provider: `…:iam::<account>:saml-provider/Name`, `oidc-provider/issuer`. */
export function isIdentityProviderArn(arn: string): boolean {
  const parsed = parseIamArn(arn)
  return (
    parsed !== undefined &&
    isAccountId(parsed.account) &&
    (parsed.type === 'saml-provider' || parsed.type === 'oidc-provider') &&
    parsed.id !== ''
  )
}

/** True for an ARN of the service `service` (`supportauthz`, `sso`, …). */
export function isArnOfService(arn: string, service: string): boolean {
  return parseArn(arn)?.service === service
}

/** True for a support permit's ARN: `arn:<partition>:supportauthz:<region>:<account>:supportpermit/<id>`. */
export function isSupportPermitArn(arn: string): boolean {
  const parts = parseArn(arn)
  return (
    parts?.service === 'supportauthz' &&
    parts.partition !== '' &&
    isAccountId(parts.account) &&
    parseArnResource(parts.resource).type === 'supportpermit' &&
    parts.resource.length > 'supportpermit/'.length
  )
}

/** `arn:<partition>:iam::<account>:<type><path><name>`, the path `/` unless a valid one is given. */
export function buildIamArn(
  accountId: string,
  type: string,
  name: string,
  options: PathOptions = {},
): string {
  const path = options.path?.startsWith('/') && options.path.endsWith('/') ? options.path : '/'
  return `arn:${options.partition ?? DEFAULT_PARTITION}:iam::${accountId}:${type}${path}${name}`
}

export function buildRoleArn(accountId: string, name: string, options: PathOptions = {}): string {
  return buildIamArn(accountId, 'role', name, options)
}

export function buildUserArn(accountId: string, name: string, options: PathOptions = {}): string {
  return buildIamArn(accountId, 'user', name, options)
}

export function buildGroupArn(accountId: string, name: string, options: PathOptions = {}): string {
  return buildIamArn(accountId, 'group', name, options)
}

/** A role, user or group by type; events name principals without their path, so it is `/` unless given. */
export function buildPrincipalArn(
  type: IamEntityType,
  accountId: string,
  name: string,
  options: PathOptions = {},
): string {
  return buildIamArn(accountId, type, name, options)
}

/** A customer managed policy's ARN. */
export function buildPolicyArn(accountId: string, name: string, options: PathOptions = {}): string {
  return buildIamArn(accountId, 'policy', name, options)
}

/** An AWS managed policy's ARN: `arn:<partition>:iam::aws:policy/<path/>name`. */
export function buildAwsManagedPolicyArn(name: string, options: PathOptions = {}): string {
  return buildIamArn('aws', 'policy', name, options)
}

export function buildInstanceProfileArn(accountId: string, name: string, options: PathOptions = {}): string {
  return buildIamArn(accountId, 'instance-profile', name, options)
}

/** Where IAM creates a service's service-linked roles: `/aws-service-role/<service principal>/`. */
export function serviceLinkedRolePath(service: string): string {
  return `${SERVICE_LINKED_ROLE_PATH}${service}/`
}

/** True for the path of a service-linked role. */
export function isServiceLinkedRolePath(path: string): boolean {
  return path.startsWith(SERVICE_LINKED_ROLE_PATH)
}

/**
 * A service-linked role's ARN, under its service's path. With an empty role name, the ARN of
 * that path (what a role about to be created will be under).
 */
export function buildServiceLinkedRoleArn(
  accountId: string,
  role: { readonly service: string; readonly roleName: string },
  options: BuildOptions = {},
): string {
  return buildRoleArn(accountId, role.roleName, { ...options, path: serviceLinkedRolePath(role.service) })
}

/** `arn:<partition>:iam::<account>:root`: the account as a principal. */
export function buildAccountRootArn(accountId: string, options: BuildOptions = {}): string {
  return `arn:${options.partition ?? DEFAULT_PARTITION}:iam::${accountId}:root`
}

/** A SAML provider's ARN ends in its name. */
export function buildSamlProviderArn(accountId: string, name: string, options: BuildOptions = {}): string {
  return buildIamArn(accountId, 'saml-provider', name, options)
}

/**
 * An OIDC provider's ARN ends in its issuer URL without the scheme (IAM User Guide, OIDC identity
 * providers); undefined when nothing is left of the URL.
 */
export function buildOidcProviderArn(
  accountId: string,
  issuerUrl: string,
  options: BuildOptions = {},
): string | undefined {
  const issuer = issuerUrl.replace(/^https:\/\//i, '')
  return issuer ? buildIamArn(accountId, 'oidc-provider', issuer, options) : undefined
}

/** IAM role, user and group names are unique regardless of case: two spellings name one entity. */
export function sameIamName(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase()
}

// IAM names allow letters, digits and +=,.@_- ; paths add /. A trailing comma or full stop
// is read as the sentence's, not the name's.
const IAM_ARN_IN_TEXT = /arn:(?:aws|aws-cn|aws-us-gov):(?:iam|sts)::(?:\d{12}|aws):[\w+=,.@/-]*[\w+=@/-]/g

/** Replaces every IAM or STS ARN found in free text with what `replace` makes of it. */
export function replaceIamArnsInText(
  text: string,
  replace: (arn: string, parts: ArnParts) => string,
): string {
  return text.replace(IAM_ARN_IN_TEXT, (match) => {
    const parts = parseArn(match)
    return parts ? replace(match, parts) : match
  })
}
