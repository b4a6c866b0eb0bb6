import type { ChangeSummary } from '#shared/pipeline/bus-events.ts'
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

/** Who, what, when and from where: the facts of the API call, in reading order. */
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
  for (const document of listParameterDocuments(change.parameters)) {
    facts.push({ label: document.name, value: document.text })
  }
  facts.push({ label: 'CloudTrail event', value: change.eventId })
  return facts
}

/** Facts as `Label: value` lines with the values aligned. */
export function formatFacts(facts: readonly ChangeFact[]): readonly string[] {
  const width = Math.max(...facts.map((fact) => fact.label.length)) + 1
  return facts.map((fact) => `${`${fact.label}:`.padEnd(width)} ${fact.value}`)
}
