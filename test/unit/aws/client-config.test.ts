import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { GetRoleCommand, IAMClient } from '@aws-sdk/client-iam'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import {
  boundByDeadline,
  DeadlineExceededError,
  InvocationDeadline,
  retryingClientConfig,
} from '#shared/aws/client-config.ts'

// A local endpoint that answers every IAM call with a retryable server error, counting attempts.
let server: Server
let endpoint: string
let attempts = 0

beforeAll(async () => {
  server = createServer((request, response) => {
    request.resume()
    request.on('end', () => {
      attempts++
      response.writeHead(500, { 'content-type': 'text/xml' })
      response.end(
        '<ErrorResponse><Error><Type>Receiver</Type><Code>ServiceFailure</Code><Message>down</Message></Error><RequestId>r</RequestId></ErrorResponse>',
      )
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve))
})

beforeEach(() => {
  attempts = 0
})

function client(maxAttempts: number, deadline: InvocationDeadline): IAMClient {
  return boundByDeadline(
    new IAMClient({
      ...retryingClientConfig(maxAttempts),
      endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
    }),
    deadline,
  )
}

describe('retryingClientConfig and boundByDeadline', () => {
  it('retries a server error up to maxAttempts when time allows', async () => {
    const deadline = new InvocationDeadline()
    deadline.start({ getRemainingTimeInMillis: () => 60_000 })
    await expect(client(3, deadline).send(new GetRoleCommand({ RoleName: 'x' }))).rejects.toMatchObject({
      name: 'ServiceFailureException',
    })
    expect(attempts).toBe(3)
  })

  it('stops retrying when the invocation is about to end, with an error that says so', async () => {
    const deadline = new InvocationDeadline()
    // 1.5 s are kept in reserve: this leaves 300 ms for the call and its retries.
    deadline.start({ getRemainingTimeInMillis: () => 1_800 })
    const started = Date.now()
    const call = client(8, deadline).send(new GetRoleCommand({ RoleName: 'x' }))
    await expect(call).rejects.toBeInstanceOf(DeadlineExceededError)
    expect(attempts).toBeGreaterThanOrEqual(1)
    expect(attempts).toBeLessThan(8)
    expect(Date.now() - started).toBeLessThan(1_800)
  })

  it('makes no attempt at all once the deadline has passed', async () => {
    const deadline = new InvocationDeadline()
    deadline.start({ getRemainingTimeInMillis: () => 1_000 })
    await expect(client(8, deadline).send(new GetRoleCommand({ RoleName: 'x' }))).rejects.toBeInstanceOf(
      DeadlineExceededError,
    )
    expect(attempts).toBe(0)
  })

  it('leaves calls outside an invocation (CLI, scripts) unbounded', () => {
    expect(new InvocationDeadline().remaining()).toBe(Number.POSITIVE_INFINITY)
  })
})
