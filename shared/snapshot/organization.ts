import * as z from 'zod'
import { InputError } from '#shared/errors/input-error.ts'
import type { ServiceControlPolicy, SnapshotIssue } from './types.ts'

/**
 * The organisation file: what AWS Organizations says about the organisation, in the shapes its
 * CLI prints, gathered into one object. The account export takes the same object as
 * `Organization`; `support-guard --org FILE` reads it from a file. Fields other than these are
 * allowed and ignored, so the CLI's own output can be pasted in whole.
 */
const id = z.string().min(1)

export const organizationFileSchema = z.object({
  Organization: z
    .object({
      Id: id.describe('The organisation ID, `o-…`.'),
      MasterAccountId: z
        .string()
        .regex(/^\d{12}$/)
        .optional()
        .describe('The management account: SCPs do not apply to its users and roles.'),
    })
    .describe('`aws organizations describe-organization` prints it as `Organization`.'),
  Roots: z
    .array(
      z.object({
        Id: id.describe('`r-…`.'),
        Name: z.string().optional().describe('Shown in evidence; the ID if absent.'),
      }),
    )
    .min(1)
    .describe('`aws organizations list-roots` prints it as `Roots`.'),
  OrganizationalUnits: z
    .array(
      z.object({
        Id: id.describe('`ou-…`.'),
        Name: z.string().optional().describe('Shown in evidence; the ID if absent.'),
        ParentId: id.describe('The root or OU it sits in (`aws organizations list-parents`).'),
      }),
    )
    .default([])
    .describe('Every OU, at any depth.'),
  Accounts: z
    .array(
      z.object({
        Id: z
          .string()
          .regex(/^\d{12}$/)
          .describe('The account ID.'),
        Name: z.string().optional().describe('Shown in evidence; the ID if absent.'),
        ParentId: id.describe('The root or OU it sits in (`aws organizations list-parents`).'),
      }),
    )
    .describe('`aws organizations list-accounts` prints it as `Accounts`, with `ParentId` added.'),
  ServiceControlPolicies: z
    .array(
      z.object({
        Id: id.describe('`p-…` (`p-FullAWSAccess` for the AWS managed one).'),
        Name: z.string().optional().describe('Shown in evidence (`scp:<level>/<name>`); the ID if absent.'),
        Content: z
          .string()
          .describe('The policy document as JSON text, as `aws organizations describe-policy` prints it.'),
        Targets: z
          .array(id)
          .describe(
            'The IDs of the roots, OUs and accounts it is attached to (`list-targets-for-policy`, `TargetId`).',
          ),
      }),
    )
    .default([])
    .describe('Every SCP with its targets.'),
})

export type OrganizationFile = z.output<typeof organizationFileSchema>

/** The organisation data cannot be read: `path` names the field, from the object's top. */
export class OrganizationError extends InputError {
  override readonly name = 'OrganizationError'
}

/** Reads an organisation file. @throws OrganizationError naming the first field that is wrong. */
export function parseOrganization(input: unknown, where = 'organization'): OrganizationFile {
  const parsed = organizationFileSchema.safeParse(input)
  if (parsed.success) return parsed.data
  const issues = parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }))
  const [first] = issues
  throw new OrganizationError(
    `${where}${first?.path ? `.${first.path}` : ''}: ${first?.message ?? 'is not an organisation file'}`,
    { issues, cause: parsed.error },
  )
}

/** Where in the organisation an SCP level sits. */
export interface ScpTarget {
  readonly type: 'root' | 'organizational-unit' | 'account'
  readonly id: string
  /** The target's name where the file gives one, else its ID. */
  readonly name: string
}

/** The SCPs attached at one level of the path from the root to the account. */
export interface ScpLevel {
  readonly target: ScpTarget
  readonly policies: readonly ServiceControlPolicy[]
}

/** How the organisation's SCPs bear on one account. */
export type AccountScps =
  | {
      readonly applies: true
      readonly levels: readonly ScpLevel[]
      readonly issues: readonly SnapshotIssue[]
    }
  | { readonly applies: false; readonly reason: string; readonly issues: readonly SnapshotIssue[] }

/** AWS allows five levels of OUs under the root; a longer chain is a loop in the file. */
const MAX_DEPTH = 6

/**
 * The levels an action must be allowed at for `accountId`, as AWS evaluates SCPs: the root,
 * each OU on the way down, then the account itself, each with the SCPs attached there. A deny
 * at any level denies; an action no SCP of a level allows is denied.
 *
 * The management account is not restricted by SCPs. An account the file does not place, or a
 * path the file breaks, is reported and its SCPs are left out: the audit then shows more access
 * than the account may have, never less. A level without any SCP cannot exist in AWS (the last
 * one cannot be detached), so such a level means the file is incomplete: it is reported and left
 * out too.
 */
export function resolveAccountScps(organization: OrganizationFile, accountId: string): AccountScps {
  const issues: SnapshotIssue[] = []
  const note = (message: string) =>
    issues.push({
      policy: `organization ${organization.Organization.Id}`,
      path: 'Organization',
      message,
      skipped: true,
    })
  if (organization.Organization.MasterAccountId === accountId)
    return { applies: false, reason: 'the management account is not restricted by SCPs', issues }
  const account = organization.Accounts.find((entry) => entry.Id === accountId)
  if (!account) {
    note(`does not list account ${accountId}; its SCPs are not evaluated`)
    return { applies: false, reason: 'the account is not in the organisation data', issues }
  }
  const roots = new Map(organization.Roots.map((root) => [root.Id, root]))
  const units = new Map(organization.OrganizationalUnits.map((unit) => [unit.Id, unit]))
  const path: ScpTarget[] = [{ type: 'account', id: account.Id, name: account.Name ?? account.Id }]
  let parent = account.ParentId
  for (let depth = 0; ; depth++) {
    const root = roots.get(parent)
    if (root) {
      path.unshift({ type: 'root', id: root.Id, name: root.Name ?? root.Id })
      break
    }
    const unit = units.get(parent)
    if (!unit || depth >= MAX_DEPTH) {
      note(
        unit
          ? `places account ${accountId} under OUs that never reach a root; its SCPs are not evaluated`
          : `places account ${accountId} under ${parent}, which is neither a root nor an OU of the file; its SCPs are not evaluated`,
      )
      return { applies: false, reason: 'the account has no path to a root in the organisation data', issues }
    }
    path.unshift({ type: 'organizational-unit', id: unit.Id, name: unit.Name ?? unit.Id })
    parent = unit.ParentId
  }
  const levels: ScpLevel[] = []
  for (const target of path) {
    const policies = organization.ServiceControlPolicies.filter((scp) => scp.Targets.includes(target.id)).map(
      (scp): ServiceControlPolicy => ({ id: scp.Id, name: scp.Name ?? scp.Id, document: scp.Content }),
    )
    if (policies.length > 0) levels.push({ target, policies })
    else
      note(
        `attaches no SCP to ${target.type.replace('-', ' ')} ${target.name}; AWS always keeps one there, so the data is incomplete and that level is not evaluated`,
      )
  }
  return { applies: true, levels, issues }
}
