import {
  type ChangeSummary,
  FINDING_DETAIL_TYPE,
  type FindingEventDetail,
  REMEDIATION_DETAIL_TYPE,
  type RemediationEventDetail,
  type RemediationOutcome,
} from '#shared/pipeline/bus-events.ts'
import { describeStep } from '#shared/pipeline/remediation-steps.ts'
import { asCode, buildChatbotMessage } from './build-chatbot-message.ts'
import { describeChange, formatFacts } from './describe-change.ts'
import { describeUndo, type UndoLine } from './invert-step.ts'
import { makeSubject } from './make-subject.ts'
import type { Notification } from './notification.ts'
import { renderEvidence } from './render-values.ts'
import { bullets, renderTextBody, type Section } from './sections.ts'

const AUDIT_LINE =
  'Found by the scheduled audit: no single API call is attached to this finding (drift, or a change the event rules did not see).'

/**
 * The notification for one finding: who did what, when and from where (or that the scheduled
 * audit found it), what it changed, and what the guard did in its mode. Outcome is `open`.
 */
export function formatFindingNotification(detail: FindingEventDetail): Notification {
  const subject = makeSubject(`[${detail.severity.toUpperCase()}] ${detail.rule}: ${detail.title}`)
  const guard = describeGuardAction(detail)
  const todo = guard.showsManualSteps ? [] : detail.remediation.steps
  const sections: Section[] = [
    describeOrigin(detail.change),
    {
      heading: 'What it changed',
      lines: [
        detail.detail,
        `Principal: ${detail.principalArn}`,
        ...withHeading('Evidence:', renderEvidence(detail.evidence)),
      ],
    },
    { heading: `What the guard did (mode: ${detail.mode})`, lines: guard.lines },
    ...(todo.length > 0 ? [{ heading: 'What to do', lines: bullets(todo) }] : []),
    describeReference(detail.id, detail.rule, detail.severity, detail.accountId),
  ]
  const attributes = { severity: detail.severity, rule: detail.rule, outcome: 'open' as const }
  return {
    subject,
    body: renderTextBody(subject, sections),
    attributes,
    chatbot: buildChatbotMessage({
      title: subject,
      sections: sections.slice(0, 3),
      nextSteps: [...guard.nextSteps, ...todo],
      keywords: [detail.severity, detail.rule, detail.mode, 'open'],
      threadId: detail.id,
      summary: subject,
      eventType: FINDING_DETAIL_TYPE,
      relatedResources: [detail.principalArn, ...(detail.change?.targets ?? [])],
      additionalContext: {
        ...attributes,
        findingId: detail.id,
        accountId: detail.accountId,
        mode: detail.mode,
      },
    }),
  }
}

/**
 * The notification for one remediation outcome: what the guard wrote (or why it did not), the
 * change it answered, and how to undo the guard's own revert if the change was intended.
 */
export function formatRemediationNotification(detail: RemediationEventDetail): Notification {
  const words = detail.refused ? 'finding event REFUSED' : OUTCOME_WORDS[detail.outcome]
  const subject = makeSubject(`[${detail.severity.toUpperCase()}] ${detail.rule} ${words}: ${detail.title}`)
  const commands = detail.steps.map(describeStep)
  const undo = detail.outcome === 'skipped' ? [] : describeUndo(detail.steps, detail.change)
  const sections: Section[] = [
    {
      heading: 'Outcome',
      lines: [
        detail.refused ? REFUSED_SENTENCE : OUTCOME_SENTENCES[detail.outcome],
        `Reason: ${detail.reason}`,
        ...(detail.error === undefined ? [] : [`Error: ${detail.error}`]),
      ],
    },
    describeOrigin(detail.change),
    { heading: 'What the guard did', lines: describeWrites(detail.outcome, commands) },
    { heading: "How to undo the guard's revert", lines: describeUndoLines(detail.outcome, undo) },
    describeReference(detail.findingId, detail.rule, detail.severity, detail.accountId, detail.principalArn),
  ]
  const attributes = { severity: detail.severity, rule: detail.rule, outcome: detail.outcome }
  return {
    subject,
    body: renderTextBody(subject, sections),
    attributes,
    chatbot: buildChatbotMessage({
      title: subject,
      sections: sections.slice(0, 3),
      nextSteps: remediationNextSteps(detail, commands, undo),
      keywords: [detail.severity, detail.rule, detail.outcome],
      threadId: detail.findingId,
      summary: subject,
      eventType: REMEDIATION_DETAIL_TYPE,
      relatedResources: [detail.principalArn, ...(detail.change?.targets ?? [])],
      additionalContext: { ...attributes, findingId: detail.findingId, accountId: detail.accountId },
    }),
  }
}

const OUTCOME_WORDS: Readonly<Record<RemediationOutcome, string>> = {
  reverted: 'reverted',
  failed: 'revert FAILED',
  skipped: 'revert skipped',
}

const REFUSED_SENTENCE =
  "The guard refused a finding event that asked for IAM writes its own plan does not contain, and wrote nothing. Only the guard's functions may put events on the findings bus: find who put this one (CloudTrail PutEvents on the bus) and review their events:PutEvents permissions."

const OUTCOME_SENTENCES: Readonly<Record<RemediationOutcome, string>> = {
  reverted: 'The guard reverted the change.',
  failed: 'The guard tried to revert the change and failed: the principal may be partly reverted.',
  skipped: 'The guard did not revert the change.',
}

interface GuardAction {
  readonly lines: readonly string[]
  readonly nextSteps: readonly string[]
  /** True when the lines already list the finding's manual remediation steps. */
  readonly showsManualSteps: boolean
}

function describeGuardAction(detail: FindingEventDetail): GuardAction {
  const plan = detail.plan
  const planned = plan?.steps.map(describeStep) ?? []
  const why = plan === undefined ? [] : [`Why: ${plan.reason}`]
  const manual = detail.remediation.steps
  if (plan === undefined || planned.length === 0) {
    if (detail.mode === 'monitor') {
      return {
        lines: ['Nothing written (monitor mode). No automatic revert exists for this finding.'],
        nextSteps: [],
        showsManualSteps: false,
      }
    }
    return {
      lines: ['No automatic revert:', ...bullets(manual, 1)],
      nextSteps: manual,
      showsManualSteps: true,
    }
  }
  const yourself = planned.map((command) => `To revert it yourself: ${asCode(command)}`)
  if (detail.withheld !== undefined || (detail.mode === 'enforce' && !detail.remediation.automatic)) {
    const because = detail.withheld ?? 'the finding is not marked for automatic revert'
    return {
      lines: [
        `Nothing written: enforce mode leaves this finding alone (${because}).`,
        'The revert it would otherwise take:',
        ...bullets(planned, 1),
        ...why,
      ],
      nextSteps: yourself,
      showsManualSteps: false,
    }
  }
  if (detail.mode === 'monitor') {
    return {
      lines: [
        'Nothing written (monitor mode); in enforce mode the guard would:',
        ...bullets(planned, 1),
        ...why,
      ],
      nextSteps: yourself,
      showsManualSteps: false,
    }
  }
  return {
    lines: [
      'Revert requested: the remediate function re-checks the account and applies',
      ...bullets(planned, 1),
      ...why,
      'A second notification reports the outcome and how to undo the revert.',
    ],
    nextSteps: ['Watch for the remediation notification in this thread.'],
    showsManualSteps: false,
  }
}

function describeOrigin(change: ChangeSummary | undefined): Section {
  if (change === undefined) return { heading: 'What happened', lines: [AUDIT_LINE] }
  return { heading: 'What happened', lines: formatFacts(describeChange(change)) }
}

function describeWrites(outcome: RemediationOutcome, commands: readonly string[]): readonly string[] {
  if (outcome === 'skipped' || commands.length === 0) return ['Nothing written.']
  if (outcome === 'failed') return ['Attempted (some may not have been applied):', ...bullets(commands, 1)]
  return ['Applied:', ...bullets(commands, 1)]
}

function describeUndoLines(outcome: RemediationOutcome, undo: readonly UndoLine[]): readonly string[] {
  if (undo.length === 0) return ['Nothing to undo: the guard wrote nothing.']
  const intro =
    outcome === 'failed'
      ? 'Only for the steps that did apply (check the principal first), in this order:'
      : 'If the change was intended, run in this order, then record it in the guard config so it is not reverted again:'
  return [
    intro,
    ...bullets(
      undo.map((line) => line.text),
      1,
    ),
  ]
}

function remediationNextSteps(
  detail: RemediationEventDetail,
  commands: readonly string[],
  undo: readonly UndoLine[],
): readonly string[] {
  switch (detail.outcome) {
    case 'reverted':
      return undo.map(
        (line) =>
          `If the change was intended, undo the revert: ${line.isCommand ? asCode(line.text) : line.text}`,
      )
    case 'failed':
      return [
        'Check the principal and finish the revert by hand:',
        ...commands.map((command) => asCode(command)),
      ]
    case 'skipped':
      return [`Review the finding by hand: ${detail.reason}`]
  }
}

function describeReference(
  findingId: string,
  rule: string,
  severity: string,
  accountId: string,
  principalArn?: string,
): Section {
  return {
    heading: 'Reference',
    lines: [
      `Finding: ${findingId}`,
      `Rule: ${rule} (severity ${severity})`,
      `Account: ${accountId}`,
      ...(principalArn === undefined ? [] : [`Principal: ${principalArn}`]),
    ],
  }
}

function withHeading(heading: string, lines: readonly string[]): readonly string[] {
  return lines.length === 0 ? [] : [heading, ...lines.map((line) => `  ${line}`)]
}
