import type { ChangeSummary } from '#shared/pipeline/bus-events.ts'
import { lookupEventCommand, readChangedElementCommand } from './document-locations.ts'
import { listParameterDocuments, renderParameters } from './render-values.ts'

/** A labelled fact about the change, rendered as `Label: value` in text and chat. */
export interface ChangeFact {
  readonly label: string
  readonly value: string
}

/** Whether the call took effect: a failed call is an attempt, and still a signal. */
export function describeCallStatus(change: ChangeSummary): string {
  if (!change.failed) return 'succeeded'
  return change.errorCode === undefined
    ? 'failed (attempt only)'
    : `failed with ${change.errorCode} (attempt only)`
}

/**
 * Who, what, when and from where: the facts of the API call, in reading order. A policy
 * document the call sent is shown as an excerpt, with where to read it in full: the CloudTrail
 * event, and for a call that took effect, the IAM command that prints the element now.
 */
export function describeChange(change: ChangeSummary): readonly ChangeFact[] {
  const facts: ChangeFact[] = [
    { label: 'Action', value: `${change.eventName} (${describeCallStatus(change)})` },
    { label: 'Who', value: change.actorArn },
    { label: 'When', value: change.eventTime },
    { label: 'From', value: change.sourceIp ?? 'unknown source IP' },
  ]
  if (change.userAgent !== undefined) facts.push({ label: 'User agent', value: change.userAgent })
  if (change.targets.length > 0) facts.push({ label: 'Targets', value: change.targets.join(', ') })
  const parameters = renderParameters(change.parameters)
  if (parameters !== '') facts.push({ label: 'Parameters', value: parameters })
  const documents = listParameterDocuments(change.parameters)
  for (const document of documents) {
    facts.push({ label: document.name, value: document.excerpt })
    facts.push({
      label: 'Full document',
      value: `requestParameters.${requestField(change, document.name)} of the event: ${lookupEventCommand(change.eventId)}`,
    })
  }
  const current = documents.length > 0 && !change.failed ? readChangedElementCommand(change) : undefined
  if (current !== undefined) facts.push({ label: 'In IAM now', value: current })
  if (change.principalsChecked !== undefined) {
    const count = change.principalsChecked.toLocaleString('en-US')
    facts.push({
      label: 'Checked',
      value: `${count} ${change.principalsChecked === 1 ? 'role or user' : 'roles and users'} the change reaches`,
    })
  }
  facts.push({ label: 'CloudTrail event', value: change.eventId })
  return facts
}

/** The request field CloudTrail records the document in (the summary names CreateRole's trust `policyDocument`). */
function requestField(change: ChangeSummary, name: string): string {
  return change.eventName === 'CreateRole' ? 'assumeRolePolicyDocument' : name
}

/** Facts as `Label: value` lines with the values aligned. */
export function formatFacts(facts: readonly ChangeFact[]): readonly string[] {
  const width = Math.max(...facts.map((fact) => fact.label.length)) + 1
  return facts.map((fact) => `${`${fact.label}:`.padEnd(width)} ${fact.value}`)
}
