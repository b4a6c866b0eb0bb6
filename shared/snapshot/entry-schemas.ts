import * as z from 'zod'

/**
 * The shape of one entry of each list of a `get-account-authorization-details` export (CLI
 * JSON or SDK output). Each entry is checked on its own, so one malformed entry costs only itself;
 * the items of its policy, group and version lists are checked one by one too (`*_ITEM`), so a
 * malformed item costs only that item. Policy documents are left as they are: the evaluator
 * reads them and reports an unreadable one.
 */

const Name = z.string().min(1)
/** A list whose items are checked one by one after the entry itself. */
const Items = z.array(z.unknown()).optional()
// Tags play no part in any decision: malformed ones are left out rather than costing the entry its audit.
const Tags = z
  .array(z.object({ Key: z.string(), Value: z.string() }))
  .optional()
  .catch(undefined)
const Boundary = z.object({ PermissionsBoundaryArn: Name }).partial().optional()

export const RawUser = z.object({
  UserName: Name,
  Arn: Name,
  Path: z.string().optional(),
  UserId: z.string().optional(),
  UserPolicyList: Items,
  GroupList: Items,
  AttachedManagedPolicies: Items,
  PermissionsBoundary: Boundary,
  Tags,
})

export const RawGroup = z.object({
  GroupName: Name,
  Arn: Name,
  Path: z.string().optional(),
  GroupPolicyList: Items,
  AttachedManagedPolicies: Items,
})

export const RawRole = z.object({
  RoleName: Name,
  Arn: Name,
  Path: z.string().optional(),
  RoleId: z.string().optional(),
  // A missing document (trust policy, inline policy, version) costs no entry its audit: the
  // evaluator reports it and evaluates it as granting nothing.
  AssumeRolePolicyDocument: z.unknown().optional(),
  RolePolicyList: Items,
  AttachedManagedPolicies: Items,
  PermissionsBoundary: Boundary,
  Tags,
})

export const RawPolicy = z.object({
  PolicyName: z.string().optional(),
  Arn: Name,
  Path: z.string().optional(),
  DefaultVersionId: z.string().optional(),
  PolicyVersionList: Items,
})

export const INLINE_ITEM = z.object({ PolicyName: Name, PolicyDocument: z.unknown().optional() })
export const ATTACHED_ITEM = z.object({ PolicyName: z.string().optional(), PolicyArn: Name })
export const GROUP_NAME_ITEM = Name
export const VERSION_ITEM = z.object({
  VersionId: Name,
  IsDefaultVersion: z.boolean().optional(),
  Document: z.unknown().optional(),
})

export const RawChannel = z.object({
  teamId: Name,
  channelId: Name,
  channelName: z.string().optional(),
  channelRoleArn: Name,
})

/** SCPs as `aws organizations describe-policy` prints `Policy` (PolicySummary fields flattened). */
export const RawScp = z
  .object({
    Id: z.string().optional(),
    Arn: z.string().optional(),
    Name: z.string().optional(),
    Content: z.unknown().optional(),
    PolicyDocument: z.unknown().optional(),
  })
  .refine((scp) => scp.Content !== undefined || scp.PolicyDocument !== undefined, {
    message: 'needs Content (the policy document)',
    path: ['Content'],
  })

/*
 * Most entries of an export are well formed, and zod builds a copy of each it accepts. For the
 * schemas of users, groups, roles, managed policies and their items, a plain check takes the
 * common well-formed value as it is. It accepts only what the schema accepts, and only where
 * the value itself reads as the schema's copy would: the records are built from the same
 * fields (a tag's Key and Value, a boundary's ARN). Anything else goes to zod, which words the
 * problem. Reading a 12,000-principal export this way saves the schema's copies: 1–7% of the
 * CLI's wall time, the most where principals have the most inline policies.
 */

type Check = (value: unknown) => boolean

function isPlainRecord(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.getPrototypeOf(value) === Object.prototype
  )
}

const isName = (value: unknown) => typeof value === 'string' && value.length > 0
const isOptionalString = (value: unknown) => value === undefined || typeof value === 'string'
const isItems = (value: unknown) => value === undefined || Array.isArray(value)
const isBoundary = (value: unknown) =>
  value === undefined ||
  (isPlainRecord(value) &&
    (value.PermissionsBoundaryArn === undefined || isName(value.PermissionsBoundaryArn)))
/**
 * Tags as the schema keeps them; malformed ones, which the schema drops, go to zod. A loop, not
 * `every`, which would pass over the holes of a sparse list (built in code, never JSON).
 */
function isTags(value: unknown): boolean {
  if (value === undefined) return true
  if (!Array.isArray(value)) return false
  for (let index = 0; index < value.length; index++) {
    const tag: unknown = value[index]
    if (!isPlainRecord(tag) || typeof tag.Key !== 'string' || typeof tag.Value !== 'string') return false
  }
  return true
}

/** A user or a role: a name, an ARN, an ID, inline and attached policies, a boundary, tags. */
function isPrincipal(value: Record<string, unknown>, name: string, id: string, inline: string): boolean {
  return (
    isName(value[name]) &&
    isName(value.Arn) &&
    isOptionalString(value.Path) &&
    isOptionalString(value[id]) &&
    isItems(value[inline]) &&
    isItems(value.AttachedManagedPolicies) &&
    isBoundary(value.PermissionsBoundary) &&
    isTags(value.Tags)
  )
}

const TAKEN_AS_IS = new Map<z.ZodType, Check>([
  [
    RawUser,
    (value) =>
      isPlainRecord(value) &&
      isPrincipal(value, 'UserName', 'UserId', 'UserPolicyList') &&
      isItems(value.GroupList),
  ],
  [
    RawGroup,
    (value) =>
      isPlainRecord(value) &&
      isName(value.GroupName) &&
      isName(value.Arn) &&
      isOptionalString(value.Path) &&
      isItems(value.GroupPolicyList) &&
      isItems(value.AttachedManagedPolicies),
  ],
  [RawRole, (value) => isPlainRecord(value) && isPrincipal(value, 'RoleName', 'RoleId', 'RolePolicyList')],
  [
    RawPolicy,
    (value) =>
      isPlainRecord(value) &&
      isOptionalString(value.PolicyName) &&
      isName(value.Arn) &&
      isOptionalString(value.Path) &&
      isOptionalString(value.DefaultVersionId) &&
      isItems(value.PolicyVersionList),
  ],
  [INLINE_ITEM, (value) => isPlainRecord(value) && isName(value.PolicyName)],
  [
    ATTACHED_ITEM,
    (value) => isPlainRecord(value) && isOptionalString(value.PolicyName) && isName(value.PolicyArn),
  ],
  [GROUP_NAME_ITEM, isName],
  [
    VERSION_ITEM,
    (value) =>
      isPlainRecord(value) &&
      isName(value.VersionId) &&
      (value.IsDefaultVersion === undefined || typeof value.IsDefaultVersion === 'boolean'),
  ],
])

/** Whether `value` is one `schema` accepts and that can be read as it is (see above). */
export function takenAsIs(schema: z.ZodType, value: unknown): boolean {
  return TAKEN_AS_IS.get(schema)?.(value) === true
}

export type RawUserShape = z.infer<typeof RawUser>
export type RawGroupShape = z.infer<typeof RawGroup>
export type RawRoleShape = z.infer<typeof RawRole>
export type RawPolicyShape = z.infer<typeof RawPolicy>
export type RawChannelShape = z.infer<typeof RawChannel>
export type RawScpShape = z.infer<typeof RawScp>
