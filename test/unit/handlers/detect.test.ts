import { readFileSync } from 'node:fs'
import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  DynamoDBClient,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb'
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge'
import { IAMClient } from '@aws-sdk/client-iam'
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb'
import { mockClient } from 'aws-sdk-client-mock'
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest'
import {
  FINDINGS_BUS,
  IDEMPOTENCY_TABLE,
  prepareColdStart,
  REMEDIATION_ROLE,
  restoreEnv,
} from '../helpers/handler-env.ts'
import { mockSupportTeamReads } from '../helpers/iam-mocks.ts'
import { makeLambdaContext } from '../helpers/lambda-context.ts'
import { loadEvent, loadEventWith } from '../helpers/sample-events.ts'

const dynamo = mockClient(DynamoDBClient)
const doc = mockClient(DynamoDBDocumentClient)
const iam = mockClient(IAMClient)
const bus = mockClient(EventBridgeClient)
const context = makeLambdaContext('support-guard-detect')
const EXAMPLE_CONFIG = readFileSync(
  new URL('../../../shared/examples/example-config.json', import.meta.url),
  'utf8',
)

async function loadHandler(env: Record<string, string | undefined> = {}) {
  prepareColdStart({ GUARD_CONFIG: EXAMPLE_CONFIG, ...env })
  return (await import('../../../functions/detect/handler.ts')).handler
}

/** The item the idempotency layer stored after the first delivery, as DynamoDB returns it. */
function completedRecord(key: string, data: { verdict: string; eventId: string; findings: string[] }) {
  return {
    id: { S: key },
    expiration: { N: String(Math.floor(Date.now() / 1000) + 3600) },
    status: { S: 'COMPLETED' },
    data: {
      M: {
        verdict: { S: data.verdict },
        eventId: { S: data.eventId },
        findings: { L: data.findings.map((id) => ({ S: id })) },
      },
    },
  }
}

beforeEach(() => {
  dynamo.reset()
  doc.reset()
  iam.reset()
  bus.reset()
  dynamo.on(PutItemCommand).resolves({})
  dynamo.on(UpdateItemCommand).resolves({})
  doc.on(GetCommand).resolves({})
  doc.on(PutCommand).resolves({})
  bus.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e-1' }] })
  mockSupportTeamReads(iam, () => [])
})

afterAll(() => {
  restoreEnv()
})

describe('detect handler', () => {
  it('writes its Findings metric in CloudWatch embedded metric format when metrics are on', async () => {
    const handler = await loadHandler({ POWERTOOLS_METRICS_DISABLED: 'false' })
    const written: string[] = []
    const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk))
      return true
    })
    try {
      await handler(loadEvent('detach-role-policy.json'), context)
    } finally {
      write.mockRestore()
    }
    const metrics = written.filter((line) => line.includes('"_aws"')).map((line) => JSON.parse(line))
    expect(metrics).toContainEqual(
      expect.objectContaining({
        Findings: 1,
        service: 'support-guard',
        _aws: expect.objectContaining({
          CloudWatchMetrics: [expect.objectContaining({ Namespace: 'SupportAccessGuard' })],
        }),
      }),
    )
  })

  it('publishes the finding of a detach from SupportTeam and stores the result under the eventID', async () => {
    const handler = await loadHandler()
    const event = loadEvent('detach-role-policy.json')

    const result = await handler(event, context)

    expect(result).toMatchObject({
      verdict: 'findings',
      eventId: (event.detail as { eventID: string }).eventID,
    })
    const entries = bus.commandCalls(PutEventsCommand)[0]?.args[0].input.Entries ?? []
    expect(entries).toHaveLength(1)
    expect(entries[0]).toMatchObject({
      EventBusName: FINDINGS_BUS,
      Source: 'support-guard',
      DetailType: 'Support Access Finding',
    })
    const detail = JSON.parse(entries[0]?.Detail ?? '{}')
    expect(detail).toMatchObject({ rule: 'SUPPORT_ACCESS_LOST', mode: 'monitor' })
    expect(detail.plan.steps).toEqual([
      {
        action: 'attach-policy',
        principalType: 'role',
        principalName: 'SupportTeam',
        policyArn: 'arn:aws:iam::aws:policy/AWSSupportAccess',
      },
    ])
    expect(dynamo.commandCalls(PutItemCommand)[0]?.args[0].input.TableName).toBe(IDEMPOTENCY_TABLE)
    const update = dynamo.commandCalls(UpdateItemCommand)[0]?.args[0].input
    expect(update?.ExpressionAttributeValues?.[':status']).toEqual({ S: 'COMPLETED' })
  })

  it('answers a duplicate delivery of the same eventID from the idempotency store without publishing again', async () => {
    const handler = await loadHandler()
    const first = (await handler(loadEvent('detach-role-policy.json'), context)) as {
      verdict: string
      eventId: string
      findings: string[]
    }
    const key = dynamo.commandCalls(PutItemCommand)[0]?.args[0].input.Item?.id?.S ?? ''
    expect(key).not.toBe('')
    const iamCalls = iam.calls().length
    dynamo.on(PutItemCommand).rejects(
      new ConditionalCheckFailedException({
        message: 'The conditional request failed',
        $metadata: {},
        Item: completedRecord(key, first),
      }),
    )

    // EventBridge redelivers the same CloudTrail record (same detail.eventID) in a new envelope.
    const again = { ...loadEvent('detach-role-policy.json'), id: 'a-different-envelope-id' }
    const second = await handler(again, context)

    expect(second).toEqual(first)
    expect(dynamo.commandCalls(PutItemCommand)[1]?.args[0].input.Item?.id?.S).toBe(key)
    expect(bus.commandCalls(PutEventsCommand)).toHaveLength(1)
    expect(iam.calls()).toHaveLength(iamCalls)
  })

  it('keys deliveries by eventID: another event is judged and published', async () => {
    const handler = await loadHandler()
    await handler(loadEvent('detach-role-policy.json'), context)
    await handler(
      loadEventWith('detach-role-policy.json', { eventID: '0d2c1b4a-0000-4000-8000-000000000001' }),
      context,
    )
    const keys = dynamo.commandCalls(PutItemCommand).map((call) => call.args[0].input.Item?.id?.S)
    expect(new Set(keys).size).toBe(2)
    expect(bus.commandCalls(PutEventsCommand)).toHaveLength(2)
  })

  it("records the remediation role's own change without reading IAM or publishing", async () => {
    const handler = await loadHandler()
    const event = loadEventWith('detach-role-policy.json', {
      userIdentity: {
        type: 'AssumedRole',
        principalId: 'AROAEXAMPLEGUARD:remediate',
        arn: 'arn:aws:sts::123456789012:assumed-role/support-guard-RemediateRole-1A2B3C/remediate',
        accountId: '123456789012',
        sessionContext: { sessionIssuer: { type: 'Role', arn: REMEDIATION_ROLE, accountId: '123456789012' } },
      },
    })
    await expect(handler(event, context)).resolves.toMatchObject({ verdict: 'own-change', findings: [] })
    expect(iam.calls()).toHaveLength(0)
    expect(bus.calls()).toHaveLength(0)
  })

  it('refuses an event of another account than the one it runs in, reading, storing and publishing nothing', async () => {
    const handler = await loadHandler()
    const elsewhere = {
      ...context,
      invokedFunctionArn: 'arn:aws:lambda:us-east-1:210987654321:function:support-guard-detect',
    }
    await expect(handler(loadEvent('detach-role-policy.json'), elsewhere)).resolves.toMatchObject({
      verdict: 'foreign-account',
      findings: [],
    })
    expect(iam.calls()).toHaveLength(0)
    expect(dynamo.calls()).toHaveLength(0)
    expect(bus.calls()).toHaveLength(0)
  })

  it('rethrows a bus failure so Lambda retries, and releases the idempotency record', async () => {
    const handler = await loadHandler()
    bus.on(PutEventsCommand).rejects(new Error('bus unavailable'))
    await expect(handler(loadEvent('detach-role-policy.json'), context)).rejects.toMatchObject({
      name: 'FindingsBusError',
    })
    expect(dynamo.commandCalls(UpdateItemCommand)).toHaveLength(0)
    expect(dynamo.commandCalls(DeleteItemCommand)).toHaveLength(1)
  })

  it('rejects a duplicate arriving while the first is in progress, without running or touching the first’s record', async () => {
    const handler = await loadHandler()
    const event = loadEvent('detach-role-policy.json')
    dynamo.on(PutItemCommand).rejects(
      new ConditionalCheckFailedException({
        message: 'The conditional request failed',
        $metadata: {},
        Item: {
          id: { S: 'support-guard-detect#any' },
          expiration: { N: String(Math.floor(Date.now() / 1000) + 3600) },
          status: { S: 'INPROGRESS' },
          in_progress_expiration: { N: String(Date.now() + 20_000) },
        },
      }),
    )
    await expect(handler(event, context)).rejects.toMatchObject({ name: 'IdempotencyAlreadyInProgressError' })
    expect(dynamo.commandCalls(DeleteItemCommand)).toHaveLength(0)
    expect(dynamo.commandCalls(UpdateItemCommand)).toHaveLength(0)
    expect(iam.calls()).toHaveLength(0)
    expect(bus.calls()).toHaveLength(0)
  })

  it('keys the in-progress record by account and eventID, expiring with the invocation’s remaining time', async () => {
    const handler = await loadHandler()
    const event = loadEvent('detach-role-policy.json')
    const bareRecord = structuredClone(event.detail)
    await handler(event, context)
    // The bare CloudTrail record of the same event is the same work.
    await handler(bareRecord, context)
    const [first, second] = dynamo.commandCalls(PutItemCommand).map((call) => call.args[0].input.Item)
    expect(first?.id?.S).toBe(second?.id?.S)
    const expiry = Number(first?.in_progress_expiration?.N)
    expect(expiry).toBeGreaterThan(Date.now())
    expect(expiry).toBeLessThanOrEqual(Date.now() + context.getRemainingTimeInMillis())
  })

  it('rejects a change record without an eventID as an EventParseError naming the field, before any write', async () => {
    const handler = await loadHandler()
    const event = loadEvent('detach-role-policy.json')
    delete (event.detail as { eventID?: string }).eventID
    await expect(handler(event, context)).rejects.toMatchObject({
      name: 'EventParseError',
      path: 'detail.eventID',
    })
    expect(dynamo.calls()).toHaveLength(0)
    expect(iam.calls()).toHaveLength(0)
  })

  it('fails at cold start naming a missing variable', async () => {
    await expect(loadHandler({ FINDINGS_BUS_NAME: undefined })).rejects.toThrow(
      'FINDINGS_BUS_NAME is not set',
    )
  })
})
