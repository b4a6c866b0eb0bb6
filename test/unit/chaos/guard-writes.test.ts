import { describe, expect, it } from 'vitest'
import type { ProxiedRequest } from '#test-support/chaos/fault-proxy.ts'
import { countWritesByTarget, listGuardWrites } from '#test-support/chaos/guard-writes.ts'
import { echoGuardWrite } from '#test-support/chaos/write-echo.ts'
import { REMEDIATION_ROLE_ARN } from '#test-support/e2e/guard-stack.ts'

function request(overrides: Partial<ProxiedRequest>): ProxiedRequest {
  return {
    service: 'iam',
    action: 'AttachRolePolicy',
    protocol: 'query',
    attempt: 1,
    invocationId: 'op',
    params: { RoleName: 'SupportTeam', PolicyArn: 'arn:aws:iam::aws:policy/AWSSupportAccess' },
    outcome: 'forwarded',
    applied: true,
    arrivedAt: 0,
    durationMs: 1,
    ...overrides,
  }
}

describe('listGuardWrites', () => {
  it('counts one write per SDK operation that reached the emulator; reads and refused requests are no writes', () => {
    const writes = listGuardWrites([
      request({ invocationId: 'op-1', outcome: 'fault-after' }),
      request({ invocationId: 'op-1', attempt: 2 }),
      request({ invocationId: 'op-2', outcome: 'fault-before', applied: false }),
      request({ invocationId: 'op-3', action: 'GetRole' }),
      request({ invocationId: 'op-4', service: 'dynamodb', action: 'PutItem', params: {} }),
      request({
        invocationId: 'op-5',
        action: 'DeleteRolePolicy',
        params: { RoleName: 'Other', PolicyName: 'p' },
      }),
    ])
    expect(writes.map((write) => [write.action, write.target, write.requests])).toEqual([
      ['AttachRolePolicy', 'SupportTeam', 2],
      ['DeleteRolePolicy', 'Other', 1],
    ])
    expect(countWritesByTarget(writes)).toEqual(
      new Map([
        ['SupportTeam', 1],
        ['Other', 1],
      ]),
    )
  })

  it('counts a write repeated by a new operation twice', () => {
    const writes = listGuardWrites([request({ invocationId: 'a' }), request({ invocationId: 'b' })])
    expect(countWritesByTarget(writes).get('SupportTeam')).toBe(2)
  })
})

describe('echoGuardWrite', () => {
  it("builds the CloudTrail event of the guard's own write, as the remediation role", () => {
    const [write] = listGuardWrites([
      request({
        action: 'CreateServiceLinkedRole',
        params: { AWSServiceName: 'servicequotas.amazonaws.com' },
      }),
    ])
    if (!write) throw new Error('no write')
    const echo = echoGuardWrite(write)
    expect(echo.detail).toMatchObject({
      eventName: 'CreateServiceLinkedRole',
      requestParameters: { aWSServiceName: 'servicequotas.amazonaws.com' },
      userIdentity: { type: 'AssumedRole', sessionContext: { sessionIssuer: { arn: REMEDIATION_ROLE_ARN } } },
    })
  })
})
