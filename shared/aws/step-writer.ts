import type { StepWriter } from '#shared/pipeline/ports.ts'
import type { RemediationStep } from '#shared/pipeline/remediation-steps.ts'
import type { IamWriter } from './iam-writer.ts'

/** Applies revert steps through the IAM writer: the remediate function's only way to write. */
export class IamStepWriter implements StepWriter {
  constructor(private readonly writer: IamWriter) {}

  async apply(step: RemediationStep): Promise<void> {
    switch (step.action) {
      case 'attach-policy':
        return this.writer.attachPolicy(step.principalType, step.principalName, step.policyArn)
      case 'detach-policy':
        return this.writer.detachPolicy(step.principalType, step.principalName, step.policyArn)
      case 'put-inline-policy':
        return this.writer.putInlinePolicy(
          step.principalType,
          step.principalName,
          step.policyName,
          asDocument(step.document),
        )
      case 'delete-inline-policy':
        return this.writer.deleteInlinePolicy(step.principalType, step.principalName, step.policyName)
      case 'set-default-policy-version':
        return this.writer.setDefaultPolicyVersion(step.policyArn, step.versionId)
      case 'update-trust-policy':
        return this.writer.updateAssumeRolePolicy(step.roleName, asDocument(step.document))
      case 'put-permissions-boundary':
        return this.writer.putPermissionsBoundary(step.principalType, step.principalName, step.policyArn)
      case 'delete-permissions-boundary':
        return this.writer.deletePermissionsBoundary(step.principalType, step.principalName)
      case 'add-user-to-group':
        return this.writer.addUserToGroup(step.groupName, step.userName)
      case 'remove-user-from-group':
        return this.writer.removeUserFromGroup(step.groupName, step.userName)
      case 'create-service-linked-role':
        await this.writer.createServiceLinkedRole(step.awsServiceName)
        return
    }
  }
}

function asDocument(document: unknown): string | Readonly<Record<string, unknown>> {
  if (typeof document === 'string') return document
  if (document && typeof document === 'object' && !Array.isArray(document))
    return document as Record<string, unknown>
  return JSON.stringify(document)
}
