import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { buildTargets, findSubjects } from '#shared/events/build-targets.ts'
import { findChangeKind, HANDLED_EVENT_SOURCES } from '#shared/events/change-kinds.ts'
import type { RequestParameters, ResponseElements } from '#shared/events/cloudtrail-record-schema.ts'
import { parseChangeEvent } from '#shared/events/parse-change-event.ts'
import {
  OPAQUE_REQUEST_LIMIT,
  readParameters,
  readResponse,
  readSupportPermit,
} from '#shared/events/read-parameters.ts'
import { buildRecord, wrapInEnvelope } from './build-test-event.ts'
import { loadSampleEvent } from './load-sample-event.ts'
import { parseClassified } from './parse-classified.ts'

const ACCT = '123456789012'
const KEY = `arn:aws:kms:us-east-1:${ACCT}:key/7d3e9b41-2c6a-4f0e-9b1d-5a8c2e4f6b10`

/** A request as CloudTrail records it, with fields the shared schema does not name (see parse-whole-request.ts). */
function request(fields: Record<string, unknown>): RequestParameters {
  return fields as RequestParameters
}

function response(fields: Record<string, unknown>): ResponseElements {
  return fields as ResponseElements
}

/** The targets of a call, built the way classifyChange builds them. */
function targetsOfCall(
  eventName: string,
  fields: Record<string, unknown>,
  answer: ReturnType<typeof readResponse>,
): string[] {
  const input = {
    eventName,
    accountId: ACCT,
    request: request(fields),
    parameters: readParameters(request(fields)),
    response: answer,
  }
  return buildTargets(input, findSubjects(input))
}

describe('classification of the other services', () => {
  it('handles supportauthz, supportplans and Identity Center besides IAM and the Support App', () => {
    expect([...HANDLED_EVENT_SOURCES].sort()).toEqual([
      'iam.amazonaws.com',
      'sso.amazonaws.com',
      'supportapp.amazonaws.com',
      'supportauthz.amazonaws.com',
      'supportplans.amazonaws.com',
    ])
  })

  it.each([
    ['supportauthz.amazonaws.com', 'CreateSupportPermit', 'support-permit'],
    ['supportauthz.amazonaws.com', 'DeleteSupportPermit', 'support-permit'],
    ['supportauthz.amazonaws.com', 'RejectSupportPermitRequest', 'support-permit'],
    ['supportauthz.amazonaws.com', 'RegisterKey', 'support-permit'],
    ['supportplans.amazonaws.com', 'StartSupportPlanUpdate', 'support-plan'],
    ['supportplans.amazonaws.com', 'CreateSupportPlanSchedule', 'support-plan'],
    ['supportplans.amazonaws.com', 'CancelSupportAgreement', 'support-plan'],
    ['supportplans.amazonaws.com', 'UpdateSupportAgreement', 'support-plan'],
    ['iam.amazonaws.com', 'CreateSAMLProvider', 'identity-provider'],
    ['iam.amazonaws.com', 'UpdateOpenIDConnectProviderThumbprint', 'identity-provider'],
    ['sso.amazonaws.com', 'PutInlinePolicyToPermissionSet', 'identity-center'],
    ['sso.amazonaws.com', 'CreateAccountAssignment', 'identity-center'],
  ])('%s %s is %s', (source, name, kind) => {
    expect(findChangeKind(source, name)).toBe(kind)
  })

  it.each([
    ['supportauthz.amazonaws.com', 'GetSupportPermit', 'read-only'],
    ['supportauthz.amazonaws.com', 'ListSupportPermits', 'read-only'],
    ['supportauthz.amazonaws.com', 'TagResource', 'unknown-event'],
    ['supportplans.amazonaws.com', 'GetSupportPlan', 'read-only'],
    ['iam.amazonaws.com', 'TagSAMLProvider', 'unknown-event'],
    ['sso.amazonaws.com', 'ListPermissionSets', 'unknown-event'],
  ])('acknowledges %s %s without a verdict (%s)', (eventSource, eventName, reason) => {
    const outcome = parseChangeEvent(buildRecord({ eventSource, eventName }))
    expect(outcome).toMatchObject({ status: 'ignored', reason, eventName })
  })

  it('does not classify the SupportPermitRequestCreated service event in any form it comes in', () => {
    const event = loadSampleEvent('support-and-federation/support-permit-request-created.json') as {
      detail: Record<string, unknown>
    }
    // EventBridge delivers AwsServiceEvent records with their own detail-type.
    expect(parseChangeEvent(event)).toMatchObject({ status: 'ignored', reason: 'not-cloudtrail' })
    expect(parseChangeEvent(event.detail)).toMatchObject({
      status: 'ignored',
      reason: 'unknown-event',
      eventName: 'SupportPermitRequestCreated',
    })
    expect(parseChangeEvent(wrapInEnvelope(event.detail))).toMatchObject({ status: 'ignored' })
  })
})

describe('support permit parameters', () => {
  const base = { name: 'OutageInvestigation', signingKeyInfo: { kmsKey: KEY } }

  it.each([
    ['all actions', { allActions: {} }, 'all'],
    [
      'listed actions',
      { actions: ['ec2:DescribeInstances', 'ec2:GetConsoleOutput'] },
      ['ec2:DescribeInstances', 'ec2:GetConsoleOutput'],
    ],
    [
      'both members (not a valid union): the wider',
      { allActions: {}, actions: ['ec2:DescribeInstances'] },
      'all',
    ],
    ['an unknown member', { SDK_UNKNOWN_MEMBER: { name: 'someActions' } }, undefined],
    ['a list with a non-string', { actions: ['ec2:DescribeInstances', 7] }, undefined],
    ['no union at all', undefined, undefined],
  ])('reads the action set: %s', (_name, actions, expected) => {
    const grant = readSupportPermit({ ...base, permit: { actions, resources: { allResourcesInRegion: {} } } })
    expect(grant?.actions).toEqual(expected)
  })

  it.each([
    ['all resources in the Region', { allResourcesInRegion: {} }, 'all-in-region'],
    [
      'listed resources',
      { resources: ['arn:aws:rds:us-east-1:123456789012:db:orders'] },
      ['arn:aws:rds:us-east-1:123456789012:db:orders'],
    ],
    ['a null member', { allResourcesInRegion: null }, undefined],
  ])('reads the resource set: %s', (_name, resources, expected) => {
    const grant = readSupportPermit({ ...base, permit: { actions: { allActions: {} }, resources } })
    expect(grant?.resources).toEqual(expected)
  })

  it('reads the time window: the latest start and the earliest end, epoch seconds as ISO 8601', () => {
    const grant = readSupportPermit({
      ...base,
      permit: {
        actions: { allActions: {} },
        resources: { allResourcesInRegion: {} },
        conditions: [
          { allowBefore: 1784224800 },
          { allowAfter: '2026-07-14T00:00:00Z' },
          { allowBefore: '2026-07-20T00:00:00Z' },
        ],
      },
    })
    expect(grant).toMatchObject({
      allowAfter: '2026-07-14T00:00:00Z',
      allowBefore: '2026-07-16T18:00:00.000Z',
    })
  })

  it('reads name, key, case and description, and nothing for a call without a permit', () => {
    expect(
      readSupportPermit({
        ...base,
        description: 'outage',
        supportCaseDisplayId: '176512345601',
        permit: { actions: { allActions: {} }, resources: { allResourcesInRegion: {} } },
      }),
    ).toEqual({
      name: 'OutageInvestigation',
      actions: 'all',
      resources: 'all-in-region',
      kmsKeyArn: KEY,
      supportCaseDisplayId: '176512345601',
      description: 'outage',
    })
    expect(readSupportPermit({ roleName: 'SupportTeam' })).toBeUndefined()
  })

  it('keeps a permit request ARN only when it is one of supportauthz', () => {
    const arn = `arn:aws:supportauthz:us-east-1:${ACCT}:supportpermitrequest/c2f9a6d1`
    expect(readParameters(request({ requestArn: arn })).permitRequestArn).toBe(arn)
    expect(readParameters(request({ requestArn: 'arn:aws:other:us-east-1:1:thing/x' }))).toEqual({})
  })

  it('reads supportauthz tags, a map of key to value, as tag keys', () => {
    expect(readParameters(request({ tags: { owner: 'platform', ticket: 'OPS-1' } })).tagKeys).toEqual([
      'owner',
      'ticket',
    ])
  })

  it('reads the permit ARN of the response, and no other service ARN as one', () => {
    const permit = `arn:aws:supportauthz:us-east-1:${ACCT}:supportpermit/a1c4e7f0`
    expect(readResponse(response({ arn: permit, status: 'ACTIVE' }))).toEqual({ permitArn: permit })
    expect(readResponse(response({ arn: `arn:aws:iam::${ACCT}:role/SupportTeam` }))).toEqual({})
  })

  it('targets a deleted permit by ARN, and names nothing when it was deleted by name', () => {
    const targetsOf = (fields: Record<string, unknown>, answer: Record<string, unknown> = {}) =>
      targetsOfCall('DeleteSupportPermit', fields, readResponse(response(answer)))
    const permit = `arn:aws:supportauthz:us-east-1:${ACCT}:supportpermit/a1c4e7f0`
    expect(targetsOf({ supportPermitIdentifier: permit })).toEqual([permit])
    expect(targetsOf({ supportPermitIdentifier: 'OutageInvestigation' })).toEqual([])
    expect(targetsOf({ supportPermitIdentifier: 'OutageInvestigation' }, { arn: permit })).toEqual([permit])
  })
})

describe('Support Plans parameters', () => {
  it('keeps the request as sent, since its shape is not documented', () => {
    const fields = { supportPlan: 'DEVELOPER', nested: { a: [1, 2] } }
    expect(readParameters(request(fields), 'supportplans.amazonaws.com')).toEqual({ opaqueRequest: fields })
    expect(readParameters(request(fields), 'iam.amazonaws.com')).toEqual({})
  })

  it('cuts a large request to compact JSON of a bounded length', () => {
    const fields = { notes: 'x'.repeat(OPAQUE_REQUEST_LIMIT * 3) }
    const kept = readParameters(request(fields), 'supportplans.amazonaws.com').opaqueRequest
    expect(typeof kept).toBe('string')
    expect(String(kept).length).toBeLessThan(OPAQUE_REQUEST_LIMIT + 60)
    expect(String(kept)).toMatch(/^\{"notes":"x+\.\.\. \(6012 characters in all\)$/)
  })
})

describe('identity provider and Identity Center parameters', () => {
  const targetsOf = (eventName: string, fields: Record<string, unknown>) =>
    targetsOfCall(eventName, fields, {})

  it('builds a created provider ARN from the request when the response is missing', () => {
    expect(targetsOf('CreateSAMLProvider', { name: 'PartnerIdP', sAMLMetadataDocument: '<x/>' })).toEqual([
      `arn:aws:iam::${ACCT}:saml-provider/PartnerIdP`,
    ])
    expect(targetsOf('CreateOpenIDConnectProvider', { url: 'https://oidc.example.com/tenant' })).toEqual([
      `arn:aws:iam::${ACCT}:oidc-provider/oidc.example.com/tenant`,
    ])
  })

  it('reads audiences of an OIDC provider, one added or a whole list', () => {
    expect(readParameters(request({ clientIDList: ['sts.amazonaws.com', 'web'] })).clientIds).toEqual([
      'sts.amazonaws.com',
      'web',
    ])
    expect(readParameters(request({ clientID: 'partner' })).clientIds).toEqual(['partner'])
  })

  it("reads a permission set's boundary given as an object, never as IAM's string boundary", () => {
    const parameters = readParameters(
      request({
        instanceArn: 'arn:aws:sso:::instance/ssoins-1',
        permissionSetArn: 'arn:aws:sso:::permissionSet/ssoins-1/ps-1',
        permissionsBoundary: { customerManagedPolicyReference: { name: 'Boundary', path: '/team/' } },
      }),
    )
    expect(parameters).toEqual({
      instanceArn: 'arn:aws:sso:::instance/ssoins-1',
      permissionSetArn: 'arn:aws:sso:::permissionSet/ssoins-1/ps-1',
      customerManagedPolicy: '/team/Boundary',
    })
  })

  it('reads the provider ARN of the OIDC records of the corpus (with the whole request)', () => {
    const record = JSON.parse(
      readFileSync(
        new URL('../../fixtures/cloudtrail/CreateOpenIDConnectProvider__panther_1.json', import.meta.url),
        'utf8',
      ),
    )
    expect(parseClassified(record).targets).toEqual([
      'arn:aws:iam::905418441132:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/66CE9BD86C1F904421E6C0BB2C6DA94C',
    ])
  })
})
