import { describe, expect, it } from 'vitest'
import { matchesEventPattern, UnsupportedPatternError } from '../../scripts/lib/e2e/event-pattern.ts'
import { listScheduledFunctions, readEventRoutes, routeEvent } from '../../scripts/lib/e2e/event-routes.ts'
import { readTemplate } from '../../scripts/lib/template.ts'

const routes = readEventRoutes(readTemplate('template.yaml'))

function findingEvent(detail: Record<string, unknown>): Record<string, unknown> {
  return { source: 'support-guard', 'detail-type': 'Support Access Finding', detail }
}

describe('routing the way the template rules do (used by the end-to-end harness)', () => {
  it('sends IAM CloudTrail events, failed ones included, from the default bus to detect', () => {
    const event = {
      source: 'aws.iam',
      'detail-type': 'AWS API Call via CloudTrail',
      detail: { eventSource: 'iam.amazonaws.com', errorCode: 'UnmodifiableEntity' },
    }
    expect(routeEvent(routes, undefined, event)).toEqual(['DetectFunction'])
    expect(routeEvent(routes, undefined, { ...event, source: 'aws.s3' })).toEqual([])
  })

  it('sends enforce-mode findings with an automatic revert to remediate and every finding to notify', () => {
    const enforce = findingEvent({ mode: 'enforce', remediation: { automatic: true } })
    const monitor = findingEvent({ mode: 'monitor', remediation: { automatic: true } })
    const manual = findingEvent({ mode: 'enforce', remediation: { automatic: false } })

    expect(routeEvent(routes, 'FindingsBus', enforce)).toEqual(['RemediateFunction', 'NotifyFunction'])
    expect(routeEvent(routes, 'FindingsBus', monitor)).toEqual(['NotifyFunction'])
    expect(routeEvent(routes, 'FindingsBus', manual)).toEqual(['NotifyFunction'])
    expect(
      routeEvent(routes, 'FindingsBus', {
        source: 'support-guard',
        'detail-type': 'Support Access Remediation',
        detail: {},
      }),
    ).toEqual(['NotifyFunction'])
    expect(routeEvent(routes, undefined, enforce)).toEqual([])
  })

  it('runs the audit on the schedule', () => {
    expect(listScheduledFunctions(routes)).toEqual(['AuditFunction'])
  })
})

describe('matchesEventPattern', () => {
  it.each([
    [{ a: ['x'] }, { a: 'x' }, true],
    [{ a: ['x'] }, { a: 'y' }, false],
    [{ a: ['x'] }, {}, false],
    [{ a: ['x', 'y'] }, { a: ['z', 'y'] }, true],
    [{ a: [true] }, { a: 'true' }, false],
    [{ a: [null] }, { a: null }, true],
    [{ a: { b: [1] } }, { a: { b: 1, c: 2 } }, true],
    [{ a: { b: [1] } }, { a: 1 }, false],
  ])('%j against %j is %s', (pattern, event, expected) => {
    expect(matchesEventPattern(pattern, event)).toBe(expected)
  })

  it('refuses content filters instead of guessing', () => {
    expect(() => matchesEventPattern({ a: [{ prefix: 'x' }] }, { a: 'xy' })).toThrow(UnsupportedPatternError)
  })
})
