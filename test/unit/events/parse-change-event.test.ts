import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parseChangeEvent, summarizeCloudTrailRecord } from '#shared/events/parse-change-event.ts'
import { type ChangeEvent, EventParseError, type ParseOutcome } from '#shared/events/types.ts'
import { buildRecord, wrapInEnvelope } from './build-test-event.ts'

const FIXTURES_DIR = new URL('../../fixtures/cloudtrail/', import.meta.url)

function loadFixture(file: string): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(file, FIXTURES_DIR), 'utf8'))
}

function expectChange(outcome: ParseOutcome): ChangeEvent {
  if (outcome.status !== 'change') throw new Error(`expected a change, got ${JSON.stringify(outcome)}`)
  return outcome.change
}

function expectInvalidAt(outcome: ParseOutcome, path: string): void {
  expect(outcome.status).toBe('invalid')
  if (outcome.status !== 'invalid') return
  expect(outcome.error).toBeInstanceOf(EventParseError)
  expect(outcome.error.name).toBe('EventParseError')
  expect(outcome.error.path).toBe(path)
}

describe('parseChangeEvent: input shapes', () => {
  it('reads an EventBridge event, a bare record and lookup-events output to the same change', () => {
    const record = buildRecord()
    const bare = expectChange(parseChangeEvent(record))
    // The envelope adds only the account it came from.
    expect(expectChange(parseChangeEvent(wrapInEnvelope(record)))).toEqual({
      ...bare,
      envelopeAccountId: bare.accountId,
    })
    const lookup = { Events: [{ EventId: record.eventID, CloudTrailEvent: JSON.stringify(record) }] }
    expect(expectChange(parseChangeEvent(lookup))).toEqual(bare)
  })

  it('takes the first of several lookup-events results', () => {
    const record = loadFixture('SetDefaultPolicyVersion__moussafarag-privesc_1.json')
    const other = buildRecord({ eventID: 'a-later-event' })
    const lookup = {
      Events: [
        { EventName: 'SetDefaultPolicyVersion', ReadOnly: 'false', CloudTrailEvent: JSON.stringify(record) },
        { EventName: 'DetachRolePolicy', ReadOnly: 'false', CloudTrailEvent: JSON.stringify(other) },
      ],
    }
    const change = expectChange(parseChangeEvent(lookup))
    expect(change).toMatchObject({
      eventName: 'SetDefaultPolicyVersion',
      eventId: record.eventID,
      kind: 'policy-version',
    })
    expect(change.parameters).toEqual({
      policyArn: 'arn:aws:iam::123456789012:policy/cg-raynor-policy-cgidwg95rcdjvv',
      versionId: 'v3',
    })
  })

  it.each([
    ['no events', { Events: [] }, 'Events'],
    ['Events not an array', { Events: 'none' }, 'Events'],
    [
      'CloudTrailEvent not JSON',
      { Events: [{ CloudTrailEvent: '{"eventName":' }] },
      'Events.0.CloudTrailEvent',
    ],
    ['CloudTrailEvent missing', { Events: [{ EventName: 'AttachRolePolicy' }] }, 'Events.0.CloudTrailEvent'],
    ['CloudTrailEvent a JSON array', { Events: [{ CloudTrailEvent: '[]' }] }, 'Events.0.CloudTrailEvent'],
    [
      'record inside without eventID',
      { Events: [{ CloudTrailEvent: JSON.stringify(buildRecord({ eventID: undefined })) }] },
      'Events.0.CloudTrailEvent.eventID',
    ],
  ])('lookup-events output with %s is invalid', (_name, input, path) => {
    expectInvalidAt(parseChangeEvent(input), path)
  })

  it('keeps the cause when the lookup-events record is not JSON', () => {
    const outcome = parseChangeEvent({ Events: [{ CloudTrailEvent: 'not json' }] })
    expect(outcome.status === 'invalid' && outcome.error.cause).toBeInstanceOf(SyntaxError)
  })

  it.each([
    ['null', null],
    ['a string', 'AttachRolePolicy'],
    ['a number', 42],
    ['an array of records', [buildRecord()]],
  ])('rejects %s as invalid at the root', (_name, input) => {
    expectInvalidAt(parseChangeEvent(input), '')
  })

  it.each([
    ['an empty object', {}],
    ['a scheduled event', wrapInEnvelope({}, { 'detail-type': 'Scheduled Event', source: 'aws.events' })],
    ['a console sign-in', wrapInEnvelope({}, { 'detail-type': 'AWS Console Sign In via CloudTrail' })],
  ])('ignores %s as not-cloudtrail', (_name, input) => {
    expect(parseChangeEvent(input)).toEqual({ status: 'ignored', reason: 'not-cloudtrail' })
  })

  it('ignores calls of other services, naming the call', () => {
    const record = buildRecord({ eventSource: 's3.amazonaws.com', eventName: 'PutBucketPolicy' })
    expect(parseChangeEvent(wrapInEnvelope(record, { source: 'aws.s3' }))).toEqual({
      status: 'ignored',
      reason: 'not-cloudtrail',
      eventName: 'PutBucketPolicy',
      eventId: record.eventID,
    })
  })

  it.each([
    ['detail not an object', wrapInEnvelope('{}'), 'detail'],
    ['detail-type not a string', wrapInEnvelope(buildRecord(), { 'detail-type': 7 }), 'detail-type'],
    ['no eventName', wrapInEnvelope(buildRecord({ eventName: undefined })), 'detail.eventName'],
    ['an empty eventSource', wrapInEnvelope(buildRecord({ eventSource: '' })), 'detail.eventSource'],
    ['no eventID', wrapInEnvelope(buildRecord({ eventID: undefined })), 'detail.eventID'],
    ['no eventTime', wrapInEnvelope(buildRecord({ eventTime: null })), 'detail.eventTime'],
    ['userIdentity a string', wrapInEnvelope(buildRecord({ userIdentity: 'root' })), 'detail.userIdentity'],
    [
      'a numeric roleName',
      wrapInEnvelope(buildRecord({ requestParameters: { roleName: 7 } })),
      'detail.requestParameters.roleName',
    ],
    [
      'setAsDefault "yes"',
      wrapInEnvelope(
        buildRecord({ eventName: 'CreatePolicyVersion', requestParameters: { setAsDefault: 'yes' } }),
      ),
      'detail.requestParameters.setAsDefault',
    ],
  ])('rejects an event with %s, naming the field', (_name, input, path) => {
    expectInvalidAt(parseChangeEvent(input), path)
  })
})

describe('parseChangeEvent: ignored calls', () => {
  it.each([
    ['iam.amazonaws.com', 'GetRole', 'read-only'],
    ['iam.amazonaws.com', 'ListAttachedRolePolicies', 'read-only'],
    ['iam.amazonaws.com', 'CreateUser', 'unknown-event'],
    ['iam.amazonaws.com', 'CreateAccessKey', 'unknown-event'],
    ['iam.amazonaws.com', 'GetObject', 'unknown-event'],
    ['iam.amazonaws.com', 'constructor', 'unknown-event'],
    ['iam.amazonaws.com', '__proto__', 'unknown-event'],
    ['supportapp.amazonaws.com', 'ListSlackChannelConfigurations', 'read-only'],
    ['supportapp.amazonaws.com', 'RegisterSlackWorkspaceForOrganization', 'unknown-event'],
  ])('%s %s is ignored as %s', (eventSource, eventName, reason) => {
    const outcome = parseChangeEvent(buildRecord({ eventSource, eventName }))
    expect(outcome).toEqual({ status: 'ignored', reason, eventName, eventId: buildRecord().eventID })
  })

  it('decides reads by the action catalog, not by the readOnly flag', () => {
    const write = parseChangeEvent(buildRecord({ eventName: 'CreateUser', readOnly: 'True' }))
    expect(write).toMatchObject({ status: 'ignored', reason: 'unknown-event' })
    const read = parseChangeEvent(buildRecord({ eventName: 'GetRole', readOnly: false }))
    expect(read).toMatchObject({ status: 'ignored', reason: 'read-only' })
  })

  it('acknowledges an ignored call without checking the fields a change needs', () => {
    const record = buildRecord({
      eventName: 'CreateUser',
      eventID: undefined,
      eventTime: 12,
      userIdentity: 'x',
    })
    expect(parseChangeEvent(record)).toEqual({
      status: 'ignored',
      reason: 'unknown-event',
      eventName: 'CreateUser',
    })
  })

  it('classifies GetServiceLinkedRoleDeletionStatus although it is a read', () => {
    const record = buildRecord({
      eventName: 'GetServiceLinkedRoleDeletionStatus',
      readOnly: true,
      requestParameters: {
        deletionTaskId: 'task/aws-service-role/support.amazonaws.com/AWSServiceRoleForSupport/0f2c1b4e-9d7a',
      },
    })
    expect(expectChange(parseChangeEvent(record))).toMatchObject({
      kind: 'service-linked-role',
      targets: [
        'arn:aws:iam::123456789012:role/aws-service-role/support.amazonaws.com/AWSServiceRoleForSupport',
      ],
    })
  })
})

describe('parseChangeEvent: records a change cannot be judged from', () => {
  it.each(['yesterday', '2025-02-30T00:00:00Z', '2025-03-10', ''])(
    'rejects eventTime %j, naming the field',
    (eventTime) => {
      const outcome = parseChangeEvent(wrapInEnvelope(buildRecord({ eventTime })))
      expectInvalidAt(outcome, 'detail.eventTime')
      if (outcome.status === 'invalid') expect(outcome.error.message).toMatch(/ISO 8601/)
    },
  )

  it('reads a data-lake time (space, nanoseconds, no zone) as UTC in ISO 8601, and keeps CloudTrail’s own as is', () => {
    expect(
      expectChange(parseChangeEvent(buildRecord({ eventTime: '2025-04-28 22:57:36.000000000' }))).eventTime,
    ).toBe('2025-04-28T22:57:36.000Z')
    expect(expectChange(parseChangeEvent(buildRecord())).eventTime).toBe('2025-03-10T16:08:52Z')
  })

  it('reports a successful call without requestParameters as unreadable, never as a change without targets', () => {
    for (const requestParameters of [null, undefined]) {
      const outcome = parseChangeEvent(wrapInEnvelope(buildRecord({ requestParameters })))
      expectInvalidAt(outcome, 'detail.requestParameters')
      if (outcome.status === 'invalid')
        expect(outcome.error.message).toMatch(/^unreadable CloudTrail record: /)
    }
  })

  it('still reads a failed call without requestParameters as a failed attempt', () => {
    const change = expectChange(
      parseChangeEvent(
        buildRecord({ requestParameters: null, errorCode: 'AccessDenied', errorMessage: 'denied' }),
      ),
    )
    expect(change).toMatchObject({ failed: true, errorCode: 'AccessDenied' })
  })

  it('names the missing eventID of a change record', () => {
    const record = buildRecord()
    delete record.eventID
    expectInvalidAt(parseChangeEvent(wrapInEnvelope(record)), 'detail.eventID')
  })
})

describe('parseChangeEvent: quirks of published records', () => {
  it('reads requestParameters null as no parameters (RemoveUserFromGroup denied)', () => {
    const change = expectChange(
      parseChangeEvent(loadFixture('RemoveUserFromGroup__gh-go-lambda-test_1.json')),
    )
    expect(change).toMatchObject({ failed: true, errorCode: 'AccessDenied', parameters: {}, targets: [] })
  })

  it('reads responseElements "None" as no response, with readOnly and managementEvent as strings', () => {
    const change = expectChange(parseChangeEvent(loadFixture('AttachRolePolicy__gh-rust-fixtures_1.json')))
    expect(change.response).toEqual({})
    expect(change.targets).toEqual([
      'arn:aws:iam::01234567890:role/practicum_test_role1',
      'arn:aws:iam::01234567890:policy/AllowKMS',
    ])
  })

  it('keeps a policy document that is not valid JSON as the string received', () => {
    const input = loadFixture('CreatePolicy__gh-react-dashboard_1.json')
    const change = expectChange(parseChangeEvent(input))
    const sent = String(change.parameters.policyDocument)
    expect(sent).toContain("'Action': 'cloudtrail:'")
    expect(() => JSON.parse(sent)).toThrow(SyntaxError)
    expect(change.response.policyArn).toBe('arn:aws:iam::962110289919:policy/trailTest')
  })

  it('reads a record whose userIdentity has no type and placeholder values', () => {
    const change = expectChange(parseChangeEvent(buildRecord({ userIdentity: { arn: 'arn:aws:test_arn' } })))
    expect(change.actor).toEqual({ type: 'Unknown', arn: 'arn:aws:test_arn' })
    expect(change.actorArn).toBe('arn:aws:test_arn')
  })

  it('reads setAsDefault recorded as a string', () => {
    const parse = (setAsDefault: unknown) =>
      expectChange(
        parseChangeEvent(
          buildRecord({ eventName: 'CreatePolicyVersion', requestParameters: { setAsDefault } }),
        ),
      )
    expect(parse('true').parameters.setAsDefault).toBe(true)
    expect(parse('False').parameters.setAsDefault).toBe(false)
    expect(parse(false).parameters.setAsDefault).toBe(false)
  })

  it('reads the versionId of a CreatePolicyVersion response', () => {
    const change = expectChange(
      parseChangeEvent(loadFixture('CreatePolicyVersion__gh-privesc-poc-md_1.json')),
    )
    expect(change.response).toEqual({ versionId: 'v3' })
    expect(change.parameters.setAsDefault).toBe(true)
  })
})

describe('parseChangeEvent: a record without eventID', () => {
  const withoutId = () => buildRecord({ eventID: undefined })

  it('is invalid at eventID by default, as the detect function parses', () => {
    expectInvalidAt(parseChangeEvent(wrapInEnvelope(withoutId())), 'detail.eventID')
    expectInvalidAt(parseChangeEvent(withoutId(), { missingEventId: 'reject' }), 'eventID')
  })

  it('gets an ID derived from its content with missingEventId: derive, and says so', () => {
    const outcome = parseChangeEvent(withoutId(), { missingEventId: 'derive' })
    expect(outcome.eventIdDerived).toBe(true)
    const change = expectChange(outcome)
    expect(change.eventId).toMatch(/^derived-[0-9a-f]{32}$/)
    expect(change).toMatchObject({ eventName: 'DetachRolePolicy', kind: 'policy-attachment' })
  })

  it('derives the same ID whatever the shape, key order or spelling of the missing ID', () => {
    const record = withoutId()
    const reordered = Object.fromEntries(Object.entries(record).reverse())
    const ids = [
      record,
      wrapInEnvelope(record),
      { Events: [{ CloudTrailEvent: JSON.stringify(record) }] },
      reordered,
      { ...record, eventID: null },
      { ...record, eventID: '' },
    ].map((input) => expectChange(parseChangeEvent(input, { missingEventId: 'derive' })).eventId)
    expect(new Set(ids).size).toBe(1)
  })

  it('derives another ID for another record', () => {
    const derive = (overrides: Record<string, unknown>) =>
      expectChange(
        parseChangeEvent(buildRecord({ eventID: undefined, ...overrides }), { missingEventId: 'derive' }),
      ).eventId
    expect(derive({})).not.toBe(derive({ eventTime: '2025-03-10T16:08:53Z' }))
  })

  it('keeps a record that has an eventID as it is, and unflagged', () => {
    const outcome = parseChangeEvent(buildRecord(), { missingEventId: 'derive' })
    expect(outcome.eventIdDerived).toBeUndefined()
    expect(expectChange(outcome).eventId).toBe(buildRecord().eventID)
  })

  it('still refuses an eventID that is there but not text', () => {
    expectInvalidAt(parseChangeEvent(buildRecord({ eventID: 7 }), { missingEventId: 'derive' }), 'eventID')
  })

  it('derives the ID of an ignored call too', () => {
    const outcome = parseChangeEvent(buildRecord({ eventName: 'CreateUser', eventID: undefined }), {
      missingEventId: 'derive',
    })
    expect(outcome).toMatchObject({ status: 'ignored', reason: 'unknown-event', eventIdDerived: true })
    expect(outcome.status === 'ignored' && outcome.eventId).toMatch(/^derived-/)
  })

  it('still reports every other problem of the record', () => {
    const outcome = parseChangeEvent(
      wrapInEnvelope(buildRecord({ eventID: undefined, eventTime: 'yesterday' })),
      {
        missingEventId: 'derive',
      },
    )
    expectInvalidAt(outcome, 'detail.eventTime')
  })
})

describe('summarizeCloudTrailRecord', () => {
  it('reads the caller, the account, the time and the failure of any record', () => {
    const record = buildRecord({ eventName: 'CreateUser', errorCode: 'AccessDenied' })
    expect(summarizeCloudTrailRecord(wrapInEnvelope(record))).toEqual({
      eventSource: 'iam.amazonaws.com',
      eventTime: '2025-03-10T16:08:52Z',
      accountId: '123456789012',
      actorArn: 'arn:aws:iam::123456789012:user/ops-admin',
      failed: true,
      errorCode: 'AccessDenied',
    })
  })

  it('names the role behind an assumed-role session, and the envelope account when the record has none', () => {
    const record = buildRecord({
      recipientAccountId: undefined,
      userIdentity: {
        type: 'AssumedRole',
        arn: 'arn:aws:sts::111122223333:assumed-role/Deployer/ci',
        sessionContext: { sessionIssuer: { arn: 'arn:aws:iam::111122223333:role/Deployer' } },
      },
    })
    expect(summarizeCloudTrailRecord(wrapInEnvelope(record, { account: '111122223333' }))).toMatchObject({
      accountId: '111122223333',
      actorArn: 'arn:aws:iam::111122223333:role/Deployer',
      failed: false,
    })
  })

  it('reads fields of the wrong type as absent, and no record as undefined', () => {
    expect(
      summarizeCloudTrailRecord({ eventName: 'X', userIdentity: 'root', eventTime: 7, errorCode: 5 }),
    ).toEqual({ actorArn: 'unknown', failed: false })
    expect(summarizeCloudTrailRecord({ hello: 'world' })).toBeUndefined()
    expect(summarizeCloudTrailRecord(null)).toBeUndefined()
  })
})
