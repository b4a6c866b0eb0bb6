import { describe, expect, it } from 'vitest'
import type { GuardConfig } from '#shared/config/guard-config.ts'
import { FINDING_DETAIL_TYPE } from '#shared/pipeline/bus-events.ts'
import { MemoryBaselineStore } from '#shared/pipeline/memory-baseline-store.ts'
import { type AuditDeps, runScheduledAudit } from '#shared/pipeline/run-audit.ts'
import type { AccountSnapshot } from '#shared/snapshot/types.ts'
import {
  captureProtectedBaselines,
  EVENT_TIME,
  makeRecordingPublisher,
  makeSilentLogger,
} from '../helpers/detect-harness.ts'
import {
  allowDocument,
  findRole,
  loadExampleConfig,
  loadExampleSnapshot,
  SUPPORT_ACCESS,
  withEntities,
} from '../helpers/example-account.ts'

const example = loadExampleSnapshot()
const config = loadExampleConfig()
const supportTeam = findRole(example, 'SupportTeam')
const AUDIT_TIME = '2025-03-11T06:00:00.000Z'
const QUOTAS_ROLE =
  'arn:aws:iam::123456789012:role/aws-service-role/servicequotas.amazonaws.com/AWSServiceRoleForServiceQuotas'

function setUp(
  snapshot: AccountSnapshot,
  store = new MemoryBaselineStore(),
  guardConfig: GuardConfig = config,
) {
  const publisher = makeRecordingPublisher()
  const deps: AuditDeps = {
    readSnapshot: async () => snapshot,
    publisher,
    baselines: store,
    config: guardConfig,
    mode: 'enforce',
    logger: makeSilentLogger(),
    now: () => new Date(AUDIT_TIME),
  }
  return { deps, publisher, store }
}

describe('runScheduledAudit', () => {
  it('plans a baseline restore for drift no event reported (AWSSupportAccess gone from SupportTeam)', async () => {
    const drifted = withEntities(example, { roles: [{ ...supportTeam, attached: [] }] })
    const store = new MemoryBaselineStore(captureProtectedBaselines(example, config))
    const { deps } = setUp(drifted, store)

    const summary = await runScheduledAudit(deps)

    const lost = summary.findings.find(
      (finding) => finding.rule === 'SUPPORT_ACCESS_LOST' && finding.principalArn === supportTeam.arn,
    )
    expect(lost?.plan?.steps).toEqual([
      {
        action: 'attach-policy',
        principalType: 'role',
        principalName: 'SupportTeam',
        policyArn: SUPPORT_ACCESS,
      },
    ])
    expect(lost?.plan?.reason).toBe(
      `restore from the baseline recorded ${EVENT_TIME} (after test) what no reported change explains`,
    )
    expect(lost?.plan?.source).toBe('baseline')
    expect(lost?.remediation.automatic).toBe(true)
    expect(lost?.mode).toBe('enforce')
    expect(lost?.change).toBeUndefined()
    // A flagged principal keeps its last known-good baseline.
    expect((await store.get('123456789012', supportTeam.arn))?.recordedAt).toBe(EVENT_TIME)
  })

  it('restores only what clears the finding: a later edit to another element stays', async () => {
    const edited = {
      ...supportTeam,
      attached: [],
      inline: [...supportTeam.inline, { name: 'OpsNotes', document: allowDocument('ec2:DescribeInstances') }],
    }
    const store = new MemoryBaselineStore(captureProtectedBaselines(example, config))
    const { deps } = setUp(withEntities(example, { roles: [edited] }), store)

    const summary = await runScheduledAudit(deps)

    const lost = summary.findings.find((finding) => finding.rule === 'SUPPORT_ACCESS_LOST')
    expect(lost?.plan?.steps.map((step) => step.action)).toEqual(['attach-policy'])
  })

  it('withholds a restore of a rule the config does not enforce, saying why', async () => {
    const drifted = withEntities(example, { roles: [{ ...supportTeam, attached: [] }] })
    const monitorOnly = loadExampleConfig({ enforceRules: [] })
    const store = new MemoryBaselineStore(captureProtectedBaselines(example, monitorOnly))
    const { deps } = setUp(drifted, store, monitorOnly)

    const summary = await runScheduledAudit(deps)

    const lost = summary.findings.find((finding) => finding.rule === 'SUPPORT_ACCESS_LOST')
    expect(lost?.plan?.steps).toHaveLength(1)
    expect(lost?.remediation.automatic).toBe(false)
    expect(lost?.withheld).toBe('SUPPORT_ACCESS_LOST is not in enforceRules')
  })

  it('offers no restore when there is no baseline to restore from', async () => {
    const drifted = withEntities(example, { roles: [{ ...supportTeam, attached: [] }] })
    const { deps } = setUp(drifted)
    const summary = await runScheduledAudit(deps)
    const lost = summary.findings.find((finding) => finding.rule === 'SUPPORT_ACCESS_LOST')
    expect(lost?.principalArn).toBe(supportTeam.arn)
    expect(lost?.plan).toBeUndefined()
    expect(lost?.remediation.automatic).toBe(false)
  })

  it('writes baselines for the compliant protected principals only', async () => {
    const { deps, store } = setUp(example)
    const summary = await runScheduledAudit(deps)
    const flagged = new Set(summary.findings.map((finding) => finding.principalArn))
    const written = await store.list('123456789012')

    expect(summary.baselinesWritten).toBe(written.length)
    expect(written.map((baseline) => baseline.name).sort()).toEqual(['AWSSupportAppRole', 'SupportTeam'])
    for (const baseline of written) {
      expect(flagged.has(baseline.principalArn)).toBe(false)
      expect(baseline).toMatchObject({ recordedAt: AUDIT_TIME, source: 'audit' })
    }
    expect(written.find((baseline) => baseline.name === 'AWSSupportAppRole')?.supportApp).toBe(true)
    // Flagged Support App roles are not recorded as known-good.
    expect(flagged.has('arn:aws:iam::123456789012:role/SupportAppIncidentsRole')).toBe(true)
  })

  it('reports SLR_MISSING for Service Quotas with the re-create plan while a Support App role exists', async () => {
    const { deps } = setUp(example)
    const summary = await runScheduledAudit(deps)
    const missing = summary.findings.find((finding) => finding.principalArn === QUOTAS_ROLE)
    expect(missing).toMatchObject({ rule: 'SLR_MISSING', severity: 'medium' })
    expect(missing?.plan?.steps).toEqual([
      { action: 'create-service-linked-role', awsServiceName: 'servicequotas.amazonaws.com' },
    ])
  })

  it('publishes every finding, once, as Support Access Finding events', async () => {
    const { deps, publisher } = setUp(example)
    const summary = await runScheduledAudit(deps)
    expect(summary.findings.length).toBeGreaterThan(0)
    expect(summary.accountId).toBe('123456789012')
    expect(summary.principals).toBe(example.roles.length + example.users.length)
    expect(publisher.publish).toHaveBeenCalledTimes(1)
    expect(publisher.events).toEqual(
      summary.findings.map((detail) => ({ detailType: FINDING_DETAIL_TYPE, detail })),
    )
  })

  it('publishes nothing for a compliant account', async () => {
    const quotasRole = {
      ...findRole(example, 'AWSServiceRoleForSupport'),
      name: 'AWSServiceRoleForServiceQuotas',
      arn: QUOTAS_ROLE,
      path: '/aws-service-role/servicequotas.amazonaws.com/',
      attached: [],
    }
    const compliant: AccountSnapshot = {
      ...example,
      users: [],
      groups: [],
      roles: ['SupportTeam', 'AWSSupportAppRole', 'AWSServiceRoleForSupport']
        .map((name) => findRole(example, name))
        .concat(quotasRole),
      slackChannelConfigurations: example.slackChannelConfigurations.filter((channel) =>
        channel.channelRoleArn.endsWith('/AWSSupportAppRole'),
      ),
    }
    const { deps, publisher } = setUp(compliant)
    const summary = await runScheduledAudit(deps)
    expect(summary.findings).toEqual([])
    expect(publisher.publish).not.toHaveBeenCalled()
    expect(summary.baselinesWritten).toBe(2)
  })
})
