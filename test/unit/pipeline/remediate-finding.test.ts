import { beforeEach, describe, expect, it, vi } from 'vitest'
import type { GuardConfig } from '#shared/config/guard-config.ts'
import { evaluateAccount } from '#shared/evaluator/evaluate-account.ts'
import { type FindingEventDetail, REMEDIATION_DETAIL_TYPE } from '#shared/pipeline/bus-events.ts'
import { MemoryBaselineStore } from '#shared/pipeline/memory-baseline-store.ts'
import { applyMutation } from '#shared/pipeline/mutate-snapshot.ts'
import { type RemediateDeps, remediateFinding } from '#shared/pipeline/remediate-finding.ts'
import type { RemediationStep } from '#shared/pipeline/remediation-steps.ts'
import { MemoryRevertJournal } from '#shared/pipeline/revert-journal.ts'
import { runPostureRules } from '#shared/posture/run-posture-rules.ts'
import type { AccountSnapshot } from '#shared/snapshot/types.ts'
import { detectSample, makeRecordingPublisher, makeSilentLogger } from '../helpers/detect-harness.ts'
import {
  ADMIN_ACCESS,
  allowDocument,
  findRole,
  loadExampleConfig,
  loadExampleSnapshot,
  SUPPORT_ACCESS,
  trustDocument,
} from '../helpers/example-account.ts'
import { MutableAccount } from '../helpers/mutable-account.ts'

const config = loadExampleConfig()
const before = loadExampleSnapshot()

let lost: FindingEventDetail
let afterDetach: AccountSnapshot
let store: MemoryBaselineStore

beforeEach(async () => {
  const detected = await detectSample('detach-role-policy.json', before, config)
  const finding = detected.findings.find((entry) => entry.rule === 'SUPPORT_ACCESS_LOST')
  if (!finding?.plan) throw new Error('the detach scenario must yield a planned SUPPORT_ACCESS_LOST')
  lost = finding
  afterDetach = detected.after
  store = detected.harness.store
})

function setUp(
  state: AccountSnapshot,
  options: { mode?: RemediateDeps['mode']; config?: GuardConfig; store?: MemoryBaselineStore } = {},
) {
  const account = new MutableAccount(state)
  const publisher = makeRecordingPublisher()
  const records = options.store ?? store
  const deps: RemediateDeps = {
    reader: account.reader,
    baselines: records,
    changes: records,
    writer: account.writer,
    journal: new MemoryRevertJournal(),
    publisher,
    config: options.config ?? config,
    mode: options.mode ?? 'enforce',
    logger: makeSilentLogger(),
  }
  return { account, publisher, deps }
}

function findingIds(snapshot: AccountSnapshot): string[] {
  return runPostureRules(evaluateAccount(snapshot), config).map((finding) => finding.id)
}

/** A finding event as someone with events:PutEvents could put it on the bus. */
function forge(finding: FindingEventDetail, steps: readonly RemediationStep[]): FindingEventDetail {
  return {
    ...finding,
    mode: 'enforce',
    remediation: { automatic: true, steps: [] },
    plan: { steps, reason: 'forged' },
  }
}

describe('remediateFinding', () => {
  it('skips in monitor mode and writes nothing', async () => {
    const { account, publisher, deps } = setUp(afterDetach, { mode: 'monitor' })
    const result = await remediateFinding(lost, deps)
    expect(result).toMatchObject({ outcome: 'skipped', reason: 'the guard is in monitor mode', steps: [] })
    expect(account.writer.apply).not.toHaveBeenCalled()
    expect(publisher.events).toHaveLength(1)
  })

  it('reverts in enforce mode with its own plan, and a re-read shows the finding gone', async () => {
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

  it('never reads the plan of the event: without one it applies its own', async () => {
    const { account, deps } = setUp(afterDetach)
    const { plan: _plan, ...unplanned } = lost
    const result = await remediateFinding(unplanned, deps)
    expect(result.outcome).toBe('reverted')
    expect(account.writer.apply).toHaveBeenCalledTimes(1)
  })

  it('skips a late event whose finding no longer holds, without writing', async () => {
    const { account, publisher, deps } = setUp(before)
    const result = await remediateFinding(lost, deps)
    expect(result.outcome).toBe('skipped')
    expect(result.reason).toMatch(/no longer holds/)
    expect(result.refused).toBeUndefined()
    expect(account.writer.apply).not.toHaveBeenCalled()
    expect(publisher.publish).toHaveBeenCalledTimes(1)
  })

  it('skips, without calling it a forgery, a late audit finding someone fixed by hand', async () => {
    const { change: _change, ...fromAudit } = lost
    const { account, deps } = setUp(before)
    const result = await remediateFinding(
      { ...fromAudit, plan: { steps: lost.plan?.steps ?? [], reason: 'restore' } },
      deps,
    )
    expect(result).toMatchObject({ outcome: 'skipped', steps: [] })
    expect(result.reason).toMatch(/no longer holds/)
    expect(result.refused).toBeUndefined()
    expect(account.writer.apply).not.toHaveBeenCalled()
  })

  it('restores drift the audit found from the baseline, with its own minimal plan', async () => {
    const { change: _change, ...fromAudit } = lost
    const { account, deps } = setUp(afterDetach)
    const result = await remediateFinding(
      { ...fromAudit, plan: { steps: lost.plan?.steps ?? [], reason: 'restore' } },
      deps,
    )
    expect(result.outcome).toBe('reverted')
    expect(result.reason).toMatch(/^restore from the baseline recorded /)
    expect(account.writer.apply).toHaveBeenCalledTimes(1)
  })

  it('skips a change detect never asked to revert (no change record)', async () => {
    const { account, deps } = setUp(afterDetach, { store: new MemoryBaselineStore() })
    const { plan: _plan, ...unplanned } = lost
    const result = await remediateFinding(unplanned, deps)
    expect(result).toMatchObject({ outcome: 'skipped', steps: [] })
    expect(result.reason).toMatch(/recorded no revert/)
    expect(account.writer.apply).not.toHaveBeenCalled()
  })

  describe('refuses forged finding events and writes nothing', () => {
    it('AdministratorAccess for an unrelated user, under a real open finding ID', async () => {
      const { account, deps } = setUp(afterDetach)
      const forged = forge(lost, [
        { action: 'attach-policy', principalType: 'user', principalName: 'bob', policyArn: ADMIN_ACCESS },
      ])
      const result = await remediateFinding(forged, deps)
      expect(result).toMatchObject({ outcome: 'skipped', refused: true, steps: [] })
      expect(result.reason).toMatch(/^refused: .*attach-user-policy --user-name bob/)
      expect(account.writer.apply).not.toHaveBeenCalled()
    })

    it("a foreign account added to SupportTeam's trust", async () => {
      const { account, deps } = setUp(afterDetach)
      const foreign = trustDocument({ AWS: 'arn:aws:iam::999999999999:root' })
      const forged = forge(lost, [
        { action: 'update-trust-policy', roleName: 'SupportTeam', document: foreign },
      ])
      const result = await remediateFinding(forged, deps)
      expect(result).toMatchObject({ outcome: 'skipped', refused: true })
      expect(account.writer.apply).not.toHaveBeenCalled()
      expect(findRole(account.snapshot, 'SupportTeam').trustPolicy).toEqual(
        findRole(afterDetach, 'SupportTeam').trustPolicy,
      )
    })

    it('a service-linked role of a made-up service', async () => {
      const { account, deps } = setUp(afterDetach)
      const forged = forge({ ...lost, rule: 'SLR_MISSING' }, [
        { action: 'create-service-linked-role', awsServiceName: 'evil.example.com' },
      ])
      const result = await remediateFinding(forged, deps)
      expect(result).toMatchObject({ outcome: 'skipped', refused: true })
      expect(account.writer.apply).not.toHaveBeenCalled()
    })

    it('in monitor mode too', async () => {
      const { account, deps } = setUp(afterDetach, { mode: 'monitor' })
      const forged = forge(lost, [
        { action: 'attach-policy', principalType: 'user', principalName: 'bob', policyArn: ADMIN_ACCESS },
      ])
      const result = await remediateFinding(forged, deps)
      expect(result).toMatchObject({ outcome: 'skipped', refused: true })
      expect(account.writer.apply).not.toHaveBeenCalled()
    })

    it('the real revert plus one extra write', async () => {
      const { account, deps } = setUp(afterDetach)
      const extra: RemediationStep = {
        action: 'put-inline-policy',
        principalType: 'role',
        principalName: 'SupportTeam',
        policyName: 'extra',
        document: allowDocument('iam:*'),
      }
      const result = await remediateFinding(forge(lost, [...(lost.plan?.steps ?? []), extra]), deps)
      expect(result).toMatchObject({ outcome: 'skipped', refused: true })
      expect(account.writer.apply).not.toHaveBeenCalled()
    })
  })

  it('skips a rule the config does not enforce, saying so', async () => {
    const unenforced = loadExampleConfig({ enforceRules: ['SUPPORT_APP_TRUST_INVALID'] })
    const { account, deps } = setUp(afterDetach, { config: unenforced })
    const result = await remediateFinding(lost, deps)
    expect(result.outcome).toBe('skipped')
    expect(result.reason).toBe(
      'enforce mode does not revert this: SUPPORT_ACCESS_LOST is not in enforceRules',
    )
    expect(account.writer.apply).not.toHaveBeenCalled()
  })

  it("keeps an operator's rewrite of an inline policy made after the bad change (stale plan)", async () => {
    const detected = await detectSample('put-role-policy.json', before, config)
    const finding = detected.findings.find((entry) => entry.plan !== undefined)
    if (!finding?.plan) throw new Error('the put-role-policy scenario must yield a planned finding')
    const operatorDocument = {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Deny', Action: 'support:ResolveCase', Resource: '*' }],
    }
    const rewritten = applyMutation(detected.after, {
      action: 'put-inline-policy',
      principalType: 'role',
      principalName: 'SupportTeam',
      policyName: 'DenySupport',
      document: operatorDocument,
    })
    const { account, deps } = setUp(rewritten, { store: detected.harness.store })
    const result = await remediateFinding(finding, deps)
    expect(result.outcome).toBe('skipped')
    expect(account.writer.apply).not.toHaveBeenCalled()
    const inline = findRole(account.snapshot, 'SupportTeam').inline.find(
      (entry) => entry.name === 'DenySupport',
    )
    expect(inline?.document).toEqual(operatorDocument)
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
    const { account, deps } = setUp(before, { store: detected.harness.store })

    const first = await remediateFinding(missing, deps)
    // Another piece of work (a later delivery of the audit's finding) finds nothing to do.
    const second = await remediateFinding(missing, { ...deps, journal: new MemoryRevertJournal() })

    expect(first.outcome).toBe('reverted')
    expect(account.writer.apply).toHaveBeenCalledWith({
      action: 'create-service-linked-role',
      awsServiceName: 'servicequotas.amazonaws.com',
    })
    expect(second.outcome).toBe('skipped')
    expect(account.writer.apply).toHaveBeenCalledTimes(1)
  })

  it('reports its own revert as reverted when a retry finds the finding gone (the outcome event failed)', async () => {
    const { account, deps } = setUp(afterDetach)
    const failing = {
      publish: vi.fn().mockRejectedValueOnce(new Error('bus down')).mockResolvedValue(undefined),
    }
    await expect(remediateFinding(lost, { ...deps, publisher: failing })).rejects.toThrow('bus down')
    expect(account.writer.apply).toHaveBeenCalledTimes(1)

    const retried = await remediateFinding(lost, { ...deps, publisher: failing })

    expect(retried.outcome).toBe('reverted')
    expect(retried.reason).toMatch(
      /^reverted by an earlier attempt of this remediation \(its writes were recorded at /,
    )
    expect(retried.steps).toEqual(lost.plan?.steps)
    expect(account.writer.apply).toHaveBeenCalledTimes(1)
  })

  it('reports reverted when the earlier attempt stopped after writing but before recording it', async () => {
    const { account, deps } = setUp(afterDetach)
    const journal = new MemoryRevertJournal()
    const record = journal.record.bind(journal)
    // The record of the finished writes fails: the attempt ends in an error after its write.
    let writes = 0
    journal.record = async (entry) => {
      if (entry.state === 'applied' && writes++ === 0) throw new Error('DynamoDB down')
      return record(entry)
    }
    await expect(remediateFinding(lost, { ...deps, journal })).rejects.toThrow('DynamoDB down')
    const retried = await remediateFinding(lost, { ...deps, journal })
    expect(retried.outcome).toBe('reverted')
    expect(retried.reason).toMatch(/it was writing at .* when it stopped/)
    expect(account.writer.apply).toHaveBeenCalledTimes(1)
  })

  it('still says skipped when someone else fixed the finding before the guard wrote anything', async () => {
    const { account, deps } = setUp(afterDetach)
    account.apply(lost.plan?.steps[0] as RemediationStep)
    const result = await remediateFinding(lost, deps)
    expect(result.outcome).toBe('skipped')
    expect(result.reason).toMatch(/no longer holds/)
    expect(account.writer.apply).not.toHaveBeenCalled()
  })

  it('writes nothing when the journal cannot record the revert it is about to make', async () => {
    const { account, deps } = setUp(afterDetach)
    const journal = new MemoryRevertJournal()
    journal.record = async () => {
      throw new Error('DynamoDB down')
    }
    await expect(remediateFinding(lost, { ...deps, journal })).rejects.toThrow('DynamoDB down')
    expect(account.writer.apply).not.toHaveBeenCalled()
  })

  it('propagates a publish failure so the invocation is retried', async () => {
    const { deps } = setUp(afterDetach, { mode: 'monitor' })
    const publisher = { publish: vi.fn().mockRejectedValue(new Error('bus down')) }
    await expect(remediateFinding(lost, { ...deps, publisher })).rejects.toThrow('bus down')
  })
})
