import { describe, expect, it } from 'vitest'
import { parseChangeEvent } from '#shared/events/parse-change-event.ts'
import { FINDING_DETAIL_TYPE } from '#shared/pipeline/bus-events.ts'
import { type DetectVerdict, detectChange } from '#shared/pipeline/detect-change.ts'
import { applyChange, buildDetectHarness } from '../helpers/detect-harness.ts'
import { loadExampleConfig, loadExampleSnapshot } from '../helpers/example-account.ts'
import { listEventFiles, loadEvent } from '../helpers/sample-events.ts'

const before = loadExampleSnapshot()
const config = loadExampleConfig()

/** Verdict of each sample against the example account (most samples name principals it does not have). */
const EXPECTED: Readonly<Record<string, DetectVerdict>> = {
  'add-user-to-group.json': 'compliant',
  'attach-group-policy.json': 'compliant',
  'attach-role-policy.json': 'findings',
  'attach-user-policy-access-denied-failed.json': 'failed-attempt',
  'attach-user-policy.json': 'compliant',
  'create-policy-version.json': 'compliant',
  'create-policy.json': 'compliant',
  'create-role.json': 'ignored-actor',
  'create-service-linked-role-trusted-advisor.json': 'compliant',
  'create-service-linked-role.json': 'compliant',
  'create-slack-channel-configuration.json': 'compliant',
  'delete-group-policy.json': 'compliant',
  'delete-group.json': 'compliant',
  'delete-policy-version.json': 'compliant',
  'delete-policy.json': 'compliant',
  'delete-role-permissions-boundary.json': 'compliant',
  'delete-role-policy.json': 'compliant',
  'delete-role.json': 'findings',
  'delete-service-linked-role-support-failed.json': 'findings',
  'delete-service-linked-role.json': 'findings',
  'delete-slack-channel-configuration.json': 'compliant',
  'delete-user-permissions-boundary.json': 'compliant',
  'delete-user-policy.json': 'compliant',
  'delete-user.json': 'compliant',
  'detach-group-policy.json': 'compliant',
  'detach-role-policy-support-slr-failed.json': 'findings',
  'detach-role-policy.json': 'findings',
  'detach-user-policy.json': 'compliant',
  'get-service-linked-role-deletion-status.json': 'compliant',
  'put-group-policy.json': 'compliant',
  'put-role-permissions-boundary.json': 'findings',
  'put-role-policy.json': 'findings',
  'put-user-permissions-boundary.json': 'compliant',
  'put-user-policy.json': 'compliant',
  'remove-user-from-group.json': 'compliant',
  'set-default-policy-version.json': 'compliant',
  'tag-role.json': 'ignored-actor',
  'untag-role.json': 'compliant',
  'update-assume-role-policy-trusted-advisor-failed.json': 'findings',
  'update-assume-role-policy.json': 'findings',
  'update-slack-channel-configuration.json': 'findings',
}

describe('every sample event ends as a verdict', () => {
  it('has an expectation for every file in events/', () => {
    expect(listEventFiles()).toEqual(Object.keys(EXPECTED).sort())
  })

  it.each(listEventFiles())('%s', async (file) => {
    const outcome = parseChangeEvent(loadEvent(file))
    expect(outcome.status).toBe('change')
    const after = outcome.status === 'change' ? applyChange(before, outcome.change) : before
    const harness = buildDetectHarness({ before, after, config, mode: 'monitor' })

    const result = await detectChange(outcome, harness.deps)

    expect(result.verdict).toBe(EXPECTED[file])
    expect(result.eventName).toBe((loadEvent(file).detail as { eventName: string }).eventName)
    // Findings are published as they are returned, one event each, and only then.
    expect(harness.publisher.events).toEqual(
      result.findings.map((detail) => ({ detailType: FINDING_DETAIL_TYPE, detail })),
    )
    for (const finding of result.findings) {
      expect(finding.mode).toBe('monitor')
      expect(finding.change?.eventId).toBe(result.eventId)
      expect(finding.remediation.automatic).toBe(finding.plan !== undefined)
    }
  })

  it('refreshes the baseline of a protected principal a compliant change touched', async () => {
    const outcome = parseChangeEvent(loadEvent('untag-role.json'))
    const harness = buildDetectHarness({ after: before, config, baselines: [] })
    const result = await detectChange(outcome, harness.deps)
    expect(result.baselinesWritten).toBe(1)
    const stored = await harness.store.get('123456789012', 'arn:aws:iam::123456789012:role/AWSSupportAppRole')
    expect(stored?.supportApp).toBe(true)
    expect(stored?.source).toBe(result.eventId)
  })

  it('writes no baseline after a failed attempt', async () => {
    const outcome = parseChangeEvent(loadEvent('attach-user-policy-access-denied-failed.json'))
    const harness = buildDetectHarness({ after: before, config, baselines: [] })
    const result = await detectChange(outcome, harness.deps)
    expect(result).toMatchObject({ verdict: 'failed-attempt', baselinesWritten: 0, findings: [] })
    expect(await harness.store.list('123456789012')).toEqual([])
  })
})
