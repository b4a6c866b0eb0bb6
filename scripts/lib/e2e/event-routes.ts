import { type CfnTemplate, isRecord, listResources, TemplateError } from '../template.ts'
import { matchesEventPattern } from './event-pattern.ts'

/** One AWS::Events::Rule of the template: which bus it listens on and which functions it invokes. */
export interface EventRoute {
  readonly ruleId: string
  /** Logical ID of the custom bus (`EventBusName: !Ref X`); undefined for the default bus. */
  readonly busId: string | undefined
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
      pattern: properties.EventPattern,
      scheduled: properties.ScheduleExpression !== undefined,
      functionIds: targets.map((target) => readTargetFunction(target, ruleId)),
    }
  })
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
  const matched = routes.filter(
    (route) =>
      route.busId === busId && route.pattern !== undefined && matchesEventPattern(route.pattern, event),
  )
  return [...new Set(matched.flatMap((route) => route.functionIds))]
}

/** The functions invoked on a schedule (no event pattern). */
export function listScheduledFunctions(routes: readonly EventRoute[]): string[] {
  return [...new Set(routes.filter((route) => route.scheduled).flatMap((route) => route.functionIds))]
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
