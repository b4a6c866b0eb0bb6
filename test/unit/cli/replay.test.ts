import { readdirSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { isSeverityAtLeast } from '#shared/config/rules.ts'
import { type ReplayJson, replaySchema } from '#shared/report/contract-schemas.ts'
import {
  asRecord,
  type CliResult,
  EXAMPLE_ACCOUNT,
  EXAMPLE_CONFIG,
  expectOneLineUsageError,
  ROOT,
  runBuiltCli,
  writeTempFiles,
} from './run-built-cli.ts'

const EVENT_FILES = readdirSync(join(ROOT, 'events'))
  .filter((name) => name.endsWith('.json'))
  .sort()
const CORPUS_RECORD = 'test/fixtures/cloudtrail/PutUserPolicy__panther_3.json'
const replayArgs = (eventFile: string, format = 'json') => [
  'replay',
  eventFile,
  '--snapshot',
  EXAMPLE_ACCOUNT,
  '--config',
  EXAMPLE_CONFIG,
  '--format',
  format,
]

/** Runs `work` over `items`, at most `limit` at a time, keeping the order of the results. */
async function mapLimited<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length)
  let next = 0
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next++
      results[index] = await work(items[index] as T)
    }
  })
  await Promise.all(lanes)
  return results
}

const replays = new Map<string, CliResult>()
let dir = ''

beforeAll(async () => {
  const results = await mapLimited(EVENT_FILES, 6, (name) => runBuiltCli(replayArgs(`events/${name}`)))
  EVENT_FILES.forEach((name, index) => {
    const result = results[index]
    if (result) replays.set(name, result)
  })
  const record = asRecord(JSON.parse(readFileSync(join(ROOT, CORPUS_RECORD), 'utf8')))
  const detachEvent = asRecord(JSON.parse(readFileSync(join(ROOT, 'events/detach-role-policy.json'), 'utf8')))
  const { eventID: _removed, ...withoutEventId } = asRecord(detachEvent.detail)
  dir = writeTempFiles({
    'corpus-record.json': record,
    'corpus-envelope.json': {
      version: '0',
      id: 'c0ffee00-0000-4000-8000-000000000001',
      'detail-type': 'AWS API Call via CloudTrail',
      source: 'aws.iam',
      account: '123456789012',
      time: '2025-03-10T16:08:52Z',
      region: 'us-east-1',
      resources: [],
      detail: record,
    },
    'not-cloudtrail.json': { hello: 'world', items: [1, 2, 3] },
    'other-detail-type.json': {
      'detail-type': 'EC2 Instance State-change Notification',
      source: 'aws.ec2',
      detail: { state: 'running' },
    },
    'array.json': [{ eventName: 'DeleteRole' }],
    'no-event-id.json': withoutEventId,
    'no-event-id-envelope.json': { ...detachEvent, detail: withoutEventId },
    'other-account.json': {
      ...detachEvent,
      account: '111122223333',
      detail: { ...asRecord(detachEvent.detail), recipientAccountId: '111122223333' },
    },
    'create-user-denied.json': {
      ...asRecord(detachEvent.detail),
      eventName: 'CreateUser',
      requestParameters: { userName: 'intruder' },
      errorCode: 'AccessDenied',
      errorMessage: 'User is not authorized to perform: iam:CreateUser',
    },
    's3-record.json': {
      eventVersion: '1.09',
      eventSource: 's3.amazonaws.com',
      eventName: 'PutBucketPolicy',
      eventID: 'e0f1a2b3-0000-4000-8000-000000000002',
      eventTime: '2025-03-10T16:08:52Z',
      recipientAccountId: '123456789012',
    },
  })
}, 120_000)

afterAll(() => {
  rmSync(dir, { recursive: true, force: true })
})

function replayOf(name: string): { result: CliResult; report: ReplayJson } {
  const result = replays.get(name)
  if (!result) throw new Error(`no replay of ${name}`)
  return { result, report: replaySchema.parse(JSON.parse(result.stdout)) }
}

describe('support-guard replay of every sample event', () => {
  it('has sample events to replay', () => {
    expect(EVENT_FILES.length).toBeGreaterThanOrEqual(40)
  })

  it.each(EVENT_FILES)(
    '%s: exit 0 or 1 as --fail-on high says, with change, findings and remediation',
    (name) => {
      const { result, report } = replayOf(name)
      expect(result.stderr).toBe('')
      const sample = asRecord(JSON.parse(readFileSync(join(ROOT, 'events', name), 'utf8')))
      const detail = asRecord(sample.detail)
      expect(report.change.eventName).toBe(detail.eventName)
      expect(report.change.eventId).toBe(detail.eventID)
      expect(report.change.failed).toBe(typeof detail.errorCode === 'string')
      expect(report.change.actorArn).not.toBe('unknown')
      const blocking = report.findings.some((finding) => isSeverityAtLeast(finding.severity, 'high'))
      expect(result.status).toBe(blocking ? 1 : 0)
      if (report.remediation) expect(report.remediation.steps.length).toBeGreaterThan(0)
    },
  )

  it('plans to re-attach the policy detached from the required support role', () => {
    const { result, report } = replayOf('detach-role-policy.json')
    expect(result.status).toBe(1)
    expect(report.change.targets).toContain('arn:aws:iam::123456789012:role/SupportTeam')
    expect(report.findings.map((finding) => finding.rule)).toContain('SUPPORT_ACCESS_LOST')
    expect(report.remediation?.steps).toEqual([
      {
        action: 'attach-policy',
        principalType: 'role',
        principalName: 'SupportTeam',
        policyArn: 'arn:aws:iam::aws:policy/AWSSupportAccess',
      },
    ])
  })

  it('flags a failed deletion of the Support service-linked role as critical, with nothing to revert', () => {
    const { result, report } = replayOf('delete-service-linked-role-support-failed.json')
    expect(result.status).toBe(1)
    expect(report.change.failed).toBe(true)
    expect(report.findings.map((finding) => `${finding.rule} ${finding.severity}`)).toEqual([
      'SLR_DELETION_ATTEMPT critical',
    ])
    expect(report.remediation).toBeNull()
  })

  it('prints the change, the findings and the planned revert in text format', async () => {
    const result = await runBuiltCli(replayArgs('events/detach-role-policy.json', 'text'))
    expect(result.status).toBe(1)
    expect(result.stdout.split('\n')[0]).toBe('Account 123456789012 (short names; --wide prints full ARNs)')
    expect(result.stdout).toMatch(
      /^DetachRolePolicy 9aac78ba-6598-427e-a23c-4be748b68e7e by user\/ops-admin$/m,
    )
    expect(result.stdout).toMatch(/^ {2}at 2025-03-10T16:08:52Z; succeeded$/m)
    expect(result.stdout).toMatch(/^\[HIGH\] SUPPORT_ACCESS_LOST {2}role\/SupportTeam$/m)
    expect(result.stdout).toContain('[HIGH] SUPPORT_ACCESS_LOST')
    expect(result.stdout).toContain('aws iam attach-role-policy --role-name SupportTeam')
  })
})

describe('support-guard replay of other inputs', () => {
  it.each(['corpus-record.json', 'corpus-envelope.json'])(
    'refuses a corpus record of a successful call whose requestParameters is null (%s): unreadable, not compliant',
    async (name) => {
      const result = await runBuiltCli(replayArgs(join(dir, name)))
      expectOneLineUsageError(result)
      expect(result.stdout).toBe('')
      expect(result.stderr).toMatch(
        /unreadable CloudTrail record: (detail\.)?requestParameters is empty for a successful PutUserPolicy/,
      )
    },
  )

  it('reads the corpus record as it is stored: requestParameters null', () => {
    const record = asRecord(JSON.parse(readFileSync(join(ROOT, CORPUS_RECORD), 'utf8')))
    expect(record.requestParameters).toBeNull()
  })

  it.each(['not-cloudtrail.json', 'other-detail-type.json', 'array.json'])(
    'refuses %s, which is no CloudTrail record, with exit 2',
    async (name) => {
      const result = await runBuiltCli(replayArgs(join(dir, name)))
      expectOneLineUsageError(result)
      expect(result.stdout).toBe('')
    },
  )

  it('acknowledges a CloudTrail record of a service the guard does not watch', async () => {
    const result = await runBuiltCli(replayArgs(join(dir, 's3-record.json')))
    expect(result.status).toBe(0)
    const report = asRecord(JSON.parse(result.stdout))
    expect(asRecord(report.change).ignored).toBe('not-cloudtrail')
    expect(report.findings).toEqual([])
    expect(report.remediation).toBeNull()
  })
})

describe('support-guard replay: what every event says', () => {
  it('refuses an event of another account than the snapshot, naming both', async () => {
    const result = await runBuiltCli(replayArgs(join(dir, 'other-account.json')))
    expectOneLineUsageError(result)
    expect(result.stdout).toBe('')
    expect(result.stderr).toContain(
      'event is from account 111122223333, the snapshot is of account 123456789012',
    )
  })

  it('reports the actor and the failure of a call the guard does not classify', async () => {
    const [json, text] = await Promise.all([
      runBuiltCli(replayArgs(join(dir, 'create-user-denied.json'))),
      runBuiltCli(replayArgs(join(dir, 'create-user-denied.json'), 'text')),
    ])
    expect(json.status).toBe(0)
    expect(replaySchema.parse(JSON.parse(json.stdout)).change).toMatchObject({
      eventName: 'CreateUser',
      eventId: '9aac78ba-6598-427e-a23c-4be748b68e7e',
      actorArn: 'arn:aws:iam::123456789012:user/ops-admin',
      failed: true,
      errorCode: 'AccessDenied',
      targets: [],
      ignored: 'unknown-event',
    })
    expect(text.stdout).toMatch(/^CreateUser 9aac78ba-6598-427e-a23c-4be748b68e7e by user\/ops-admin$/m)
    expect(text.stdout).toMatch(/^ {2}at 2025-03-10T16:08:52Z; failed: AccessDenied$/m)
    expect(text.stdout).toMatch(/^ {2}not judged: .*\(unknown-event\)$/m)
  })

  it('replays a record without eventID under an ID derived from its content, and says so', async () => {
    const [bare, envelope, text] = await Promise.all([
      runBuiltCli(replayArgs(join(dir, 'no-event-id.json'))),
      runBuiltCli(replayArgs(join(dir, 'no-event-id-envelope.json'))),
      runBuiltCli(replayArgs(join(dir, 'no-event-id.json'), 'text')),
    ])
    expect(bare.stderr).toBe('')
    expect(bare.status).toBe(1)
    const change = replaySchema.parse(JSON.parse(bare.stdout)).change
    expect(change.eventId).toMatch(/^derived-[0-9a-f]{32}$/)
    expect(change.eventIdDerived).toBe(true)
    expect(replaySchema.parse(JSON.parse(envelope.stdout)).change.eventId).toBe(change.eventId)
    expect(text.stdout).toContain(`the record has no eventID: ${change.eventId} is derived from its content`)
    const withId = replayOf('detach-role-policy.json').report
    expect(withId.change.eventIdDerived).toBeUndefined()
    expect(replaySchema.parse(JSON.parse(bare.stdout)).findings.map((finding) => finding.rule)).toEqual(
      withId.findings.map((finding) => finding.rule),
    )
  })
})
