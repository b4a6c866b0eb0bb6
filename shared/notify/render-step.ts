import { describeStep, type RemediationStep } from '#shared/pipeline/remediation-steps.ts'
import { lookupEventCommand, readBaselineCommand } from './document-locations.ts'
import { excerptDocument } from './policy-excerpt.ts'

/** Where the document a step writes comes from, so a notification can say where to read it. */
export type DocumentOrigin =
  /** The guard's last known-good baseline of a protected principal (what a revert restores). */
  | { readonly kind: 'baseline'; readonly accountId: string; readonly principalArn: string }
  /** The request of a CloudTrail event (what a change wrote, put back by an undo). */
  | { readonly kind: 'change'; readonly eventId: string }
  /** Neither is known. */
  | { readonly kind: 'unknown' }

/** The document a step writes, as a notification shows it instead of pasting it. */
export interface StepDocument {
  /** The file the command reads it from (`file://<file>`). */
  readonly file: string
  /** The start of its compact JSON (see `excerptDocument`). */
  readonly excerpt: string
  /** Where it is, in words: short enough for a chat next step. */
  readonly origin: string
  /** The CLI command that prints it in full, when there is one. */
  readonly command?: string
}

/** A step as a notification shows it: the command, and the document it needs, if any. */
export interface RenderedStep {
  /** The CLI command; a document it writes is named as `file://…`, never pasted. */
  readonly command: string
  readonly document?: StepDocument
}

/**
 * A step's CLI command for a notification. Steps that write a policy document (an inline
 * policy, a trust policy) read it from a file named after the entity, and the result says
 * what the file must hold (an excerpt) and where that document is to be read in full.
 */
export function renderStep(step: RemediationStep, origin: DocumentOrigin): RenderedStep {
  switch (step.action) {
    case 'put-inline-policy': {
      const { principalType: type, principalName, policyName } = step
      const file = fileName(`${principalName}-${policyName}`, origin)
      return {
        command: `aws iam put-${type}-policy --${type}-name ${principalName} --policy-name ${policyName} --policy-document file://${file}`,
        document: describeDocument(file, step.document, `inline policy ${policyName}`, origin),
      }
    }
    case 'update-trust-policy': {
      const file = fileName(`${step.roleName}-trust-policy`, origin)
      return {
        command: `aws iam update-assume-role-policy --role-name ${step.roleName} --policy-document file://${file}`,
        document: describeDocument(file, step.document, `the trust policy of role ${step.roleName}`, origin),
      }
    }
    default:
      return { command: describeStep(step) }
  }
}

/**
 * Text lines for a rendered step: a `- command` bullet at `depth`, and under it what its
 * file holds and where the document is read in full.
 */
export function stepLines(rendered: RenderedStep, depth = 0): readonly string[] {
  const pad = '  '.repeat(depth)
  const bullet = `${pad}- ${rendered.command}`
  const document = rendered.document
  if (document === undefined) return [bullet]
  const where = document.command === undefined ? document.origin : `${document.origin}: ${document.command}`
  return [
    bullet,
    `${pad}    ${document.file} holds: ${document.excerpt}`,
    `${pad}    Full document: ${where}`,
  ]
}

/** A rendered step on one line for chat: the command as code, then where its file comes from. */
export function stepSentence(rendered: RenderedStep, asCode: (command: string) => string): string {
  const code = asCode(rendered.command)
  return rendered.document === undefined
    ? code
    : `${code} (${rendered.document.file}: ${rendered.document.origin})`
}

/** Named after the entity and the origin, so a revert's file and its undo's never share a name. */
function fileName(entity: string, origin: DocumentOrigin): string {
  switch (origin.kind) {
    case 'baseline':
      return `${entity}-baseline.json`
    case 'change':
      return `${entity}-from-event.json`
    case 'unknown':
      return `${entity}.json`
  }
}

function describeDocument(
  file: string,
  document: unknown,
  element: string,
  origin: DocumentOrigin,
): StepDocument {
  const excerpt = excerptDocument(document)
  switch (origin.kind) {
    case 'baseline':
      return {
        file,
        excerpt,
        origin: `${element} of the baseline of ${origin.principalArn} in the guard's baseline table`,
        command: readBaselineCommand(origin.accountId, origin.principalArn),
      }
    case 'change':
      return {
        file,
        excerpt,
        origin: `requestParameters.policyDocument of CloudTrail event ${origin.eventId}`,
        command: lookupEventCommand(origin.eventId),
      }
    case 'unknown':
      return { file, excerpt, origin: `${element} as the original change wrote it` }
  }
}
