/**
 * Bounds case: one required support role at IAM's per-role quotas: 20 attached customer
 * managed policies of the maximum 6,144 characters each (one of them its support access) and
 * 10 inline policies filling the 10,240-character aggregate. The account is audited, then two
 * changes are judged by the detect use-case: the support policy detached, and an inline policy
 * rewritten to deny support.
 */
import { parseGuardConfig } from '#shared/config/guard-config.ts'
import { auditAccount } from '#shared/report/audit-report.ts'
import { parseAccountSnapshot } from '#shared/snapshot/parse-snapshot.ts'
import { asRecordedDocument, buildIamCallEvent } from './cloudtrail-event.ts'
import { detectInMemory } from './detect-in-memory.ts'
import {
  accountTrust,
  attachment,
  BOUNDS_ACCOUNT,
  customerPolicyArn,
  inlinePolicy,
  rawExport,
  rawManagedPolicy,
  rawRole,
} from './raw-entities.ts'
import { IAM_LIMITS, sizedIdentityPolicy } from './sized-documents.ts'

const ROLE = 'PlatformSupport'
const SUPPORT = [
  'support:CreateCase',
  'support:DescribeCases',
  'support:AddCommunicationToCase',
  'support:ResolveCase',
]

export interface RoleQuotasOutcome {
  readonly attached: number
  readonly inline: number
  readonly auditFindings: number
  readonly createCase: string
  readonly changes: readonly {
    readonly change: string
    readonly rules: readonly string[]
    readonly found: boolean
  }[]
}

/** Runs the case. */
export async function runRoleQuotasCase(): Promise<RoleQuotasOutcome> {
  const inlineSize = Math.floor(IAM_LIMITS.roleInline / IAM_LIMITS.roleInlineCount)
  const policies = Array.from({ length: IAM_LIMITS.roleAttached }, (_, index) =>
    rawManagedPolicy(customerPolicyArn(`platform-${index}`), [
      sizedIdentityPolicy(IAM_LIMITS.managedPolicy, {
        accountId: BOUNDS_ACCOUNT,
        ...(index === 0 ? { support: SUPPORT } : {}),
      }),
    ]),
  )
  const inline = Array.from({ length: IAM_LIMITS.roleInlineCount }, (_, index) =>
    inlinePolicy(`inline-${index}`, sizedIdentityPolicy(inlineSize, { accountId: BOUNDS_ACCOUNT })),
  )
  const role = rawRole(
    ROLE,
    accountTrust(),
    inline,
    policies.map((policy) => attachment(policy.Arn)),
  )
  const snapshot = parseAccountSnapshot(JSON.parse(JSON.stringify(rawExport({ roles: [role], policies }))))
  const config = parseGuardConfig({ supportPrincipals: { required: [`arn:aws:iam::*:role/${ROLE}`] } })
  const roleArn = `arn:aws:iam::${BOUNDS_ACCOUNT}:role/${ROLE}`
  const { report } = auditAccount(snapshot, config)
  const denying = sizedIdentityPolicy(inlineSize, { accountId: BOUNDS_ACCOUNT, denySupport: true })
  const calls = [
    {
      change: 'DetachRolePolicy of the policy granting support',
      eventName: 'DetachRolePolicy',
      requestParameters: { roleName: ROLE, policyArn: policies[0]?.Arn },
    },
    {
      change: 'PutRolePolicy of an inline policy denying support',
      eventName: 'PutRolePolicy',
      requestParameters: {
        roleName: ROLE,
        policyName: 'inline-9',
        policyDocument: asRecordedDocument(denying),
      },
    },
  ]
  const changes = []
  for (const [index, call] of calls.entries()) {
    const event = buildIamCallEvent({ accountId: BOUNDS_ACCOUNT, sequence: 100 + index, ...call })
    const { result } = await detectInMemory(snapshot, event, config)
    changes.push({
      change: call.change,
      rules: result.findings.map((finding) => finding.rule),
      found: result.findings.some(
        (finding) => finding.rule === 'SUPPORT_ACCESS_LOST' && finding.principalArn === roleArn,
      ),
    })
  }
  const record = snapshot.roles.find((entry) => entry.arn === roleArn)
  return {
    attached: record?.attached.length ?? 0,
    inline: record?.inline.length ?? 0,
    auditFindings: report.findings.length,
    createCase:
      report.access.find((entry) => entry.principalArn === roleArn)?.decisions['support:CreateCase'] ??
      'missing',
    changes,
  }
}

/** True when the role is at the quotas, holds support access, and both changes were found. */
export function roleQuotasHold(outcome: RoleQuotasOutcome): boolean {
  return (
    outcome.attached === IAM_LIMITS.roleAttached &&
    outcome.inline === IAM_LIMITS.roleInlineCount &&
    outcome.createCase === 'allow' &&
    outcome.changes.every((change) => change.found)
  )
}
