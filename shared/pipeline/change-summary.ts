import type { ChangeEvent } from '#shared/events/types.ts'
import type { ChangeSummary } from './bus-events.ts'

/** The part of a change that findings and notifications carry (documents decoded for reading). */
export function summarizeChange(change: ChangeEvent, principalsChecked?: number): ChangeSummary {
  const parameters: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(change.parameters)) {
    if (value === undefined) continue
    // The document as classifyChange decoded it.
    parameters[key] = key === 'policyDocument' ? change.document : value
  }
  return {
    eventName: change.eventName,
    eventId: change.eventId,
    eventTime: change.eventTime,
    actorArn: change.actorArn,
    ...(change.sourceIp ? { sourceIp: change.sourceIp } : {}),
    ...(change.userAgent ? { userAgent: change.userAgent } : {}),
    failed: change.failed,
    ...(change.errorCode ? { errorCode: change.errorCode } : {}),
    targets: change.targets,
    parameters,
    ...(principalsChecked === undefined ? {} : { principalsChecked }),
  }
}
