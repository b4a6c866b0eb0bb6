import { describe, expect, it } from 'vitest'
import {
  buildCloudTrailEvent,
  identifyIamUser,
  SUPPORT_AUTHZ_SERVICE,
} from '#test-support/e2e/cloudtrail-event.ts'
import { matchesEventPattern, UnsupportedPatternError } from '#test-support/e2e/event-pattern.ts'
import {
  type EventRoute,
  listScheduledFunctions,
  matchRoutes,
  type RuleState,
  readEventRoutes,
  routeEvent,
} from '#test-support/e2e/event-routes.ts'
import { buildSupportPermitCreation, UNBOUNDED_PERMIT } from '#test-support/e2e/support-permits.ts'
import { parseTemplate, readTemplate, TemplateError } from '#test-support/template/template.ts'

const routes = readEventRoutes(readTemplate('template.yaml'))

function findingEvent(detail: Record<string, unknown>): Record<string, unknown> {
  return { source: 'support-guard', 'detail-type': 'Support Access Finding', detail }
}

/** An IAM call as EventBridge delivers it from CloudTrail; `readOnly` is CloudTrail's boolean. */
function iamCall(eventName: string, readOnly: boolean): Record<string, unknown> {
  return {
    source: 'aws.iam',
    'detail-type': 'AWS API Call via CloudTrail',
    detail: { eventSource: 'iam.amazonaws.com', eventName, readOnly },
  }
}

function matchedRules(event: unknown): string[] {
  return matchRoutes(routes, undefined, event).map((route) => route.ruleId)
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

  it('sends a support permit created, as the scenarios build it, to detect through the change rule', () => {
    const event = buildSupportPermitCreation(identifyIamUser('ops-admin'), {
      name: 'OutageInvestigation',
      description: 'routing',
      permit: UNBOUNDED_PERMIT,
      kmsKeyArn: 'arn:aws:kms:us-east-1:123456789012:key/7d3e9b41-2c6a-4f0e-9b1d-5a8c2e4f6b10',
      supportCaseDisplayId: '176512345601',
    })
    expect(event).toMatchObject({
      source: 'aws.supportauthz',
      'detail-type': 'AWS API Call via CloudTrail',
      detail: {
        eventSource: 'supportauthz.amazonaws.com',
        eventName: 'CreateSupportPermit',
        readOnly: false,
      },
    })
    expect(matchedRules(event)).toEqual(['CloudTrailChangeRule'])
    expect(routeEvent(routes, undefined, event)).toEqual(['DetectFunction'])
    // Source and eventSource are both in the pattern: a service the rule does not list goes nowhere.
    const kms = buildCloudTrailEvent(
      { eventName: 'ScheduleKeyDeletion', identity: identifyIamUser('ops-admin'), requestParameters: {} },
      { source: 'aws.kms', eventSource: 'kms.amazonaws.com' },
    )
    expect(routeEvent(routes, undefined, kms)).toEqual([])
    const mismatched = { ...event, detail: { ...event.detail, eventSource: 'kms.amazonaws.com' } }
    expect(routeEvent(routes, undefined, mismatched)).toEqual([])
  })

  it('builds IAM events unless another service is named', () => {
    const call = { eventName: 'GetRole', identity: identifyIamUser('ops-admin'), requestParameters: {} }
    expect(buildCloudTrailEvent(call)).toMatchObject({
      source: 'aws.iam',
      detail: { eventSource: 'iam.amazonaws.com' },
    })
    expect(buildCloudTrailEvent(call, SUPPORT_AUTHZ_SERVICE)).toMatchObject({
      source: 'aws.supportauthz',
      detail: { eventSource: 'supportauthz.amazonaws.com' },
    })
  })

  it('runs the audit on the schedule', () => {
    expect(listScheduledFunctions(routes)).toEqual(['AuditFunction'])
  })
})

describe('rule state: read-only CloudTrail events reach only rules that ask for them', () => {
  it('hands GetServiceLinkedRoleDeletionStatus, a read, to detect through the read-only rule alone', () => {
    const event = iamCall('GetServiceLinkedRoleDeletionStatus', true)
    expect(matchedRules(event)).toEqual(['CloudTrailReadOnlyRule'])
    expect(routeEvent(routes, undefined, event)).toEqual(['DetectFunction'])
  })

  it('hands IAM changes to detect through the change rule alone', () => {
    const event = iamCall('DeleteServiceLinkedRole', false)
    expect(matchedRules(event)).toEqual(['CloudTrailChangeRule'])
    expect(routeEvent(routes, undefined, event)).toEqual(['DetectFunction'])
  })

  it('lets no other read-only IAM call through', () => {
    expect(routeEvent(routes, undefined, iamCall('GetRole', true))).toEqual([])
    expect(routeEvent(routes, undefined, iamCall('ListRoles', true))).toEqual([])
  })

  it('invokes detect once for an event both default-bus rules match', () => {
    // Not what CloudTrail sends (it marks this call read-only), but the harness must not double it.
    const event = iamCall('GetServiceLinkedRoleDeletionStatus', false)
    expect(matchedRules(event)).toEqual(['CloudTrailChangeRule', 'CloudTrailReadOnlyRule'])
    expect(routeEvent(routes, undefined, event)).toEqual(['DetectFunction'])
  })

  describe('each state, on a rule matching every IAM call', () => {
    const ruleIn = (state: RuleState): EventRoute => ({
      ruleId: state,
      busId: undefined,
      state,
      pattern: { source: ['aws.iam'] },
      scheduled: false,
      functionIds: [state],
    })
    const states: RuleState[] = ['ENABLED', 'DISABLED', 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS']
    const all = states.map(ruleIn)

    it('a change reaches ENABLED and ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS', () => {
      expect(routeEvent(all, undefined, iamCall('AttachRolePolicy', false))).toEqual([
        'ENABLED',
        'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS',
      ])
    })

    it('a read reaches ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS only', () => {
      expect(routeEvent(all, undefined, iamCall('GetRole', true))).toEqual([
        'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS',
      ])
    })

    it('an event without a CloudTrail readOnly flag is not a read', () => {
      expect(routeEvent(all, undefined, { source: 'aws.iam', detail: {} })).toEqual([
        'ENABLED',
        'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS',
      ])
    })

    it('a disabled schedule runs nothing', () => {
      const scheduled = all.map((route) => ({ ...route, pattern: undefined, scheduled: true }))
      expect(listScheduledFunctions(scheduled)).toEqual([
        'ENABLED',
        'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS',
      ])
    })
  })

  it.each([
    ['no State', ''],
    ['an unknown State', '      State: ENABLED_SOMETIMES\n'],
  ])('refuses a rule with %s', (_, state) => {
    const template = parseTemplate(
      `Resources:\n  Rule:\n    Type: AWS::Events::Rule\n    Properties:\n${state}      ScheduleExpression: rate(1 day)\n`,
    )
    expect(() => readEventRoutes(template)).toThrow(TemplateError)
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
