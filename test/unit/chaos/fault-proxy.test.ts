import { createServer, type Server } from 'node:http'
import { DeleteItemCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge'
import { DeleteRoleCommand, IAMClient } from '@aws-sdk/client-iam'
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { readSigningService } from '#test-support/chaos/aws-request.ts'
import type { FaultSettings } from '#test-support/chaos/fault-plan.ts'
import { type FaultProxy, startFaultProxy } from '#test-support/chaos/fault-proxy.ts'
import { closeServer, listenOnLoopback, readBody } from '#test-support/e2e/http-relay.ts'

/** What a healthy service answers to the one call each test makes. */
const ANSWERS: Record<string, { type: string; body: string }> = {
  iam: {
    type: 'text/xml',
    body: '<DeleteRoleResponse><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></DeleteRoleResponse>',
  },
  sns: {
    type: 'text/xml',
    body: '<PublishResponse><PublishResult><MessageId>m</MessageId></PublishResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></PublishResponse>',
  },
  dynamodb: { type: 'application/x-amz-json-1.0', body: '{}' },
  events: { type: 'application/x-amz-json-1.1', body: '{"FailedEntryCount":0,"Entries":[{"EventId":"e"}]}' },
}

let upstream: Server
let upstreamEndpoint: string
/** Requests that reached the upstream, by service. */
const received: string[] = []
let proxy: FaultProxy

beforeAll(async () => {
  upstream = createServer((request, response) => {
    void readBody(request).then(() => {
      const service = readSigningService(request.headers.authorization) ?? 'unknown'
      received.push(service)
      const answer = ANSWERS[service] ?? { type: 'text/plain', body: '' }
      response.writeHead(200, { 'content-type': answer.type })
      response.end(answer.body)
    })
  })
  upstreamEndpoint = await listenOnLoopback(upstream)
})

afterAll(async () => {
  await closeServer(upstream)
})

afterEach(async () => {
  await proxy?.stop()
  received.length = 0
})

const config = (endpoint: string, maxAttempts: number) => ({
  endpoint,
  region: 'us-east-1',
  credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
  maxAttempts,
})

/** One call per service, through the proxy; what each threw (or `ok`). */
async function callEach(maxAttempts = 1): Promise<Record<string, unknown>> {
  const endpoint = proxy.endpoint
  const calls: Record<string, () => Promise<unknown>> = {
    iam: () => new IAMClient(config(endpoint, maxAttempts)).send(new DeleteRoleCommand({ RoleName: 'r' })),
    sns: () =>
      new SNSClient(config(endpoint, maxAttempts)).send(
        new PublishCommand({ TopicArn: 'arn:aws:sns:us-east-1:123456789012:t', Message: 'm' }),
      ),
    dynamodb: () =>
      new DynamoDBClient(config(endpoint, maxAttempts)).send(
        new DeleteItemCommand({ TableName: 't', Key: { pk: { S: 'k' } } }),
      ),
    events: () =>
      new EventBridgeClient(config(endpoint, maxAttempts)).send(
        new PutEventsCommand({ Entries: [{ Source: 's', DetailType: 'd', Detail: '{}' }] }),
      ),
  }
  const results: Record<string, unknown> = {}
  for (const [service, call] of Object.entries(calls)) {
    results[service] = await call().then(
      () => 'ok',
      (error: unknown) => error,
    )
  }
  return results
}

const always = (overrides: Partial<FaultSettings>): FaultSettings => ({
  rates: { iam: 1, sns: 1, dynamodb: 1, events: 1 },
  afterShare: 0,
  throttleShare: 0,
  resetShare: 0,
  ...overrides,
})

describe('fault proxy, with the real SDK clients', () => {
  it('passes requests through when no fault is set', async () => {
    proxy = await startFaultProxy({ upstream: upstreamEndpoint, seed: 1 })
    expect(await callEach()).toEqual({ iam: 'ok', sns: 'ok', dynamodb: 'ok', events: 'ok' })
    expect(received.sort()).toEqual(['dynamodb', 'events', 'iam', 'sns'])
    expect(proxy.tally.totalFaults()).toBe(0)
    expect(proxy.requests.map((request) => request.action)).toEqual([
      'DeleteRole',
      'Publish',
      'DeleteItem',
      'PutEvents',
    ])
  })

  it('answers throttling errors the SDK recognises, without forwarding', async () => {
    proxy = await startFaultProxy({
      upstream: upstreamEndpoint,
      seed: 1,
      faults: always({ throttleShare: 1 }),
    })
    const results = await callEach()
    expect(
      Object.fromEntries(Object.entries(results).map(([service, error]) => [service, nameOf(error)])),
    ).toEqual({
      iam: 'Throttling',
      sns: 'Throttling',
      dynamodb: 'ThrottlingException',
      events: 'ThrottlingException',
    })
    for (const error of Object.values(results)) expect(statusOf(error)).toBe(400)
    expect(received).toEqual([])
    expect(proxy.tally.snapshot().iam).toMatchObject({
      requests: 1,
      faultsBefore: 1,
      faultsThrottled: 1,
      forwarded: 0,
    })
  })

  it('answers 500 or 503 in each protocol before forwarding', async () => {
    proxy = await startFaultProxy({ upstream: upstreamEndpoint, seed: 3, faults: always({}) })
    const results = await callEach()
    for (const error of Object.values(results)) expect([500, 503]).toContain(statusOf(error))
    const names = new Set(Object.values(results).map(nameOf))
    for (const name of names) {
      expect([
        'InternalFailure',
        'InternalErrorException',
        'InternalServerError',
        'InternalException',
        'ServiceUnavailable',
        'ServiceUnavailableException',
      ]).toContain(name)
    }
    expect(received).toEqual([])
  })

  it('applies the request and loses the answer after forwarding: a 500, or a cut connection', async () => {
    proxy = await startFaultProxy({ upstream: upstreamEndpoint, seed: 1, faults: always({ afterShare: 1 }) })
    const answered = await callEach()
    for (const error of Object.values(answered)) expect(statusOf(error)).toBe(500)
    expect(received.sort()).toEqual(['dynamodb', 'events', 'iam', 'sns'])
    await proxy.stop()
    received.length = 0
    proxy = await startFaultProxy({
      upstream: upstreamEndpoint,
      seed: 1,
      faults: always({ afterShare: 1, resetShare: 1 }),
    })
    const cut = await callEach()
    for (const error of Object.values(cut)) expect(statusOf(error)).toBeUndefined()
    expect(received).toHaveLength(4)
    expect(proxy.requests.every((request) => request.applied && request.outcome === 'fault-reset')).toBe(true)
  })

  it("counts the SDK's retries of a failing request", async () => {
    proxy = await startFaultProxy({
      upstream: upstreamEndpoint,
      seed: 1,
      faults: always({ rates: { iam: 1 } }),
    })
    const results = await callEach(3)
    expect(results).toMatchObject({ sns: 'ok', dynamodb: 'ok', events: 'ok' })
    expect(proxy.tally.snapshot().iam).toMatchObject({ requests: 3, sdkRetries: 2, faultsBefore: 3 })
    const ids = new Set(
      proxy.requests.filter((request) => request.service === 'iam').map((request) => request.invocationId),
    )
    expect(ids.size).toBe(1)
  })

  it('throttles a service over its rate limit', async () => {
    proxy = await startFaultProxy({ upstream: upstreamEndpoint, seed: 1 })
    proxy.setRateLimits({ iam: { ratePerSecond: 0.001, burst: 2 } })
    const iam = new IAMClient(config(proxy.endpoint, 1))
    await iam.send(new DeleteRoleCommand({ RoleName: 'a' }))
    await iam.send(new DeleteRoleCommand({ RoleName: 'b' }))
    await expect(iam.send(new DeleteRoleCommand({ RoleName: 'c' }))).rejects.toMatchObject({
      name: 'Throttling',
    })
    expect(proxy.tally.snapshot().iam).toMatchObject({ requests: 3, forwarded: 2, rateLimited: 1 })
    expect(proxy.tally.totalFaults()).toBe(0)
  })
})

function nameOf(error: unknown): string | undefined {
  return error instanceof Error ? error.name : undefined
}

function statusOf(error: unknown): number | undefined {
  const metadata = error instanceof Error ? Reflect.get(error, '$metadata') : undefined
  const status =
    typeof metadata === 'object' && metadata !== null ? Reflect.get(metadata, 'httpStatusCode') : undefined
  return typeof status === 'number' ? status : undefined
}
