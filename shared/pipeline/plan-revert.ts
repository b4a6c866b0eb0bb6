import { SUPPORT_APP_SLR_SERVICE } from '#shared/catalog/support-actions.ts'
import type { Baseline } from './baseline.ts'
import type { Mutation } from './mutate-snapshot.ts'
import type { RemediationStep } from './remediation-steps.ts'

/** What a revert may draw on besides the change itself. */
export interface RevertSources {
  /** Baseline of the principal the change acted on, if it is protected. */
  readonly baseline?: Baseline
  /** The default version a managed policy had when its holders were last compliant. */
  readonly priorDefaultVersion?: string
}

/**
 * The steps that restore the state before `mutation`: the inverse for attachments and
 * memberships, the baseline's copy for documents, trust and boundaries. Undefined when the
 * prior state is unknown (no baseline) or cannot be restored (a deleted role).
 */
export function planRevertSteps(mutation: Mutation, sources: RevertSources): RemediationStep[] | undefined {
  const { baseline } = sources
  switch (mutation.action) {
    case 'attach-policy':
      return [{ ...mutation, action: 'detach-policy' }]
    case 'detach-policy':
      return [{ ...mutation, action: 'attach-policy' }]
    case 'put-inline-policy':
    case 'delete-inline-policy': {
      const previous = baseline?.inline.find((policy) => policy.name === mutation.policyName)
      const { principalType, principalName, policyName } = mutation
      if (previous)
        return [
          {
            action: 'put-inline-policy',
            principalType,
            principalName,
            policyName,
            document: previous.document,
          },
        ]
      return mutation.action === 'put-inline-policy'
        ? [{ action: 'delete-inline-policy', principalType, principalName, policyName }]
        : undefined
    }
    case 'create-policy-version':
    case 'set-default-policy-version': {
      const prior = sources.priorDefaultVersion
      const current =
        mutation.action === 'set-default-policy-version' || mutation.setAsDefault
          ? mutation.versionId
          : undefined
      if (!prior || !current || prior === current) return undefined
      return [{ action: 'set-default-policy-version', policyArn: mutation.policyArn, versionId: prior }]
    }
    case 'update-trust-policy':
      return baseline?.trustPolicy === undefined
        ? undefined
        : [{ action: 'update-trust-policy', roleName: mutation.roleName, document: baseline.trustPolicy }]
    case 'put-permissions-boundary':
    case 'delete-permissions-boundary': {
      if (!baseline) return undefined
      const { principalType, principalName } = mutation
      if (baseline.boundaryArn) {
        return [
          {
            action: 'put-permissions-boundary',
            principalType,
            principalName,
            policyArn: baseline.boundaryArn,
          },
        ]
      }
      return mutation.action === 'put-permissions-boundary'
        ? [{ action: 'delete-permissions-boundary', principalType, principalName }]
        : undefined
    }
    case 'add-user-to-group':
      return [{ ...mutation, action: 'remove-user-from-group' }]
    case 'remove-user-from-group':
      return [{ ...mutation, action: 'add-user-to-group' }]
    case 'delete-principal':
      // Service Quotas' service-linked role can be re-created; other deleted principals cannot be rebuilt faithfully.
      return mutation.principalType === 'role' && mutation.principalName === 'AWSServiceRoleForServiceQuotas'
        ? [{ action: 'create-service-linked-role', awsServiceName: SUPPORT_APP_SLR_SERVICE }]
        : undefined
    case 'create-service-linked-role':
      return undefined
  }
}
