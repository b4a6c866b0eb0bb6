import * as z from 'zod'

const text = z.string().min(1)
const principalKind = z.enum(['role', 'user', 'group'])
const boundedKind = z.enum(['role', 'user'])

/**
 * One IAM write the guard can make to revert a change. Plain data: planned by the pure core,
 * shown on the findings bus, re-planned and applied by the remediate function's IAM writer.
 */
export const remediationStepSchema = z.discriminatedUnion('action', [
  z
    .object({
      action: z.literal('attach-policy'),
      principalType: principalKind,
      principalName: text,
      policyArn: text,
    })
    .readonly(),
  z
    .object({
      action: z.literal('detach-policy'),
      principalType: principalKind,
      principalName: text,
      policyArn: text,
    })
    .readonly(),
  z
    .object({
      action: z.literal('put-inline-policy'),
      principalType: principalKind,
      principalName: text,
      policyName: text,
      /** The document to restore, as a JSON object. */
      document: z.unknown(),
    })
    .readonly(),
  z
    .object({
      action: z.literal('delete-inline-policy'),
      principalType: principalKind,
      principalName: text,
      policyName: text,
    })
    .readonly(),
  z.object({ action: z.literal('set-default-policy-version'), policyArn: text, versionId: text }).readonly(),
  z.object({ action: z.literal('update-trust-policy'), roleName: text, document: z.unknown() }).readonly(),
  z
    .object({
      action: z.literal('put-permissions-boundary'),
      principalType: boundedKind,
      principalName: text,
      policyArn: text,
    })
    .readonly(),
  z
    .object({
      action: z.literal('delete-permissions-boundary'),
      principalType: boundedKind,
      principalName: text,
    })
    .readonly(),
  z.object({ action: z.literal('add-user-to-group'), userName: text, groupName: text }).readonly(),
  z.object({ action: z.literal('remove-user-from-group'), userName: text, groupName: text }).readonly(),
  z.object({ action: z.literal('create-service-linked-role'), awsServiceName: text }).readonly(),
])

export type RemediationStep = z.infer<typeof remediationStepSchema>

export type PrincipalKind = z.infer<typeof principalKind>

/** Where a revert takes the state it restores from. */
export const PLAN_SOURCES = ['change', 'baseline', 'recreate'] as const

export const remediationPlanSchema = z
  .object({
    steps: z.array(remediationStepSchema).readonly(),
    /** Why this revert: the change it undoes, in words. */
    reason: z.string(),
    /**
     * `change`: the exact inverse of the triggering change (the state right before it);
     * `baseline`: an element restored from the last known-good baseline (nothing better existed);
     * `recreate`: the Service Quotas service-linked role re-created.
     */
    source: z.enum(PLAN_SOURCES).optional(),
  })
  .readonly()

/** A revert: the steps, and why. */
export type RemediationPlan = z.infer<typeof remediationPlanSchema>

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
