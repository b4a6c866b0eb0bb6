import { canonicalDocument as canonical } from '#shared/policy/canonical-document.ts'
import type { PrincipalRecord } from '#shared/snapshot/types.ts'
import type { Baseline } from './baseline.ts'
import type { RemediationStep } from './remediation-steps.ts'

/**
 * Steps that bring a protected principal back to its baseline, for drift no event
 * reported: re-attach and detach managed policies, restore or remove inline policies,
 * restore the trust policy, the boundary and group memberships.
 */
export function planBaselineRestore(current: PrincipalRecord, baseline: Baseline): RemediationStep[] {
  const type = current.kind
  const name = current.name
  const steps: RemediationStep[] = []
  const attached = new Set(current.attached.map((ref) => ref.arn))
  for (const arn of baseline.attached) {
    if (!attached.has(arn))
      steps.push({ action: 'attach-policy', principalType: type, principalName: name, policyArn: arn })
  }
  for (const arn of attached) {
    if (!baseline.attached.includes(arn))
      steps.push({ action: 'detach-policy', principalType: type, principalName: name, policyArn: arn })
  }
  const inline = new Map(current.inline.map((policy) => [policy.name, canonical(policy.document)]))
  for (const policy of baseline.inline) {
    if (inline.get(policy.name) !== canonical(policy.document)) {
      steps.push({
        action: 'put-inline-policy',
        principalType: type,
        principalName: name,
        policyName: policy.name,
        document: policy.document,
      })
    }
  }
  for (const policyName of inline.keys()) {
    if (!baseline.inline.some((policy) => policy.name === policyName)) {
      steps.push({ action: 'delete-inline-policy', principalType: type, principalName: name, policyName })
    }
  }
  if (
    current.kind === 'role' &&
    baseline.trustPolicy !== undefined &&
    canonical(current.trustPolicy) !== canonical(baseline.trustPolicy)
  ) {
    steps.push({ action: 'update-trust-policy', roleName: name, document: baseline.trustPolicy })
  }
  if (current.boundaryArn !== baseline.boundaryArn) {
    steps.push(
      baseline.boundaryArn
        ? {
            action: 'put-permissions-boundary',
            principalType: type,
            principalName: name,
            policyArn: baseline.boundaryArn,
          }
        : { action: 'delete-permissions-boundary', principalType: type, principalName: name },
    )
  }
  if (current.kind === 'user') {
    for (const group of baseline.groups ?? []) {
      if (!current.groups.includes(group))
        steps.push({ action: 'add-user-to-group', userName: name, groupName: group })
    }
    for (const group of current.groups) {
      if (!(baseline.groups ?? []).includes(group))
        steps.push({ action: 'remove-user-from-group', userName: name, groupName: group })
    }
  }
  return steps
}
