import { describe, expect, it } from 'vitest'
import { AccountMismatchError, replayEvent } from '#shared/pipeline/replay-event.ts'
import { buildRecord } from '../events/build-test-event.ts'
import { loadExampleConfig, loadExampleSnapshot, SUPPORT_ACCESS } from '../helpers/example-account.ts'
import { loadEvent } from '../helpers/sample-events.ts'

const before = loadExampleSnapshot()
const monitor = loadExampleConfig()
const enforce = loadExampleConfig({ mode: 'enforce' })

const CASES = [
  {
    file: 'detach-role-policy.json',
    eventName: 'DetachRolePolicy',
    actorArn: 'arn:aws:iam::123456789012:user/ops-admin',
    failed: false,
    targets: ['arn:aws:iam::123456789012:role/SupportTeam', SUPPORT_ACCESS],
    rules: ['SUPPORT_ACCESS_LOST'],
    planned: true,
  },
  {
    file: 'attach-role-policy.json',
    eventName: 'AttachRolePolicy',
    actorArn:
      'arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_AdministratorAccess_5f2c6a1d8e3b4c70',
    failed: false,
    targets: [
      'arn:aws:iam::123456789012:role/AWSSupportAppRole',
      'arn:aws:iam::aws:policy/AdministratorAccess',
    ],
    rules: ['SUPPORT_APP_EXCESSIVE_PERMISSIONS', 'SUPPORT_APP_UNSCOPED_SLR_CREATION'],
    planned: true,
  },
  {
    file: 'delete-service-linked-role-support-failed.json',
    eventName: 'DeleteServiceLinkedRole',
    actorArn: 'arn:aws:iam::123456789012:user/contractor-temp',
    failed: true,
    targets: [
      'arn:aws:iam::123456789012:role/aws-service-role/support.amazonaws.com/AWSServiceRoleForSupport',
    ],
    rules: ['SLR_DELETION_ATTEMPT'],
    planned: false,
  },
  {
    file: 'untag-role.json',
    eventName: 'UntagRole',
    actorArn: 'arn:aws:iam::123456789012:user/ops-admin',
    failed: false,
    targets: ['arn:aws:iam::123456789012:role/AWSSupportAppRole'],
    rules: [],
    planned: false,
  },
]

describe('replayEvent', () => {
  it.each(CASES)('$file → change, findings, remediation', async (expected) => {
    const event = loadEvent(expected.file)
    const report = await replayEvent(event, before, monitor)

    expect(Object.keys(report).sort()).toEqual(['change', 'findings', 'remediation'])
    expect(report.change).toMatchObject({
      eventName: expected.eventName,
      eventId: (event.detail as { eventID: string }).eventID,
      actorArn: expected.actorArn,
      failed: expected.failed,
    })
    expect([...report.change.targets].sort()).toEqual([...expected.targets].sort())
    expect(report.findings.map((finding) => finding.rule).sort()).toEqual(expected.rules)
    if (expected.planned) {
      expect(report.remediation).toMatchObject({ mode: 'monitor', wouldApply: false })
      expect(report.remediation?.commands).toHaveLength(report.remediation?.steps.length ?? -1)
    } else {
      expect(report.remediation).toBeNull()
    }
    // The report is the JSON the CLI prints: it survives a round trip unchanged.
    expect(JSON.parse(JSON.stringify(report))).toEqual(report)
  })

  it('says it would apply the plan in enforce mode and gives the equivalent CLI command', async () => {
    const report = await replayEvent(loadEvent('detach-role-policy.json'), before, enforce)
    expect(report.remediation).toMatchObject({
      mode: 'enforce',
      wouldApply: true,
      steps: [
        {
          action: 'attach-policy',
          principalType: 'role',
          principalName: 'SupportTeam',
          policyArn: SUPPORT_ACCESS,
        },
      ],
      commands: [`aws iam attach-role-policy --role-name SupportTeam --policy-arn ${SUPPORT_ACCESS}`],
    })
  })

  it('leaves the export it was given unchanged', async () => {
    const copy = structuredClone(before)
    await replayEvent(loadEvent('put-role-policy.json'), before, enforce)
    expect(before).toEqual(copy)
  })

  it('reports an event it does not handle as ignored, with no findings', async () => {
    const event = {
      ...loadEvent('detach-role-policy.json'),
      source: 'aws.s3',
      'detail-type': 'Object Created',
    }
    const report = await replayEvent(event, before, monitor)
    expect(report.findings).toEqual([])
    expect(report.remediation).toBeNull()
    expect(report.change.ignored).toBeDefined()
    expect(report.change.failed).toBe(false)
  })

  it('throws EventParseError for a CloudTrail event it cannot read', async () => {
    const event = loadEvent('detach-role-policy.json')
    const detail = {
      ...(event.detail as Record<string, unknown>),
      userIdentity: 'nobody',
      eventID: undefined,
    }
    await expect(replayEvent({ ...event, detail }, before, monitor)).rejects.toMatchObject({
      name: 'EventParseError',
    })
  })
})

describe('replayEvent and enforceRules', () => {
  it('says why enforce mode would leave a planned revert alone', async () => {
    const config = loadExampleConfig({ mode: 'enforce', enforceRules: ['SUPPORT_ACCESS_LOST'] })
    const report = await replayEvent(loadEvent('attach-role-policy.json'), before, config)
    expect(report.remediation).toMatchObject({
      wouldApply: false,
      withheld: 'SUPPORT_APP_EXCESSIVE_PERMISSIONS is not in enforceRules',
    })
    expect(report.remediation?.commands[0]).toContain('detach-role-policy --role-name AWSSupportAppRole')
  })

  it('never plans a write on a neverModify principal', async () => {
    const config = loadExampleConfig({ mode: 'enforce', neverModify: ['arn:aws:iam::*:role/AWSSupportApp*'] })
    const report = await replayEvent(loadEvent('attach-role-policy.json'), before, config)
    expect(report.remediation).toMatchObject({
      wouldApply: false,
      withheld: 'arn:aws:iam::123456789012:role/AWSSupportAppRole is protected by neverModify',
    })
    expect(report.findings.every((finding) => !finding.remediation.automatic)).toBe(true)
  })
})

describe('replayEvent: what it says of any event', () => {
  it('refuses an event of another account than the export, naming both', async () => {
    const event = loadEvent('detach-role-policy.json')
    const detail = { ...(event.detail as Record<string, unknown>), recipientAccountId: '111122223333' }
    const replay = replayEvent({ ...event, account: '111122223333', detail }, before, monitor)
    await expect(replay).rejects.toBeInstanceOf(AccountMismatchError)
    await expect(replay).rejects.toThrow(
      'event is from account 111122223333, the snapshot is of account 123456789012',
    )
  })

  it('refuses a call it does not classify when it was made in another account', async () => {
    const record = buildRecord({ eventName: 'CreateUser', recipientAccountId: '111122223333' })
    await expect(replayEvent(record, before, monitor)).rejects.toBeInstanceOf(AccountMismatchError)
  })

  it('reports the actor, the time and the failure of a call it does not classify', async () => {
    const record = buildRecord({ eventName: 'CreateUser', errorCode: 'AccessDenied' })
    const report = await replayEvent(record, before, monitor)
    expect(report.change).toEqual({
      eventName: 'CreateUser',
      eventId: record.eventID,
      eventSource: 'iam.amazonaws.com',
      eventTime: '2025-03-10T16:08:52Z',
      accountId: '123456789012',
      actorArn: 'arn:aws:iam::123456789012:user/ops-admin',
      failed: true,
      errorCode: 'AccessDenied',
      targets: [],
      ignored: 'unknown-event',
    })
  })

  it('replays a record without eventID under a derived ID, as it replays the record with one', async () => {
    const event = loadEvent('detach-role-policy.json')
    const { eventID: _removed, ...detail } = event.detail as Record<string, unknown>
    const [derived, original] = await Promise.all([
      replayEvent({ ...event, detail }, before, monitor),
      replayEvent(event, before, monitor),
    ])
    expect(derived.change.eventIdDerived).toBe(true)
    expect(derived.change.eventId).toMatch(/^derived-[0-9a-f]{32}$/)
    expect(original.change.eventIdDerived).toBeUndefined()
    expect(derived.findings.map((finding) => finding.rule)).toEqual(
      original.findings.map((finding) => finding.rule),
    )
    expect(derived.remediation?.steps).toEqual(original.remediation?.steps)
  })
})
