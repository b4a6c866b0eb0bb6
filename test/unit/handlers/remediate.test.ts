import { DynamoDBClient, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb'
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge'
import { AttachRolePolicyCommand, IAMClient } from '@aws-sdk/client-iam'
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb'
import { mockClient } from 'aws-sdk-client-mock'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { parseGuardConfig } from '#shared/config/guard-config.ts'
import type { FindingEventDetail } from '#shared/pipeline/bus-events.ts'
import type { MemoryBaselineStore } from '#shared/pipeline/memory-baseline-store.ts'
import { detectSample } from '../helpers/detect-harness.ts'
import { loadExampleSnapshot, SUPPORT_ACCESS } from '../helpers/example-account.ts'
import { FINDINGS_BUS, prepareColdStart, restoreEnv } from '../helpers/handler-env.ts'
import { mockSupportTeamReads } from '../helpers/iam-mocks.ts'
import { makeLambdaContext } from '../helpers/lambda-context.ts'

const dynamo = mockClient(DynamoDBClient)
const documents = mockClient(DynamoDBDocumentClient)
const iam = mockClient(IAMClient)
const bus = mockClient(EventBridgeClient)
const context = makeLambdaContext('support-guard-remediate')
const WRITES = ['AttachRolePolicyCommand']
const GUARD_CONFIG = { supportPrincipals: { required: ['arn:aws:iam::*:role/SupportTeam'], approved: [] } }

let finding: FindingEventDetail
/** What detect recorded for the detach: the baselines and the change record remediate re-plans from. */
let records: MemoryBaselineStore

/** A finding as the findings bus delivers it to the remediate rule. */
function findingEvent(detail: FindingEventDetail) {
  return structuredClone({
    version: '0',
    id: '3f1c2b7e-8d4a-4c1e-9b6f-0a2d5e7c9b13',
    'detail-type': 'Support Access Finding',
    source: 'support-guard',
    account: '123456789012',
    time: '2025-03-10T16:08:55Z',
    region: 'us-east-1',
    resources: [],
    detail,
  })
}

async function loadHandler(mode: 'monitor' | 'enforce') {
  prepareColdStart({ GUARD_MODE: mode, GUARD_CONFIG: JSON.stringify(GUARD_CONFIG) })
  return (await import('../../../functions/remediate/handler.ts')).handler
}

function sentRemediation(): Record<string, unknown> {
  const entry = bus.commandCalls(PutEventsCommand)[0]?.args[0].input.Entries?.[0]
  expect(entry).toMatchObject({
    EventBusName: FINDINGS_BUS,
    Source: 'support-guard',
    DetailType: 'Support Access Remediation',
  })
  return JSON.parse(entry?.Detail ?? '{}')
}

beforeAll(async () => {
  const detected = await detectSample(
    'detach-role-policy.json',
    loadExampleSnapshot(),
    parseGuardConfig(GUARD_CONFIG),
  )
  const lost = detected.findings.find((entry) => entry.rule === 'SUPPORT_ACCESS_LOST')
  if (!lost?.plan) throw new Error('expected a planned SUPPORT_ACCESS_LOST')
  finding = lost
  records = detected.harness.store
})

beforeEach(() => {
  dynamo.reset()
  documents.reset()
  iam.reset()
  bus.reset()
  dynamo.on(PutItemCommand).resolves({})
  dynamo.on(UpdateItemCommand).resolves({})
  documents.on(GetCommand).callsFake(async (input: { Key: { pk: string; sk: string } }) => {
    const accountId = input.Key.pk.replace('ACCOUNT#', '')
    const [kind, id] = [input.Key.sk.split('#')[0], input.Key.sk.slice(input.Key.sk.indexOf('#') + 1)]
    const expiresAt = Math.floor(Date.now() / 1000) + 3600
    if (kind === 'CHANGE') return { Item: { change: await records.getChange(accountId, id), expiresAt } }
    return { Item: { baseline: await records.get(accountId, id) } }
  })
  bus.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e-1' }] })
  // SupportTeam holds AWSSupportAccess again once the revert has attached it.
  mockSupportTeamReads(iam, () =>
    iam.commandCalls(AttachRolePolicyCommand).length > 0 ? [SUPPORT_ACCESS] : [],
  )
  iam.on(AttachRolePolicyCommand).resolves({})
})

afterAll(() => {
  restoreEnv()
})

describe('remediate handler', () => {
  it('in enforce mode re-attaches AWSSupportAccess and reports the revert', async () => {
    const handler = await loadHandler('enforce')

    await expect(handler(findingEvent(finding), context)).resolves.toEqual({
      findingId: finding.id,
      outcome: 'reverted',
    })

    expect(iam.commandCalls(AttachRolePolicyCommand).map((call) => call.args[0].input)).toEqual([
      { RoleName: 'SupportTeam', PolicyArn: SUPPORT_ACCESS },
    ])
    expect(sentRemediation()).toMatchObject({
      findingId: finding.id,
      outcome: 'reverted',
      steps: finding.plan?.steps,
      rule: 'SUPPORT_ACCESS_LOST',
    })
  })

  it('refuses a finding about another account than the one it runs in, reading and writing no IAM', async () => {
    const handler = await loadHandler('enforce')
    const elsewhere = {
      ...context,
      invokedFunctionArn: 'arn:aws:lambda:us-east-1:210987654321:function:support-guard-remediate',
    }
    await expect(handler(findingEvent(finding), elsewhere)).resolves.toEqual({
      findingId: finding.id,
      outcome: 'skipped',
    })
    expect(iam.calls()).toHaveLength(0)
    expect(sentRemediation()).toMatchObject({
      outcome: 'skipped',
      refused: true,
      reason: expect.stringMatching(/^refused: the finding is about account 123456789012, .* 210987654321;/),
    })
  })

  it('in monitor mode writes nothing and reports the finding as skipped', async () => {
    const handler = await loadHandler('monitor')
    await expect(handler(findingEvent(finding), context)).resolves.toEqual({
      findingId: finding.id,
      outcome: 'skipped',
    })
    const names = iam.calls().map((call) => call.args[0].constructor.name)
    expect(names.filter((name) => WRITES.includes(name))).toEqual([])
    expect(sentRemediation()).toMatchObject({ outcome: 'skipped', reason: 'the guard is in monitor mode' })
  })

  it('reports failed, with the IAM error, when the write is refused', async () => {
    const handler = await loadHandler('enforce')
    iam
      .on(AttachRolePolicyCommand)
      .rejects(Object.assign(new Error('not authorized'), { name: 'AccessDenied' }))
    await expect(handler(findingEvent(finding), context)).resolves.toMatchObject({ outcome: 'failed' })
    expect(sentRemediation()).toMatchObject({
      outcome: 'failed',
      error: expect.stringContaining('AccessDenied'),
    })
  })

  it('rejects an event that is not a guard finding so the dead-letter queue keeps it', async () => {
    const handler = await loadHandler('enforce')
    const event = { ...findingEvent(finding), source: 'aws.iam' }
    await expect(handler(event, context)).rejects.toMatchObject({ name: 'BusEventError' })
    expect(iam.calls()).toHaveLength(0)
    expect(bus.calls()).toHaveLength(0)
  })
})
