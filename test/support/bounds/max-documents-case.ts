/**
 * Bounds case: documents at IAM's maximum sizes. A required support role holds a managed
 * policy of 6,144 characters (its support access), an inline policy at the role's aggregate
 * inline maximum (10,240) and a trust policy of 4,096. The export is parsed, every document
 * parsed again on its own, the account audited, and each of the three documents changed once
 * (to another document of the same size) and judged by the detect use-case.
 */
import { type GuardConfig, parseGuardConfig } from '#shared/config/guard-config.ts'
import { parsePolicyDocument } from '#shared/policy/parse-policy.ts'
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
import { IAM_LIMITS, iamSize, sizedIdentityPolicy, sizedTrustPolicy } from './sized-documents.ts'

const ROLE = 'SupportTeam'
const POLICY_ARN = customerPolicyArn('SupportOperations')
const INLINE = 'Operations'
const SUPPORT = ['support:*']
const EXTERNAL_ACCOUNT = '999988887777'

/** One change to a maximum-size document and what detect said of it. */
export interface DocumentChange {
  readonly change: string
  readonly documentSize: number
  readonly verdict: string
  readonly rules: readonly string[]
  /** The rule this change must raise on the support role. */
  readonly expected: string
  readonly found: boolean
}

export interface MaxDocumentsOutcome {
  /** IAM sizes of the managed, inline and trust documents of the account. */
  readonly sizes: { readonly managed: number; readonly inline: number; readonly trust: number }
  /** Documents that did not parse (on their own or in the export): must be none. */
  readonly parseIssues: number
  /** The support role's decision for support:CreateCase before any change. */
  readonly createCase: string
  readonly auditFindings: number
  readonly changes: readonly DocumentChange[]
}

function config(): GuardConfig {
  return parseGuardConfig({ supportPrincipals: { required: [`arn:aws:iam::*:role/${ROLE}`] } })
}

/** Runs the case; `ok` when every document parsed and each change raised its expected rule. */
export async function runMaxDocumentsCase(): Promise<MaxDocumentsOutcome> {
  const managed = sizedIdentityPolicy(IAM_LIMITS.managedPolicy, {
    accountId: BOUNDS_ACCOUNT,
    support: SUPPORT,
  })
  const inline = sizedIdentityPolicy(IAM_LIMITS.roleInline, { accountId: BOUNDS_ACCOUNT })
  const trust = sizedTrustPolicy(IAM_LIMITS.trustPolicy, { accountId: BOUNDS_ACCOUNT })
  const raw = rawExport({
    roles: [
      rawRole(ROLE, trust, [inlinePolicy(INLINE, inline)], [attachment(POLICY_ARN)]),
      rawRole('Auditor', accountTrust(), [], []),
    ],
    policies: [rawManagedPolicy(POLICY_ARN, [managed])],
  })
  const guardConfig = config()
  const snapshot = parseAccountSnapshot(JSON.parse(JSON.stringify(raw)))
  const separately = [
    parsePolicyDocument(managed, 'SupportOperations', 'identity'),
    parsePolicyDocument(inline, INLINE, 'identity'),
    parsePolicyDocument(trust, 'trust', 'trust'),
  ]
  const { report, issues } = auditAccount(snapshot, guardConfig)
  const roleArn = `arn:aws:iam::${BOUNDS_ACCOUNT}:role/${ROLE}`
  const access = report.access.find((entry) => entry.principalArn === roleArn)

  const withoutSupport = sizedIdentityPolicy(IAM_LIMITS.managedPolicy, { accountId: BOUNDS_ACCOUNT })
  const denying = sizedIdentityPolicy(IAM_LIMITS.roleInline, { accountId: BOUNDS_ACCOUNT, denySupport: true })
  const external = sizedTrustPolicy(IAM_LIMITS.trustPolicy, {
    accountId: BOUNDS_ACCOUNT,
    externalAccount: EXTERNAL_ACCOUNT,
  })
  const calls = [
    {
      change: 'CreatePolicyVersion (default) of the 6,144 managed policy without support',
      document: withoutSupport,
      expected: 'SUPPORT_ACCESS_LOST',
      eventName: 'CreatePolicyVersion',
      requestParameters: {
        policyArn: POLICY_ARN,
        policyDocument: asRecordedDocument(withoutSupport),
        setAsDefault: true,
      },
      responseElements: { policyVersion: { versionId: 'v2', isDefaultVersion: true } },
    },
    {
      change: 'PutRolePolicy of a 10,240 inline policy denying support',
      document: denying,
      expected: 'SUPPORT_ACCESS_LOST',
      eventName: 'PutRolePolicy',
      requestParameters: { roleName: ROLE, policyName: INLINE, policyDocument: asRecordedDocument(denying) },
    },
    {
      change: 'UpdateAssumeRolePolicy to a 4,096 trust naming another account',
      document: external,
      expected: 'SUPPORT_ACCESS_EXTERNAL_TRUST',
      eventName: 'UpdateAssumeRolePolicy',
      requestParameters: { roleName: ROLE, policyDocument: asRecordedDocument(external) },
    },
  ]
  const changes: DocumentChange[] = []
  for (const [index, call] of calls.entries()) {
    const event = buildIamCallEvent({ accountId: BOUNDS_ACCOUNT, sequence: index + 1, ...call })
    const { result } = await detectInMemory(snapshot, event, guardConfig)
    const rules = result.findings.map((finding) => finding.rule)
    changes.push({
      change: call.change,
      documentSize: iamSize(call.document),
      verdict: result.verdict,
      rules,
      expected: call.expected,
      found: result.findings.some(
        (finding) => finding.rule === call.expected && finding.principalArn === roleArn,
      ),
    })
  }
  return {
    sizes: { managed: iamSize(managed), inline: iamSize(inline), trust: iamSize(trust) },
    parseIssues: issues.length + separately.filter((parsed) => !parsed.ok).length,
    createCase: access?.decisions['support:CreateCase'] ?? 'missing',
    auditFindings: report.findings.length,
    changes,
  }
}

/** True when the outcome is what the case requires. */
export function maxDocumentsHold(outcome: MaxDocumentsOutcome): boolean {
  return (
    outcome.sizes.managed === IAM_LIMITS.managedPolicy &&
    outcome.sizes.inline === IAM_LIMITS.roleInline &&
    outcome.sizes.trust === IAM_LIMITS.trustPolicy &&
    outcome.parseIssues === 0 &&
    outcome.createCase === 'allow' &&
    outcome.changes.every((change) => change.found)
  )
}
