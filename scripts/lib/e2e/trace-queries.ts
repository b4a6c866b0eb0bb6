import type { FindingEventDetail, RemediationEventDetail } from '#shared/pipeline/bus-events.ts'
import type { PipelineTrace, SnsNotification } from './pipeline-trace.ts'
import type { ScenarioStep } from './scenario.ts'

/** `RULE severity outcome` of each notification, sorted: delivery order across rules is not guaranteed. */
export function listNotificationKeys(trace: PipelineTrace): string[] {
  return trace.notifications.map(notificationKey).sort()
}

export function notificationKey(notification: SnsNotification): string {
  const { rule, severity, outcome } = notification.attributes
  return `${rule ?? '?'} ${severity ?? '?'} ${outcome ?? '?'}`
}

/** The one finding of a rule in a trace; throws when there is none or several. */
export function requireFinding(trace: PipelineTrace, rule: FindingEventDetail['rule']): FindingEventDetail {
  const matches = trace.findings.filter((finding) => finding.rule === rule)
  const [only] = matches
  if (matches.length !== 1 || only === undefined) {
    throw new Error(
      `expected one ${rule} finding, got ${matches.length}: ${trace.findings.map((f) => f.rule).join(', ')}`,
    )
  }
  return only
}

/** The remediation outcome reported for a finding, if the remediate function ran for it. */
export function findRemediation(trace: PipelineTrace, findingId: string): RemediationEventDetail | undefined {
  return trace.remediations.find((remediation) => remediation.findingId === findingId)
}

/** What the guard did about a finding, in the words of the timeline. */
export function describeAction(trace: PipelineTrace, finding: FindingEventDetail): string {
  const remediation = findRemediation(trace, finding.id)
  if (remediation) return remediation.outcome
  if (!finding.plan) return 'alert only (no automatic revert)'
  return finding.mode === 'enforce' ? 'alert only (revert not routed)' : 'alert only (monitor mode)'
}

/** The verdicts detect returned in a step (`findings`, `own-change`, …). */
export function listDetectVerdicts(step: ScenarioStep): string[] {
  return step.trace.invocations.flatMap((invocation) => {
    const result = invocation.result
    if (invocation.functionId !== 'DetectFunction' || typeof result !== 'object' || result === null) return []
    const verdict = Reflect.get(result, 'verdict')
    return typeof verdict === 'string' ? [verdict] : []
  })
}
