/**
 * One IAM write the guard can make to revert a change. Plain data: planned by the pure
 * core, carried on the findings bus, applied by the remediate function's IAM writer.
 */
export type RemediationStep =
  | {
      readonly action: 'attach-policy'
      readonly principalType: PrincipalKind
      readonly principalName: string
      readonly policyArn: string
    }
  | {
      readonly action: 'detach-policy'
      readonly principalType: PrincipalKind
      readonly principalName: string
      readonly policyArn: string
    }
  | {
      readonly action: 'put-inline-policy'
      readonly principalType: PrincipalKind
      readonly principalName: string
      readonly policyName: string
      /** The document to restore, as a JSON object. */
      readonly document: unknown
    }
  | {
      readonly action: 'delete-inline-policy'
      readonly principalType: PrincipalKind
      readonly principalName: string
      readonly policyName: string
    }
  | { readonly action: 'set-default-policy-version'; readonly policyArn: string; readonly versionId: string }
  | { readonly action: 'update-trust-policy'; readonly roleName: string; readonly document: unknown }
  | {
      readonly action: 'put-permissions-boundary'
      readonly principalType: 'role' | 'user'
      readonly principalName: string
      readonly policyArn: string
    }
  | {
      readonly action: 'delete-permissions-boundary'
      readonly principalType: 'role' | 'user'
      readonly principalName: string
    }
  | { readonly action: 'add-user-to-group'; readonly userName: string; readonly groupName: string }
  | { readonly action: 'remove-user-from-group'; readonly userName: string; readonly groupName: string }
  | { readonly action: 'create-service-linked-role'; readonly awsServiceName: string }

export type PrincipalKind = 'role' | 'user' | 'group'

/** A revert: the steps, and the principal whose finding it should clear. */
export interface RemediationPlan {
  readonly steps: readonly RemediationStep[]
  /** Why this revert: the change it undoes, in words. */
  readonly reason: string
}

/** One line a person can read (and the CLI command that would do the same). */
export function describeStep(step: RemediationStep): string {
  switch (step.action) {
    case 'attach-policy':
      return `aws iam attach-${step.principalType}-policy --${step.principalType}-name ${step.principalName} --policy-arn ${step.policyArn}`
    case 'detach-policy':
      return `aws iam detach-${step.principalType}-policy --${step.principalType}-name ${step.principalName} --policy-arn ${step.policyArn}`
    case 'put-inline-policy':
      return `aws iam put-${step.principalType}-policy --${step.principalType}-name ${step.principalName} --policy-name ${step.policyName} --policy-document '${JSON.stringify(step.document)}'`
    case 'delete-inline-policy':
      return `aws iam delete-${step.principalType}-policy --${step.principalType}-name ${step.principalName} --policy-name ${step.policyName}`
    case 'set-default-policy-version':
      return `aws iam set-default-policy-version --policy-arn ${step.policyArn} --version-id ${step.versionId}`
    case 'update-trust-policy':
      return `aws iam update-assume-role-policy --role-name ${step.roleName} --policy-document '${JSON.stringify(step.document)}'`
    case 'put-permissions-boundary':
      return `aws iam put-${step.principalType}-permissions-boundary --${step.principalType}-name ${step.principalName} --permissions-boundary ${step.policyArn}`
    case 'delete-permissions-boundary':
      return `aws iam delete-${step.principalType}-permissions-boundary --${step.principalType}-name ${step.principalName}`
    case 'add-user-to-group':
      return `aws iam add-user-to-group --user-name ${step.userName} --group-name ${step.groupName}`
    case 'remove-user-from-group':
      return `aws iam remove-user-from-group --user-name ${step.userName} --group-name ${step.groupName}`
    case 'create-service-linked-role':
      return `aws iam create-service-linked-role --aws-service-name ${step.awsServiceName}`
  }
}
