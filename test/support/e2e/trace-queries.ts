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
  if (remediation) return remediation.refused ? 'refused' : remediation.outcome
  if (!finding.plan) return 'alert only (no automatic revert)'
  if (finding.mode === 'monitor') return 'alert only (monitor mode)'
  return finding.withheld === undefined ? 'alert only (revert not routed)' : 'left alone (enforce mode)'
}

/**
 * Whether an IAM API action can change the account. Anything but a Get or List counts, so an
 * action this list never heard of is taken for a write.
 */
export function isIamWrite(action: string): boolean {
  return !/^(Get|List)[A-Z]/.test(action)
}

/** The IAM writes the functions made in a trace (only `functionId`'s, when given), in order. */
export function listIamWrites(trace: PipelineTrace, functionId?: string): string[] {
  return trace.invocations
    .filter((invocation) => functionId === undefined || invocation.functionId === functionId)
    .flatMap((invocation) => invocation.iamCalls.filter(isIamWrite))
}

/**
 * Whether the trace starts on the findings bus: no guard function produced its finding events,
 * someone put them there (the harness's `putFindingEvent`).
 */
export function isPutFromOutside(trace: PipelineTrace): boolean {
  return trace.invocations[0]?.trigger === 'findings-bus'
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
