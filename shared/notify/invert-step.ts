import type { ChangeSummary } from '#shared/pipeline/bus-events.ts'
import type { RemediationStep } from '#shared/pipeline/remediation-steps.ts'
import { lookupEventCommand } from './document-locations.ts'
import { renderStep, type StepDocument } from './render-step.ts'
import { readChangedDocument } from './render-values.ts'

/** How to take back one step of the guard's revert: an exact step, or words when it cannot know. */
export type UndoInstruction =
  | { readonly kind: 'step'; readonly step: RemediationStep }
  | { readonly kind: 'manual'; readonly text: string }

/**
 * The inverse of a step the guard applied, i.e. how to put back the change the guard reverted.
 * What the change wrote (a document, a boundary, a version) comes from `change.parameters`; when
 * the change summary does not carry it, the instruction says where to find it.
 */
export function invertStep(step: RemediationStep, change?: ChangeSummary): UndoInstruction {
  const parameters = change?.parameters ?? {}
  const source = change === undefined ? 'the original change' : `CloudTrail event ${change.eventId}`
  // Where the document the change wrote can be read: the event's request parameters.
  const lookup =
    change === undefined ? '' : ` (requestParameters.policyDocument: ${lookupEventCommand(change.eventId)})`
  switch (step.action) {
    case 'attach-policy':
      return { kind: 'step', step: { ...step, action: 'detach-policy' } }
    case 'detach-policy':
      return { kind: 'step', step: { ...step, action: 'attach-policy' } }
    case 'put-inline-policy': {
      const { principalType, principalName, policyName } = step
      const document = change?.eventName.startsWith('Put') ? readChangedDocument(parameters) : undefined
      if (document !== undefined) {
        return {
          kind: 'step',
          step: { action: 'put-inline-policy', principalType, principalName, policyName, document },
        }
      }
      return {
        kind: 'step',
        step: { action: 'delete-inline-policy', principalType, principalName, policyName },
      }
    }
    case 'delete-inline-policy': {
      const document = wrote(change, INLINE_PUT) ? readChangedDocument(parameters) : undefined
      if (document !== undefined)
        return { kind: 'step', step: { ...step, action: 'put-inline-policy', document } }
      return {
        kind: 'manual',
        text: `Re-create inline policy ${step.policyName} on ${step.principalType} ${step.principalName} with the document from ${source}${lookup}.`,
      }
    }
    case 'set-default-policy-version': {
      const versionId = parameters.versionId
      if (typeof versionId === 'string' && versionId !== step.versionId) {
        return { kind: 'step', step: { ...step, versionId } }
      }
      return {
        kind: 'manual',
        text: `Set the default version of ${step.policyArn} back to the one ${source} made default (aws iam list-policy-versions --policy-arn ${step.policyArn}).`,
      }
    }
    case 'update-trust-policy': {
      const document = wrote(change, TRUST_UPDATE) ? readChangedDocument(parameters) : undefined
      if (document !== undefined) return { kind: 'step', step: { ...step, document } }
      return {
        kind: 'manual',
        text: `Put back the trust policy of role ${step.roleName} that ${source} wrote${lookup}.`,
      }
    }
    case 'put-permissions-boundary': {
      const { principalType, principalName } = step
      const boundary = change?.eventName.startsWith('Put') ? parameters.permissionsBoundary : undefined
      if (typeof boundary === 'string') {
        return { kind: 'step', step: { ...step, policyArn: boundary } }
      }
      return { kind: 'step', step: { action: 'delete-permissions-boundary', principalType, principalName } }
    }
    case 'delete-permissions-boundary': {
      const boundary = parameters.permissionsBoundary
      if (typeof boundary === 'string') {
        return { kind: 'step', step: { ...step, action: 'put-permissions-boundary', policyArn: boundary } }
      }
      return {
        kind: 'manual',
        text: `Put back the permissions boundary of ${step.principalType} ${step.principalName} that ${source} set.`,
      }
    }
    case 'add-user-to-group':
      return { kind: 'step', step: { ...step, action: 'remove-user-from-group' } }
    case 'remove-user-from-group':
      return { kind: 'step', step: { ...step, action: 'add-user-to-group' } }
    case 'create-service-linked-role':
      return {
        kind: 'manual',
        text: `The guard re-created the service-linked role for ${step.awsServiceName}; it is normally kept. To remove it: aws iam delete-service-linked-role --role-name <the role created for ${step.awsServiceName}>.`,
      }
  }
}

const INLINE_PUT = /^Put(Role|User|Group)Policy$/
const TRUST_UPDATE = /^UpdateAssumeRolePolicy$/

/** True when `change` is a call that writes the kind of document a step restores (not another one). */
function wrote(change: ChangeSummary | undefined, eventName: RegExp): boolean {
  return change !== undefined && eventName.test(change.eventName)
}

/** One undo line: a CLI command, or words when the exact command cannot be known. */
export interface UndoLine {
  readonly text: string
  readonly isCommand: boolean
  /** For a command that writes a policy document: the `file://` it reads, and where that document is. */
  readonly document?: StepDocument
}

/**
 * The undo of a whole revert, last step first so the revert is taken back in reverse order.
 * A command that puts back a document the change wrote reads it from a file; `document` says
 * which CloudTrail event holds it.
 */
export function describeUndo(steps: readonly RemediationStep[], change?: ChangeSummary): readonly UndoLine[] {
  const origin =
    change === undefined
      ? ({ kind: 'unknown' } as const)
      : { kind: 'change' as const, eventId: change.eventId }
  return [...steps].reverse().map((step) => {
    const undo = invertStep(step, change)
    if (undo.kind === 'manual') return { text: undo.text, isCommand: false }
    const rendered = renderStep(undo.step, origin)
    return {
      text: rendered.command,
      isCommand: true,
      ...(rendered.document === undefined ? {} : { document: rendered.document }),
    }
  })
}
