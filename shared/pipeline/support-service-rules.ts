import type { GuardConfig } from '#shared/config/guard-config.ts'
import type { Severity } from '#shared/config/rules.ts'
import { SUPPORT_AUTHZ_EVENT_SOURCE, SUPPORT_PLANS_EVENT_SOURCE } from '#shared/events/change-kinds.ts'
import type { ChangeEvent, SupportPermitGrant } from '#shared/events/types.ts'
import { type FindingDraft, finalizeFinding } from '#shared/findings/finding.ts'
import { buildAccountRootArn, nameOfArn, parseIamEntityArn } from '#shared/policy/arn.ts'
import type { DirectFinding } from './change-rules.ts'

/** Calls that change the Support plan itself or end the agreement behind it. */
const PLAN_CHANGES: ReadonlySet<string> = new Set([
  'StartSupportPlanUpdate',
  'CreateSupportPlanSchedule',
  'CancelSupportAgreement',
])

/** How a permit's reach reads in a title, a detail line and a notification. */
export interface PermitScope {
  /** All actions, on all resources in the Region, with no end time: the widest grant there is. */
  readonly unbounded: boolean
  readonly actions: string
  readonly resources: string
  readonly window: string
  /** Parts the recorded request does not spell out: judged as the widest they could be. */
  readonly unread: readonly string[]
}

/**
 * SUPPORT_PERMIT_CREATED for a CreateSupportPermit that took effect: high when AWS Support
 * operators may perform every action on every resource of the Region with no end time, medium
 * otherwise. SUPPORT_PLAN_CHANGED (high) for a Support plan update, a scheduled plan change or
 * a cancelled agreement. Judged from the event alone; never reverted (the guard writes neither
 * supportauthz nor supportplans).
 */
export function findSupportServiceFindings(change: ChangeEvent, config: GuardConfig): DirectFinding[] {
  // A failed call created no permit and left the plan as it was: the attempt alone is no finding.
  if (change.failed) return []
  const draft =
    change.eventSource === SUPPORT_AUTHZ_EVENT_SOURCE && change.eventName === 'CreateSupportPermit'
      ? draftPermitCreated(change)
      : change.eventSource === SUPPORT_PLANS_EVENT_SOURCE && PLAN_CHANGES.has(change.eventName)
        ? draftPlanChanged(change)
        : undefined
  return draft ? [{ finding: finalizeFinding(draft, change.accountId, config.severityOverrides) }] : []
}

/** The reach of a permit; a part the request does not carry in a known form counts as unbounded. */
export function describePermitScope(grant: SupportPermitGrant | undefined, region?: string): PermitScope {
  const where = region ? `in ${region}` : 'in the Region'
  const actions = grant?.actions
  const resources = grant?.resources
  const unread = [
    ...(actions === undefined ? ['actions'] : []),
    ...(resources === undefined ? ['resources'] : []),
    ...(grant === undefined ? ['time window'] : []),
  ]
  const allActions = actions === undefined || actions === 'all'
  const allResources = resources === undefined || resources === 'all-in-region'
  const noEnd = grant?.allowBefore === undefined
  return {
    unbounded: allActions && allResources && noEnd,
    actions: allActions ? 'all actions' : `${countOf(actions.length, 'action')} (${actions.join(', ')})`,
    resources: allResources
      ? `all resources ${where}`
      : `${countOf(resources.length, 'resource')} (${resources.join(', ')})`,
    window: describeWindow(grant),
    unread,
  }
}

function draftPermitCreated(change: ChangeEvent): FindingDraft {
  const grant = change.parameters.supportPermit
  const scope = describePermitScope(grant, change.awsRegion)
  const severity: Severity = scope.unbounded ? 'high' : 'medium'
  const name = grant?.name ?? '(name not recorded)'
  const permitArn = change.response.permitArn
  const region = change.awsRegion ?? 'the Region of the call'
  const reach = `${scope.actions} on ${scope.resources}, ${scope.window}`
  const unread =
    scope.unread.length > 0
      ? ` The recorded request does not say which ${scope.unread.join(', ')} it covers: judged as the widest.`
      : ''
  return {
    rule: 'SUPPORT_PERMIT_CREATED',
    principalArn: callerSubject(change),
    discriminator: change.eventId,
    severity,
    // Subjects stop at 100 characters: the kind of grant goes first, its details in `detail`.
    title: `${scope.unbounded ? 'Unbounded support permit' : 'Support permit'} ${name} created by ${nameOfArn(change.actorArn)}`,
    detail:
      `${change.actorArn} created the support permit ${permitArn ?? name} in ${region} from ${change.sourceIp ?? 'an unknown address'}: ` +
      `AWS Support operators may perform ${reach}` +
      `${grant?.kmsKeyArn ? `, signed with KMS key ${grant.kmsKeyArn}` : ''}` +
      `${grant?.supportCaseDisplayId ? `, for support case ${grant.supportCaseDisplayId}` : ''}.` +
      (scope.unbounded ? ' This is the widest grant a permit can carry.' : '') +
      `${unread} A permit cannot be modified after it is created: to narrow it, delete it and create another.`,
    evidence: {
      permitName: grant?.name ?? null,
      permitArn: permitArn ?? null,
      actions: grant?.actions ?? 'unknown (judged as all)',
      resources:
        grant?.resources === undefined
          ? 'unknown (judged as all in the Region)'
          : grant.resources === 'all-in-region'
            ? `all in ${region}`
            : grant.resources,
      allowAfter: grant?.allowAfter ?? null,
      allowBefore: grant?.allowBefore ?? null,
      signingKeyArn: grant?.kmsKeyArn ?? null,
      supportCaseDisplayId: grant?.supportCaseDisplayId ?? null,
      region: change.awsRegion ?? null,
      createdBy: change.actorArn,
      eventId: change.eventId,
      sourceIp: change.sourceIp,
      userAgent: change.userAgent,
    },
    remediation: {
      automatic: false,
      steps: [
        `If the permit is not intended, delete it: aws supportauthz delete-support-permit --support-permit-identifier ${permitArn ?? grant?.name ?? '<permit ARN or name>'}${change.awsRegion ? ` --region ${change.awsRegion}` : ''}`,
        'To keep access but narrow it, delete the permit and create one that lists its actions and resources and ends (allowBefore).',
        'Review who may call supportauthz:CreateSupportPermit: support-guard who-can supportauthz:CreateSupportPermit --snapshot <account export>',
      ],
    },
  }
}

function draftPlanChanged(change: ChangeEvent): FindingDraft {
  const request = change.parameters.opaqueRequest
  return {
    rule: 'SUPPORT_PLAN_CHANGED',
    principalArn: callerSubject(change),
    discriminator: change.eventId,
    title: `Support plan changed: ${change.eventName} by ${nameOfArn(change.actorArn)}`,
    detail:
      `${change.actorArn} called ${change.eventName} (AWS Support Plans) from ${change.sourceIp ?? 'an unknown address'}: ` +
      'the Support plan of the account, or the agreement behind it, changes. A downgrade or a cancelled ' +
      'agreement takes away support the account may rely on (response times, Trusted Advisor checks, case severities).',
    evidence: {
      eventName: change.eventName,
      // Not documented publicly: kept as sent (bounded), not interpreted.
      requestParameters: request ?? null,
      region: change.awsRegion ?? null,
      changedBy: change.actorArn,
      eventId: change.eventId,
      sourceIp: change.sourceIp,
      userAgent: change.userAgent,
    },
    remediation: {
      automatic: false,
      steps: [
        'Confirm with the caller that the plan change was intended; check the plan now in the AWS Support Plans console.',
        `Review who may call supportplans:${change.eventName}: support-guard who-can supportplans:${change.eventName} --snapshot <account export>`,
      ],
    },
  }
}

/**
 * The finding's subject: the calling user or role (the role behind an assumed-role session), or
 * the account root when the caller is the root user or not an IAM user or role at all.
 */
function callerSubject(change: ChangeEvent): string {
  const entity = parseIamEntityArn(change.actorArn)
  if (entity && entity.type !== 'group') return change.actorArn
  return buildAccountRootArn(change.accountId)
}

function describeWindow(grant: SupportPermitGrant | undefined): string {
  if (grant === undefined) return 'with an unknown time window'
  if (grant.allowBefore && grant.allowAfter) return `from ${grant.allowAfter} until ${grant.allowBefore}`
  if (grant.allowBefore) return `until ${grant.allowBefore}`
  if (grant.allowAfter) return `from ${grant.allowAfter} with no end time`
  return 'no time window'
}

function countOf(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`
}
