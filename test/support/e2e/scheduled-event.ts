import { randomUUID } from 'node:crypto'
import { E2E_ACCOUNT_ID, E2E_REGION, formatCloudTrailTime } from './cloudtrail-event.ts'

/** What an EventBridge schedule rule sends its target (the audit function). */
export function buildScheduledEvent(): Record<string, unknown> {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: E2E_ACCOUNT_ID,
    time: formatCloudTrailTime(new Date()),
    region: E2E_REGION,
    resources: [`arn:aws:events:${E2E_REGION}:${E2E_ACCOUNT_ID}:rule/support-guard-AuditScheduleRule`],
    detail: {},
  }
}
