import { beforeEach, describe, expect, it, vi } from 'vitest'
import { evaluateAccount } from '#shared/evaluator/evaluate-account.ts'
import { type FindingEventDetail, REMEDIATION_DETAIL_TYPE } from '#shared/pipeline/bus-events.ts'
import { type RemediateDeps, remediateFinding } from '#shared/pipeline/remediate-finding.ts'
import { runPostureRules } from '#shared/posture/run-posture-rules.ts'
import type { AccountSnapshot } from '#shared/snapshot/types.ts'
import { detectSample, makeRecordingPublisher, makeSilentLogger } from '../helpers/detect-harness.ts'
import { loadExampleConfig, loadExampleSnapshot, SUPPORT_ACCESS } from '../helpers/example-account.ts'
import { MutableAccount } from '../helpers/mutable-account.ts'

const config = loadExampleConfig()
const before = loadExampleSnapshot()

let lost: FindingEventDetail
let afterDetach: AccountSnapshot

beforeEach(async () => {
  const detected = await detectSample('detach-role-policy.json', before, config)
  const finding = detected.findings.find((entry) => entry.rule === 'SUPPORT_ACCESS_LOST')
  if (!finding?.plan) throw new Error('the detach scenario must yield a planned SUPPORT_ACCESS_LOST')
  lost = finding
  afterDetach = detected.after
})

function setUp(state: AccountSnapshot, mode: RemediateDeps['mode'] = 'enforce') {
  const account = new MutableAccount(state)
  const publisher = makeRecordingPublisher()
  const deps: RemediateDeps = {
    reader: account.reader,
    writer: account.writer,
    publisher,
    config,
    mode,
    logger: makeSilentLogger(),
  }
  return { account, publisher, deps }
}

function findingIds(snapshot: AccountSnapshot): string[] {
  return runPostureRules(evaluateAccount(snapshot), config).map((finding) => finding.id)
}

describe('remediateFinding', () => {
  it('skips in monitor mode and writes nothing', async () => {
    const { account, publisher, deps } = setUp(afterDetach, 'monitor')
    const result = await remediateFinding(lost, deps)
    expect(result).toMatchObject({
      outcome: 'skipped',
      reason: 'the guard is in monitor mode',
      steps: lost.plan?.steps,
    })
    expect(account.writer.apply).not.toHaveBeenCalled()
    expect(publisher.events).toHaveLength(1)
  })

  it('reverts in enforce mode, and a re-read shows the finding gone', async () => {
    const { account, publisher, deps } = setUp(afterDetach)
    expect(findingIds(account.snapshot)).toContain(lost.id)

    const result = await remediateFinding(lost, deps)

    expect(result.outcome).toBe('reverted')
    expect(result.error).toBeUndefined()
    expect(account.writer.apply).toHaveBeenCalledTimes(1)
    expect(account.writer.apply).toHaveBeenCalledWith({
      action: 'attach-policy',
      principalType: 'role',
      principalName: 'SupportTeam',
      policyArn: SUPPORT_ACCESS,
    })
    expect(findingIds(account.snapshot)).not.toContain(lost.id)
    expect(publisher.events).toEqual([{ detailType: REMEDIATION_DETAIL_TYPE, detail: result }])
    expect(result).toMatchObject({
      findingId: lost.id,
      rule: 'SUPPORT_ACCESS_LOST',
      principalArn: lost.principalArn,
      change: lost.change,
    })
  })

  it('skips a late event whose finding no longer holds, without writing', async () => {
    const { account, publisher, deps } = setUp(before)
    const result = await remediateFinding(lost, deps)
    expect(result.outcome).toBe('skipped')
    expect(result.reason).toMatch(/no longer holds/)
    expect(account.writer.apply).not.toHaveBeenCalled()
    expect(publisher.publish).toHaveBeenCalledTimes(1)
  })

  it('skips a finding without a plan', async () => {
    const { account, deps } = setUp(afterDetach)
    const { plan: _plan, ...unplanned } = lost
    const result = await remediateFinding(unplanned, deps)
    expect(result).toMatchObject({ outcome: 'skipped', steps: [] })
    expect(account.writer.apply).not.toHaveBeenCalled()
  })

  it('reports a writer failure as failed, with the error and the step attempted', async () => {
    const { account, publisher, deps } = setUp(afterDetach)
    account.writer.apply.mockRejectedValueOnce(new Error('AccessDenied: not authorized to AttachRolePolicy'))
    const result = await remediateFinding(lost, deps)
    expect(result).toMatchObject({
      outcome: 'failed',
      error: 'AccessDenied: not authorized to AttachRolePolicy',
      steps: lost.plan?.steps,
    })
    expect(publisher.events).toHaveLength(1)
    expect(publisher.events[0]?.detail).toBe(result)
  })

  it('reports failed when the finding still holds after the write', async () => {
    const { account, publisher, deps } = setUp(afterDetach)
    account.writer.apply.mockResolvedValue(undefined)
    const result = await remediateFinding(lost, deps)
    expect(result.outcome).toBe('failed')
    expect(result.reason).toMatch(/still holds/)
    expect(account.writer.apply).toHaveBeenCalledTimes(1)
    expect(publisher.publish).toHaveBeenCalledTimes(1)
  })

  it('re-creates the Service Quotas role only while it is missing', async () => {
    const detected = await detectSample('delete-service-linked-role.json', before, config)
    const missing = detected.findings.find((entry) => entry.rule === 'SLR_MISSING')
    if (!missing) throw new Error('expected SLR_MISSING')
    const { account, deps } = setUp(before)

    const first = await remediateFinding(missing, deps)
    const second = await remediateFinding(missing, deps)

    expect(first.outcome).toBe('reverted')
    expect(account.writer.apply).toHaveBeenCalledWith({
      action: 'create-service-linked-role',
      awsServiceName: 'servicequotas.amazonaws.com',
    })
    expect(second.outcome).toBe('skipped')
    expect(account.writer.apply).toHaveBeenCalledTimes(1)
  })

  it('propagates a publish failure so the invocation is retried', async () => {
    const { deps } = setUp(afterDetach, 'monitor')
    const publisher = { publish: vi.fn().mockRejectedValue(new Error('bus down')) }
    await expect(remediateFinding(lost, { ...deps, publisher })).rejects.toThrow('bus down')
  })
})
