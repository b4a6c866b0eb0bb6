import { readdirSync } from 'node:fs'
import { describe, expect, it, vi } from 'vitest'
import { parseChangeEvent } from '#shared/events/parse-change-event.ts'
import type { ChangeEvent, ParseOutcome } from '#shared/events/types.ts'
import { formatFindingNotification } from '#shared/notify/format-notification.ts'
import { detectChange } from '#shared/pipeline/detect-change.ts'
import { replayEvent } from '#shared/pipeline/replay-event.ts'
import type { AccountReader } from '#shared/snapshot/account-reader.ts'
import { SnapshotReader } from '#shared/snapshot/snapshot-reader.ts'
import type { AccountSnapshot, RoleRecord } from '#shared/snapshot/types.ts'
import { parseClassified } from '../events/parse-classified.ts'
import { buildDetectHarness } from '../helpers/detect-harness.ts'
import { loadExampleConfig, loadExampleSnapshot, SUPPORT_ACCESS } from '../helpers/example-account.ts'
import { loadEvent } from '../helpers/sample-events.ts'

const ACCT = '123456789012'
const DIR = 'support-and-federation'
const OIDC = `arn:aws:iam::${ACCT}:oidc-provider/token.actions.githubusercontent.com`
const config = loadExampleConfig()
const snapshot = loadExampleSnapshot()

/** A role GitHub Actions may assume through the OIDC provider of the samples: any repository (no `sub`). */
const CI_ROLE: RoleRecord = {
  kind: 'role',
  arn: `arn:aws:iam::${ACCT}:role/github-ci`,
  name: 'github-ci',
  path: '/',
  inline: [],
  attached: [{ arn: SUPPORT_ACCESS, name: 'AWSSupportAccess' }],
  trustPolicy: {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Federated: OIDC },
        Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: { StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' } },
      },
    ],
  },
}

type SpyReader = { [K in keyof Required<AccountReader>]: ReturnType<typeof vi.fn> }

/** Every reader method a spy over `state`; `bulk: false` leaves out the whole-account read. */
function spyReader(state: AccountSnapshot, bulk = true): SpyReader & AccountReader {
  const inner = new SnapshotReader(state)
  const spies = {
    readRole: vi.fn((name: string) => inner.readRole(name)),
    readUser: vi.fn((name: string) => inner.readUser(name)),
    readGroup: vi.fn((name: string) => inner.readGroup(name)),
    listGroupMembers: vi.fn((name: string) => inner.listGroupMembers(name)),
    readManagedPolicy: vi.fn((arn: string) => inner.readManagedPolicy(arn)),
    readPolicyVersion: vi.fn((arn: string, id: string) => inner.readPolicyVersion(arn, id)),
    listPolicyHolders: vi.fn((arn: string) => inner.listPolicyHolders(arn)),
    readAccount: vi.fn((accountId: string) => inner.readAccount(accountId)),
  }
  if (bulk) return spies
  const { readAccount: _none, ...oneByOne } = spies
  return oneByOne as SpyReader & AccountReader
}

/** A sample as detect will see it once the record schema keeps the whole request (parse-whole-request.ts). */
function wholeOutcome(file: string): ParseOutcome {
  return { status: 'change', change: parseClassified(loadEvent(`${DIR}/${file}`)) }
}

async function detectWith(
  outcome: ParseOutcome,
  reader: AccountReader,
  mode: 'monitor' | 'enforce' = 'enforce',
) {
  const harness = buildDetectHarness({ after: snapshot, config, mode, baselines: [] })
  const baselines = { get: vi.fn(), put: vi.fn(), list: vi.fn(async () => []) }
  const changes = { putChange: vi.fn(), getChange: vi.fn() }
  const deps = { ...harness.deps, reader, baselines, changes }
  const result = await detectChange(outcome, deps)
  return { result, baselines, changes, publisher: harness.publisher }
}

function expectNoReads(reader: SpyReader): void {
  for (const method of Object.values(reader)) expect(method).not.toHaveBeenCalled()
}

describe('calls judged from the event alone read nothing in IAM', () => {
  it.each([
    ['create-support-permit-unbounded.json', 'findings', ['SUPPORT_PERMIT_CREATED high']],
    ['create-support-permit-scoped.json', 'findings', ['SUPPORT_PERMIT_CREATED medium']],
    ['delete-support-permit.json', 'compliant', []],
    ['reject-support-permit-request.json', 'compliant', []],
    ['start-support-plan-update.json', 'findings', ['SUPPORT_PLAN_CHANGED high']],
    ['cancel-support-agreement.json', 'findings', ['SUPPORT_PLAN_CHANGED high']],
    ['update-support-agreement.json', 'compliant', []],
    ['put-inline-policy-to-permission-set.json', 'compliant', []],
    ['attach-managed-policy-to-permission-set.json', 'compliant', []],
    ['create-account-assignment.json', 'compliant', []],
  ])('%s: %s %j', async (file, verdict, rules) => {
    const reader = spyReader(snapshot)
    const { result, baselines, changes, publisher } = await detectWith(wholeOutcome(file), reader)
    expect(result.verdict).toBe(verdict)
    expect(result.findings.map((finding) => `${finding.rule} ${finding.severity}`)).toEqual(rules)
    expectNoReads(reader)
    expect(baselines.get).not.toHaveBeenCalled()
    expect(baselines.put).not.toHaveBeenCalled()
    // Never reverted, so enforce mode records no change for remediate.
    expect(changes.putChange).not.toHaveBeenCalled()
    for (const finding of result.findings) {
      expect(finding.remediation.automatic).toBe(false)
      expect(finding.plan).toBeUndefined()
      expect(finding.mode).toBe('enforce')
      // No principal was read, so the notification does not claim "0 roles and users checked".
      expect(finding.change?.principalsChecked).toBeUndefined()
    }
    expect(publisher.events).toHaveLength(result.findings.length)
  })

  it('flags a permit whose grant the event does not carry as high, still reading nothing', async () => {
    const reader = spyReader(snapshot)
    const whole = parseClassified(loadEvent(`${DIR}/create-support-permit-scoped.json`))
    const { supportPermit: _dropped, ...parameters } = whole.parameters
    const { result } = await detectWith({ status: 'change', change: { ...whole, parameters } }, reader)
    expect(result.findings.map((finding) => `${finding.rule} ${finding.severity}`)).toEqual([
      'SUPPORT_PERMIT_CREATED high',
    ])
    expectNoReads(reader)
  })

  it('gives no finding and reads nothing for a failed permit creation', async () => {
    const reader = spyReader(snapshot)
    const change: ChangeEvent = {
      ...parseClassified(loadEvent(`${DIR}/create-support-permit-unbounded.json`)),
      failed: true,
      errorCode: 'AccessDeniedException',
    }
    const { result } = await detectWith({ status: 'change', change }, reader)
    expect(result).toMatchObject({ verdict: 'failed-attempt', findings: [] })
    expectNoReads(reader)
  })
})

describe('every sample of the folder in enforce mode', () => {
  const files = readdirSync(new URL(`../../../events/${DIR}/`, import.meta.url))
    .filter((file) => file.endsWith('.json') && file !== 'support-permit-request-created.json')
    .sort()

  it.each(files)('%s: a verdict, nothing planned, nothing recorded for remediate', async (file) => {
    const { result, changes } = await detectWith(wholeOutcome(file), new SnapshotReader(snapshot))
    expect(['findings', 'compliant']).toContain(result.verdict)
    expect(result.findings.filter((finding) => finding.plan !== undefined)).toEqual([])
    expect(changes.putChange).not.toHaveBeenCalled()
  })

  it.each(files)('%s: a verdict as the shared parser reads it today, or its typed error', async (file) => {
    const outcome = parseChangeEvent(loadEvent(`${DIR}/${file}`))
    if (outcome.status === 'invalid') {
      await expect(detectWith(outcome, new SnapshotReader(snapshot))).rejects.toMatchObject({
        name: 'EventParseError',
      })
      return
    }
    const { result, changes } = await detectWith(outcome, new SnapshotReader(snapshot))
    expect(['findings', 'compliant']).toContain(result.verdict)
    expect(changes.putChange).not.toHaveBeenCalled()
  })
})

describe('identity provider calls', () => {
  const withCiRole: AccountSnapshot = { ...snapshot, roles: [...snapshot.roles, CI_ROLE] }

  it.each([
    'create-open-id-connect-provider.json',
    'add-client-id-to-open-id-connect-provider.json',
    'update-open-id-connect-provider-thumbprint.json',
  ])('%s: judges the roles that trust the provider, read in one whole-account read', async (file) => {
    const reader = spyReader(withCiRole)
    const { result } = await detectWith(wholeOutcome(file), reader, 'monitor')
    expect(reader.readAccount).toHaveBeenCalledTimes(1)
    expect(reader.readRole).not.toHaveBeenCalled()
    expect(result.verdict).toBe('findings')
    expect(result.findings.map((finding) => `${finding.rule} ${finding.principalArn}`)).toEqual([
      `SUPPORT_ACCESS_EXTERNAL_TRUST ${CI_ROLE.arn}`,
      // Outside supportPrincipals.approved of the example config.
      `SUPPORT_ACCESS_GRANTED ${CI_ROLE.arn}`,
    ])
    expect(result.findings[0]?.severity).toBe('critical')
  })

  it('judges no other role: the example account has none that trusts the provider', async () => {
    const reader = spyReader(snapshot)
    const { result } = await detectWith(wholeOutcome('create-open-id-connect-provider.json'), reader)
    expect(result).toMatchObject({ verdict: 'compliant', findings: [] })
    expect(reader.readAccount).toHaveBeenCalledTimes(1)
  })

  it('reads nothing without a whole-account read (the scheduled audit judges those roles)', async () => {
    const reader = spyReader(withCiRole, false)
    const { result } = await detectWith(wholeOutcome('create-open-id-connect-provider.json'), reader)
    expect(result).toMatchObject({ verdict: 'compliant', findings: [] })
    expectNoReads(reader)
  })

  it('reads nothing when the event does not name the provider', async () => {
    const reader = spyReader(withCiRole)
    const change = { ...parseClassified(loadEvent(`${DIR}/create-saml-provider.json`)), targets: [] }
    const { result } = await detectWith({ status: 'change', change }, reader)
    expect(result.verdict).toBe('compliant')
    expectNoReads(reader)
  })
})

describe('what a person reads', () => {
  it('describes the permit in the notification: scope, window, key, and how to delete it', async () => {
    const { result } = await detectWith(
      wholeOutcome('create-support-permit-unbounded.json'),
      spyReader(snapshot),
    )
    const [finding] = result.findings
    if (!finding) throw new Error('no finding')
    const { subject, body } = formatFindingNotification(finding)
    expect(subject).toMatch(
      /^\[HIGH\] SUPPORT_PERMIT_CREATED: Unbounded support permit OutageInvestigation created by ops-admin/,
    )
    expect(body).toContain(
      'created support permit OutageInvestigation (all actions, all resources in us-east-1, no time window, key arn:aws:kms:us-east-1:123456789012:key/7d3e9b41-2c6a-4f0e-9b1d-5a8c2e4f6b10, case 176512345601)',
    )
    expect(body).toContain('aws supportauthz delete-support-permit --support-permit-identifier')
    expect(body).not.toContain('supportPermit=')
  })

  it('describes a plan change with its request as sent', async () => {
    const { result } = await detectWith(wholeOutcome('start-support-plan-update.json'), spyReader(snapshot))
    const [finding] = result.findings
    if (!finding) throw new Error('no finding')
    const { body } = formatFindingNotification(finding)
    expect(body).toContain('started a Support plan update')
    expect(body).toContain('{"supportPlan":"DEVELOPER"}')
  })

  it('describes the trust finding a new OIDC provider raises with the provider it names', async () => {
    const withCiRole: AccountSnapshot = { ...snapshot, roles: [...snapshot.roles, CI_ROLE] }
    const { result } = await detectWith(
      wholeOutcome('create-open-id-connect-provider.json'),
      spyReader(withCiRole),
      'monitor',
    )
    const [finding] = result.findings
    if (!finding) throw new Error('no finding')
    expect(formatFindingNotification(finding).body).toContain(
      `created OIDC provider ${OIDC} (audiences sts.amazonaws.com)`,
    )
  })

  it('replays a permit creation against an export: the finding, and no revert', async () => {
    const report = await replayEvent(
      loadEvent(`${DIR}/create-support-permit-unbounded.json`),
      snapshot,
      config,
    )
    expect(report.change).toMatchObject({
      eventName: 'CreateSupportPermit',
      kind: 'support-permit',
      failed: false,
    })
    expect(report.findings.map((finding) => finding.rule)).toEqual(['SUPPORT_PERMIT_CREATED'])
    expect(report.remediation).toBeNull()
  })
})
