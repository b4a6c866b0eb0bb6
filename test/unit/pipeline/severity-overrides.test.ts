import { describe, expect, it } from 'vitest'
import { MemoryBaselineStore } from '#shared/pipeline/memory-baseline-store.ts'
import { runScheduledAudit } from '#shared/pipeline/run-audit.ts'
import {
  captureProtectedBaselines,
  detectSample,
  makeRecordingPublisher,
  makeSilentLogger,
} from '../helpers/detect-harness.ts'
import { loadExampleConfig, loadExampleSnapshot } from '../helpers/example-account.ts'

const before = loadExampleSnapshot()

describe('one place gives every finding its severity', () => {
  it('a change-path finding honours severityOverrides (SLR_DELETION_ATTEMPT lowered to low)', async () => {
    const config = loadExampleConfig({
      severityOverrides: { SLR_DELETION_ATTEMPT: 'low', SLR_MISSING: 'high' },
    })
    const detected = await detectSample('delete-service-linked-role.json', before, config)
    const severities = Object.fromEntries(
      detected.findings.map((finding) => [finding.rule, finding.severity]),
    )
    expect(severities).toMatchObject({ SLR_DELETION_ATTEMPT: 'low', SLR_MISSING: 'high' })
  })

  it('the Service Quotas SLR_MISSING is the same finding from a change and from the audit', async () => {
    const config = loadExampleConfig()
    const detected = await detectSample('delete-service-linked-role.json', before, config)
    const fromChange = detected.findings.find((finding) => finding.rule === 'SLR_MISSING')
    const audit = await runScheduledAudit({
      readSnapshot: async () => detected.after,
      publisher: makeRecordingPublisher(),
      baselines: new MemoryBaselineStore(captureProtectedBaselines(before, config)),
      config,
      mode: 'enforce',
      logger: makeSilentLogger(),
      now: () => new Date('2025-03-11T06:00:00.000Z'),
    })
    const fromAudit = audit.findings.find((finding) => finding.rule === 'SLR_MISSING')
    expect(fromChange).toBeDefined()
    expect(fromAudit).toMatchObject({
      id: fromChange?.id,
      title: fromChange?.title,
      severity: fromChange?.severity,
      principalArn: fromChange?.principalArn,
      evidence: { roleName: 'AWSServiceRoleForServiceQuotas' },
      plan: { steps: fromChange?.plan?.steps, source: 'recreate' },
    })
    expect(fromChange?.evidence).toMatchObject({ roleName: 'AWSServiceRoleForServiceQuotas' })
  })
})
