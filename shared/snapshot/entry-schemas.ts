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

export type RawUserShape = z.infer<typeof RawUser>
export type RawGroupShape = z.infer<typeof RawGroup>
export type RawRoleShape = z.infer<typeof RawRole>
export type RawPolicyShape = z.infer<typeof RawPolicy>
export type RawChannelShape = z.infer<typeof RawChannel>
export type RawScpShape = z.infer<typeof RawScp>
