import { type CfnTemplate, isRecord, listResources, TemplateError } from '../template/template.ts'
import { matchesEventPattern } from './event-pattern.ts'

/**
 * A rule's `State`. EventBridge matches no event against a DISABLED rule, and hands read-only
 * CloudTrail management events only to rules in ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS
 * (EventBridge User Guide, "Receiving read-only management events from AWS services").
 */
export const RULE_STATES = ['ENABLED', 'DISABLED', 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS'] as const
export type RuleState = (typeof RULE_STATES)[number]

/** One AWS::Events::Rule of the template: which bus it listens on and which functions it invokes. */
export interface EventRoute {
  readonly ruleId: string
  /** Logical ID of the custom bus (`EventBusName: !Ref X`); undefined for the default bus. */
  readonly busId: string | undefined
  readonly state: RuleState
  /** Undefined for schedule rules. */
  readonly pattern: unknown
  readonly scheduled: boolean
  /** Logical IDs of the functions the rule targets. */
  readonly functionIds: readonly string[]
}

/** Every EventBridge rule of the template, with its Lambda targets. */
export function readEventRoutes(template: CfnTemplate): EventRoute[] {
  return listResources(template, 'AWS::Events::Rule').map(([ruleId, resource]) => {
    const properties = resource.Properties ?? {}
    const targets = Array.isArray(properties.Targets) ? properties.Targets : []
    return {
      ruleId,
      busId: readRef(properties.EventBusName, ruleId),
      state: readState(properties.State, ruleId),
      pattern: properties.EventPattern,
      scheduled: properties.ScheduleExpression !== undefined,
      functionIds: targets.map((target) => readTargetFunction(target, ruleId)),
    }
  })
}

/**
 * A read-only CloudTrail management event: CloudTrail marks the call `readOnly` (a boolean in the
 * event EventBridge delivers).
 */
export function isReadOnlyManagementEvent(event: unknown): boolean {
  return isRecord(event) && isRecord(event.detail) && event.detail.readOnly === true
}

/** Whether a rule in this state sees the event at all, before its pattern is tried. */
function stateAdmits(state: RuleState, event: unknown): boolean {
  if (state === 'DISABLED') return false
  return state === 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS' || !isReadOnlyManagementEvent(event)
}

/** The rules on a bus (undefined: the default bus) that match an event, in the template's order. */
export function matchRoutes(
  routes: readonly EventRoute[],
  busId: string | undefined,
  event: unknown,
): EventRoute[] {
  return routes.filter(
    (route) =>
      route.busId === busId &&
      route.pattern !== undefined &&
      stateAdmits(route.state, event) &&
      matchesEventPattern(route.pattern, event),
  )
}

/**
 * The functions EventBridge would invoke for an event put on a bus (undefined: the default bus),
 * in the template's rule order, each once.
 */
export function routeEvent(
  routes: readonly EventRoute[],
  busId: string | undefined,
  event: unknown,
): string[] {
  return [...new Set(matchRoutes(routes, busId, event).flatMap((route) => route.functionIds))]
}

/** The functions invoked on a schedule (no event pattern) by a rule that is not disabled. */
export function listScheduledFunctions(routes: readonly EventRoute[]): string[] {
  const scheduled = routes.filter((route) => route.scheduled && route.state !== 'DISABLED')
  return [...new Set(scheduled.flatMap((route) => route.functionIds))]
}

/** Every rule states its State: the routing assumes no default. */
function readState(value: unknown, ruleId: string): RuleState {
  const known = RULE_STATES.find((state) => state === value)
  if (known === undefined)
    throw new TemplateError(`${ruleId}: State must be one of ${RULE_STATES.join(', ')}`)
  return known
}

function readRef(value: unknown, ruleId: string): string | undefined {
  if (value === undefined) return undefined
  if (isRecord(value) && typeof value.Ref === 'string') return value.Ref
  throw new TemplateError(`${ruleId}: EventBusName must be !Ref of a bus in the template`)
}

function readTargetFunction(target: unknown, ruleId: string): string {
  const arn = isRecord(target) ? target.Arn : undefined
  const getAtt = isRecord(arn) ? arn['Fn::GetAtt'] : undefined
  if (Array.isArray(getAtt) && getAtt[1] === 'Arn' && typeof getAtt[0] === 'string') return getAtt[0]
  throw new TemplateError(`${ruleId}: every target must be !GetAtt <Function>.Arn`)
}
