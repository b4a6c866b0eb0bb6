import { patternOf } from '#shared/findings/evidence.ts'
import {
  type ChangeSummary,
  FINDING_DETAIL_TYPE,
  type FindingEventDetail,
  REMEDIATION_DETAIL_TYPE,
  type RemediationEventDetail,
  type RemediationOutcome,
} from '#shared/pipeline/bus-events.ts'
import { accountLabel } from './account-label.ts'
import { asCode, assembleNotification } from './build-chatbot-message.ts'
import { describeChange, formatFacts } from './describe-change.ts'
import { describeUndo, type UndoLine } from './invert-step.ts'
import { makeSubject } from './make-subject.ts'
import type { Notification } from './notification.ts'
import { type DocumentOrigin, type RenderedStep, renderStep, stepLines, stepSentence } from './render-step.ts'
import { renderEvidence, renderProse } from './render-values.ts'
import { bullets, type Section } from './sections.ts'

/** What the notify function knows about a finding's account besides the event. */
export interface AccountContext {
  /** Its name in AWS Organizations; absent when unknown (no organisation, or the lookup failed). */
  readonly accountName?: string
}

const AUDIT_LINE =
  'Found by the scheduled audit: no single API call is attached to this finding (drift, or a change the event rules did not see).'

/**
 * The notification for one finding: who did what, when and from where (or that the scheduled
 * audit found it), what it changed, and what the guard did in its mode. Outcome is `open`.
 * Policy documents appear only as excerpts with where to read them in full (see render-step.ts).
 */
export function formatFindingNotification(
  detail: FindingEventDetail,
  account: AccountContext = {},
): Notification {
  const subject = makeSubject(`[${detail.severity.toUpperCase()}] ${detail.rule}: ${detail.title}`)
  const guard = describeGuardAction(detail)
  const todo = guard.showsManualSteps ? [] : readManualSteps(detail)
  const sections: Section[] = [
    describeOrigin(detail.change, detail.accountId, account),
    {
      heading: 'What it changed',
      lines: [
        renderProse(detail.detail),
        describePrincipal(detail),
        ...withHeading('Evidence:', renderEvidence(detail.evidence)),
      ],
    },
    { heading: `What the guard did (mode: ${detail.mode})`, lines: guard.lines },
    ...(todo.length > 0 ? [{ heading: 'What to do', lines: bullets(todo) }] : []),
    describeReference(
      detail.id,
      detail.rule,
      detail.severity,
      accountLabel(detail.accountId, account.accountName),
    ),
  ]
  const attributes = { severity: detail.severity, rule: detail.rule, outcome: 'open' as const }
  return assembleNotification({
    subject,
    sections,
    attributes,
    nextSteps: [...guard.nextSteps, ...todo],
    keywords: [detail.severity, detail.rule, detail.mode, 'open'],
    threadId: detail.id,
    eventType: FINDING_DETAIL_TYPE,
    relatedResources: relatedResources(detail),
    additionalContext: {
      ...attributes,
      findingId: detail.id,
      accountId: detail.accountId,
      ...namedAccount(account),
      mode: detail.mode,
    },
  })
}

/**
 * The notification for one remediation outcome: what the guard wrote (or why it did not), the
 * change it answered, and how to undo the guard's own revert if the change was intended. A
 * document the guard restored is named as a file with an excerpt and its place in the baseline;
 * one an undo puts back, with the CloudTrail event that holds it.
 */
export function formatRemediationNotification(
  detail: RemediationEventDetail,
  account: AccountContext = {},
): Notification {
  const words = detail.refused ? 'finding event REFUSED' : OUTCOME_WORDS[detail.outcome]
  const subject = makeSubject(`[${detail.severity.toUpperCase()}] ${detail.rule} ${words}: ${detail.title}`)
  const commands = detail.steps.map((step) => renderStep(step, baselineOf(detail)))
  const undo = detail.outcome === 'skipped' ? [] : describeUndo(detail.steps, detail.change)
  const sections: Section[] = [
    {
      heading: 'Outcome',
      lines: [
        detail.refused ? REFUSED_SENTENCE : OUTCOME_SENTENCES[detail.outcome],
        `Reason: ${renderProse(detail.reason)}`,
        ...(detail.error === undefined ? [] : [`Error: ${renderProse(detail.error)}`]),
      ],
    },
    describeOrigin(detail.change, detail.accountId, account),
    { heading: 'What the guard did', lines: describeWrites(detail.outcome, commands) },
    { heading: "How to undo the guard's revert", lines: describeUndoLines(detail.outcome, undo) },
    describeReference(
      detail.findingId,
      detail.rule,
      detail.severity,
      accountLabel(detail.accountId, account.accountName),
      detail.principalArn ?? undefined,
    ),
  ]
  const attributes = { severity: detail.severity, rule: detail.rule, outcome: detail.outcome }
  return assembleNotification({
    subject,
    sections,
    attributes,
    nextSteps: remediationNextSteps(detail, commands, undo),
    keywords: [detail.severity, detail.rule, detail.outcome],
    threadId: detail.findingId,
    eventType: REMEDIATION_DETAIL_TYPE,
    relatedResources: relatedResources(detail),
    additionalContext: {
      ...attributes,
      findingId: detail.findingId,
      accountId: detail.accountId,
      ...namedAccount(account),
    },
  })
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
  // Every document a plan writes is restored from the principal's baseline (plan-revert.ts).
  const planned = plan?.steps.map((step) => renderStep(step, baselineOf(detail))) ?? []
  const why = plan === undefined ? [] : [`Why: ${renderProse(plan.reason)}`]
  const manual = readManualSteps(detail)
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
  const yourself = planned.map((step) => `To revert it yourself: ${stepSentence(step, asCode)}`)
  const plannedLines = planned.flatMap((step) => stepLines(step, 1))
  if (detail.withheld !== undefined || (detail.mode === 'enforce' && !detail.remediation.automatic)) {
    const because = detail.withheld ?? 'the finding is not marked for automatic revert'
    return {
      lines: [
        `Nothing written: enforce mode leaves this finding alone (${because}).`,
        'The revert it would otherwise take:',
        ...plannedLines,
        ...why,
      ],
      nextSteps: yourself,
      showsManualSteps: false,
    }
  }
  if (detail.mode === 'monitor') {
    return {
      lines: ['Nothing written (monitor mode); in enforce mode the guard would:', ...plannedLines, ...why],
      nextSteps: yourself,
      showsManualSteps: false,
    }
  }
  return {
    lines: [
      'Revert requested: the remediate function re-checks the account and applies',
      ...plannedLines,
      ...why,
      'A second notification reports the outcome and how to undo the revert.',
    ],
    nextSteps: ['Watch for the remediation notification in this thread.'],
    showsManualSteps: false,
  }
}

/**
 * The change, or the audit that found the drift. A named account (the central guard of an
 * organisation, where one topic serves every account) is said first: it is where to look.
 */
function describeOrigin(
  change: ChangeSummary | undefined,
  accountId: string,
  account: AccountContext,
): Section {
  const where = account.accountName
    ? [{ label: 'Account', value: accountLabel(accountId, account.accountName) }]
    : []
  if (change === undefined) return { heading: 'What happened', lines: [...formatFacts(where), AUDIT_LINE] }
  return { heading: 'What happened', lines: formatFacts([...where, ...describeChange(change)]) }
}

function describeWrites(outcome: RemediationOutcome, commands: readonly RenderedStep[]): readonly string[] {
  if (outcome === 'skipped' || commands.length === 0) return ['Nothing written.']
  const lines = commands.flatMap((command) => stepLines(command, 1))
  if (outcome === 'failed') return ['Attempted (some may not have been applied):', ...lines]
  return ['Applied:', ...lines]
}

function describeUndoLines(outcome: RemediationOutcome, undo: readonly UndoLine[]): readonly string[] {
  if (undo.length === 0) return ['Nothing to undo: the guard wrote nothing.']
  const intro =
    outcome === 'failed'
      ? 'Only for the steps that did apply (check the principal first), in this order:'
      : 'If the change was intended, run in this order, then record it in the guard config so it is not reverted again:'
  return [intro, ...undo.flatMap((line) => stepLines(asRenderedStep(line), 1))]
}

function remediationNextSteps(
  detail: RemediationEventDetail,
  commands: readonly RenderedStep[],
  undo: readonly UndoLine[],
): readonly string[] {
  switch (detail.outcome) {
    case 'reverted':
      return undo.map(
        (line) =>
          `If the change was intended, undo the revert: ${line.isCommand ? stepSentence(asRenderedStep(line), asCode) : line.text}`,
      )
    case 'failed':
      return [
        'Check the principal and finish the revert by hand:',
        ...commands.map((command) => stepSentence(command, asCode)),
      ]
    case 'skipped':
      return [`Review the finding by hand: ${renderProse(detail.reason)}`]
  }
}

/** Where a revert's documents come from: the baseline of the finding's principal. */
function baselineOf(detail: {
  readonly accountId: string
  readonly principalArn: string | null
}): DocumentOrigin {
  return detail.principalArn === null
    ? { kind: 'unknown' }
    : { kind: 'baseline', accountId: detail.accountId, principalArn: detail.principalArn }
}

/** The finding's principal; a finding about a config pattern that matches nobody names the pattern. */
function describePrincipal(detail: FindingEventDetail): string {
  if (detail.principalArn !== null) return `Principal: ${detail.principalArn}`
  const pattern = patternOf(detail.evidence)
  return pattern === undefined ? 'Principal: none' : `Principal: none (no user or role matches ${pattern})`
}

function relatedResources(detail: {
  readonly principalArn: string | null
  /** As the bus-event schemas infer it: an optional field may hold `undefined`. */
  readonly change?: ChangeSummary | undefined
}): string[] {
  return [...(detail.principalArn === null ? [] : [detail.principalArn]), ...(detail.change?.targets ?? [])]
}

function readManualSteps(detail: FindingEventDetail): readonly string[] {
  return detail.remediation.steps.map((step) => renderProse(step))
}

/** An undo line as a step: words stay words (a bullet), a command keeps its document. */
function asRenderedStep(line: UndoLine): RenderedStep {
  return line.document === undefined
    ? { command: line.text }
    : { command: line.text, document: line.document }
}

/** The account's name for the chat message's context, when known. */
function namedAccount(account: AccountContext): { accountName?: string } {
  return account.accountName ? { accountName: account.accountName } : {}
}

function describeReference(
  findingId: string,
  rule: string,
  severity: string,
  account: string,
  principalArn?: string,
): Section {
  return {
    heading: 'Reference',
    lines: [
      `Finding: ${findingId}`,
      `Rule: ${rule} (severity ${severity})`,
      `Account: ${account}`,
      ...(principalArn === undefined ? [] : [`Principal: ${principalArn}`]),
    ],
  }
}

function withHeading(heading: string, lines: readonly string[]): readonly string[] {
  return lines.length === 0 ? [] : [heading, ...lines.map((line) => `  ${line}`)]
}
