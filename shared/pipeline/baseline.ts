import { isAwsManagedPolicyArn } from '#shared/policy/arn.ts'
import { decodePolicyDocumentOrKeep } from '#shared/policy/decode-document.ts'
import type { ManagedPolicyRecord, PrincipalRecord } from '#shared/snapshot/types.ts'

/**
 * Last known-good state of a protected principal (a required support principal or a
 * Support App role), recorded whenever an evaluation finds it compliant, so a revert can
 * restore what an event does not carry (the previous trust policy, inline document,
 * boundary, default policy version).
 */
export interface Baseline {
  readonly accountId: string
  readonly principalArn: string
  readonly principalType: 'role' | 'user'
  readonly name: string
  /** Roles only: the trust policy as a JSON object. */
  readonly trustPolicy?: unknown
  readonly inline: readonly { readonly name: string; readonly document: unknown }[]
  readonly attached: readonly string[]
  readonly boundaryArn?: string
  /** Users only: group names. */
  readonly groups?: readonly string[]
  /** Default version of each attached customer managed policy. */
  readonly policyVersions: Readonly<Record<string, string>>
  readonly supportApp: boolean
  readonly recordedAt: string
  /** CloudTrail event after which it was recorded, or `audit`. */
  readonly source: string
}

/** Builds a baseline from a principal as just read (documents decoded to objects). */
export function captureBaseline(
  accountId: string,
  record: PrincipalRecord,
  policies: ReadonlyMap<string, ManagedPolicyRecord>,
  options: { supportApp: boolean; recordedAt: string; source: string },
): Baseline {
  const policyVersions: Record<string, string> = {}
  for (const ref of record.attached) {
    const policy = policies.get(ref.arn)
    if (policy && !isAwsManagedPolicyArn(ref.arn)) policyVersions[ref.arn] = policy.defaultVersionId
  }
  return {
    accountId,
    principalArn: record.arn,
    principalType: record.kind,
    name: record.name,
    ...(record.kind === 'role' ? { trustPolicy: decodePolicyDocumentOrKeep(record.trustPolicy) } : {}),
    inline: record.inline.map((policy) => ({
      name: policy.name,
      document: decodePolicyDocumentOrKeep(policy.document),
    })),
    attached: record.attached.map((ref) => ref.arn),
    ...(record.boundaryArn ? { boundaryArn: record.boundaryArn } : {}),
    ...(record.kind === 'user' ? { groups: [...record.groups] } : {}),
    policyVersions,
    supportApp: options.supportApp,
    recordedAt: options.recordedAt,
    source: options.source,
  }
}

/**
 * The default version a customer managed policy had when its holders were last known good (the
 * first baseline that recorded one), with that baseline: what a policy-version change returns to.
 */
export function findPriorDefaultVersion(
  baselines: readonly Baseline[],
  policyArn: string,
): { readonly versionId: string; readonly baseline: Baseline } | undefined {
  for (const baseline of baselines) {
    const versionId = baseline.policyVersions[policyArn]
    if (versionId) return { versionId, baseline }
  }
  return undefined
}
