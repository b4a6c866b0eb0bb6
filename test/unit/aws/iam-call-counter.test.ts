import { GetPolicyCommand, GetRoleCommand, IAMClient } from '@aws-sdk/client-iam'
import { describe, expect, it } from 'vitest'
import { countCalls } from '#shared/aws/call-counter.ts'

/** A real client whose requests stop at the build step, so nothing leaves the process. */
function offlineClient(): IAMClient {
  const client = new IAMClient({
    region: 'us-east-1',
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
  })
  client.middlewareStack.add(() => async () => ({ output: { $metadata: {} }, response: {} }), {
    step: 'build',
    name: 'stopBeforeNetwork',
  })
  return client
}

describe('countCalls', () => {
  it('counts each command by operation name', async () => {
    const client = offlineClient()
    const counter = countCalls(client)

    await client.send(new GetRoleCommand({ RoleName: 'SupportTeam' }))
    await client.send(new GetRoleCommand({ RoleName: 'Admin' }))
    await client.send(new GetPolicyCommand({ PolicyArn: 'arn:aws:iam::aws:policy/AWSSupportAccess' }))

    expect(Object.fromEntries(counter.counts)).toEqual({ GetRole: 2, GetPolicy: 1 })
    expect(counter.total()).toBe(3)
  })

  it('starts again from zero after reset', async () => {
    const client = offlineClient()
    const counter = countCalls(client)
    await client.send(new GetRoleCommand({ RoleName: 'SupportTeam' }))

    counter.reset()
    await client.send(new GetPolicyCommand({ PolicyArn: 'arn:aws:iam::aws:policy/AWSSupportAccess' }))

    expect(Object.fromEntries(counter.counts)).toEqual({ GetPolicy: 1 })
    expect(counter.total()).toBe(1)
  })

  it('replaces an earlier counter on the same client instead of failing', async () => {
    const client = offlineClient()
    const first = countCalls(client)
    const second = countCalls(client)

    await client.send(new GetRoleCommand({ RoleName: 'SupportTeam' }))

    expect(first.total()).toBe(0)
    expect(second.total()).toBe(1)
  })
})
