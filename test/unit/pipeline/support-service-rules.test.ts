import { describe, expect, it } from 'vitest'
import { DEFAULT_CONFIG } from '#shared/config/guard-config.ts'
import type { RuleId } from '#shared/config/rules.ts'
import type { ChangeEvent, SupportPermitGrant } from '#shared/events/types.ts'
import { type Finding, type FindingOf, isFindingOf } from '#shared/findings/finding.ts'
import { describePermitScope, findSupportServiceFindings } from '#shared/pipeline/support-service-rules.ts'
import { parseClassified } from '../events/parse-classified.ts'
import { loadEvent } from '../helpers/sample-events.ts'

/** The finding, as one of `rule` (its evidence typed so); throws for none or one of another rule. */
function ofRule<R extends RuleId>(finding: Finding | undefined, rule: R): FindingOf<R> {
  if (!finding || !isFindingOf(finding, rule)) throw new Error(`expected ${rule}, got ${finding?.rule}`)
  return finding
}

const ACCT = '123456789012'
const KEY = `arn:aws:kms:us-east-1:${ACCT}:key/7d3e9b41-2c6a-4f0e-9b1d-5a8c2e4f6b10`
const OPS = `arn:aws:iam::${ACCT}:user/ops-admin`
const SSO_ROLE = `arn:aws:iam::${ACCT}:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_AdministratorAccess_5f2c6a1d8e3b4c70`
const DB = `arn:aws:rds:us-east-1:${ACCT}:db:orders-prod`

function sample(file: string): ChangeEvent {
  return parseClassified(loadEvent(`support-and-federation/${file}`))
}

/** The unbounded permit sample with its grant replaced. */
function permitChange(
  grant: SupportPermitGrant | undefined,
  overrides: Partial<ChangeEvent> = {},
): ChangeEvent {
  const change = sample('create-support-permit-unbounded.json')
  const { supportPermit: _replaced, ...parameters } = change.parameters
  return {
    ...change,
    parameters: grant === undefined ? parameters : { ...parameters, supportPermit: grant },
    ...overrides,
  }
}

const ALL: SupportPermitGrant = { name: 'P', actions: 'all', resources: 'all-in-region', kmsKeyArn: KEY }

describe('SUPPORT_PERMIT_CREATED', () => {
  it.each([
    ['all actions, all resources, no conditions', ALL, 'high'],
    [
      'all actions, all resources, allowAfter only (no end)',
      { ...ALL, allowAfter: '2026-07-20T00:00:00Z' },
      'high',
    ],
    ['all actions, all resources, allowBefore', { ...ALL, allowBefore: '2026-07-16T18:00:00Z' }, 'medium'],
    [
      'all actions, all resources, allowAfter and allowBefore',
      { ...ALL, allowAfter: '2026-07-14T00:00:00Z', allowBefore: '2026-07-16T18:00:00Z' },
      'medium',
    ],
    ['listed actions, all resources, no end', { ...ALL, actions: ['rds:DescribeDBInstances'] }, 'medium'],
    ['all actions, listed resources, no end', { ...ALL, resources: [DB] }, 'medium'],
    [
      'listed actions, listed resources, allowBefore',
      {
        ...ALL,
        actions: ['rds:DescribeDBInstances', 'rds:DownloadDBLogFilePortion'],
        resources: [DB],
        allowBefore: 'x',
      },
      'medium',
    ],
    ['actions not readable, all resources, no end: judged as all', { ...ALL, actions: undefined }, 'high'],
    ['actions not readable, listed resources', { name: 'P', resources: [DB] }, 'medium'],
    ['no permit in the recorded request at all: judged as the widest', undefined, 'high'],
  ] as const)('%s: %s', (_name, grant, severity) => {
    const findings = findSupportServiceFindings(
      permitChange(grant as SupportPermitGrant | undefined),
      DEFAULT_CONFIG,
    )
    expect(findings.map(({ finding }) => `${finding.rule} ${finding.severity}`)).toEqual([
      `SUPPORT_PERMIT_CREATED ${severity}`,
    ])
  })

  it('names the caller, the scope, the window, the key, the case and the permit, and how to delete it', () => {
    const [entry] = findSupportServiceFindings(sample('create-support-permit-unbounded.json'), DEFAULT_CONFIG)
    const finding = entry?.finding
    expect(entry?.plan).toBeUndefined()
    expect(finding).toMatchObject({
      rule: 'SUPPORT_PERMIT_CREATED',
      severity: 'high',
      principalArn: OPS,
      accountId: ACCT,
      title: 'Unbounded support permit OutageInvestigation created by ops-admin',
      evidence: {
        permitName: 'OutageInvestigation',
        permitArn: `arn:aws:supportauthz:us-east-1:${ACCT}:supportpermit/a1c4e7f0-93b2-4d68-8e15-2f7b9c0d4e61`,
        actions: 'all',
        resources: 'all in us-east-1',
        allowAfter: null,
        allowBefore: null,
        signingKeyArn: KEY,
        supportCaseDisplayId: '176512345601',
        createdBy: OPS,
      },
      remediation: { automatic: false },
    })
    expect(finding?.detail).toContain('This is the widest grant a permit can carry.')
    expect(finding?.remediation.steps).toEqual([
      `If the permit is not intended, delete it: aws supportauthz delete-support-permit --support-permit-identifier arn:aws:supportauthz:us-east-1:${ACCT}:supportpermit/a1c4e7f0-93b2-4d68-8e15-2f7b9c0d4e61 --region us-east-1`,
      expect.stringContaining('delete the permit and create one'),
      'Review who may call supportauthz:CreateSupportPermit: support-guard who-can supportauthz:CreateSupportPermit --snapshot <account export>',
    ])
  })

  it('gives the scoped sample medium, with its actions, resource and end in the evidence', () => {
    const [entry] = findSupportServiceFindings(sample('create-support-permit-scoped.json'), DEFAULT_CONFIG)
    expect(entry?.finding).toMatchObject({
      severity: 'medium',
      // An assumed-role session is named by its role.
      principalArn: SSO_ROLE,
      title: 'Support permit OrdersDbLogs created by AWSReservedSSO_AdministratorAccess_5f2c6a1d8e3b4c70',
      evidence: {
        actions: ['rds:DescribeDBInstances', 'rds:DownloadDBLogFilePortion'],
        resources: [DB],
        allowBefore: '2026-07-16T18:00:00Z',
      },
    })
  })

  it('says when the recorded request does not carry the permit, and how to delete it by name or ARN', () => {
    const [entry] = findSupportServiceFindings(permitChange(undefined, { response: {} }), DEFAULT_CONFIG)
    expect(entry?.finding.detail).toContain(
      'does not say which actions, resources, time window it covers: judged as the widest',
    )
    expect(entry?.finding.evidence).toMatchObject({ actions: 'unknown (judged as all)', permitArn: null })
    expect(entry?.finding.remediation.steps[0]).toContain('--support-permit-identifier <permit ARN or name>')
  })

  it('names the account root when the root user or a non-IAM caller created the permit', () => {
    const root = `arn:aws:iam::${ACCT}:root`
    for (const actorArn of [root, 'unknown', `arn:aws:sts::${ACCT}:federated-user/bob`]) {
      const [entry] = findSupportServiceFindings(permitChange(ALL, { actorArn }), DEFAULT_CONFIG)
      expect(entry?.finding.principalArn).toBe(root)
      expect(ofRule(entry?.finding, 'SUPPORT_PERMIT_CREATED').evidence.createdBy).toBe(actorArn)
    }
  })

  it('applies the config severity override', () => {
    const config = { ...DEFAULT_CONFIG, severityOverrides: { SUPPORT_PERMIT_CREATED: 'critical' as const } }
    const [entry] = findSupportServiceFindings(permitChange({ ...ALL, allowBefore: 'x' }), config)
    expect(entry?.finding.severity).toBe('critical')
  })

  it('gives one finding per creation (the event ID tells two creations apart)', () => {
    const first = findSupportServiceFindings(permitChange(ALL), DEFAULT_CONFIG)[0]?.finding.id
    const second = findSupportServiceFindings(permitChange(ALL, { eventId: 'another' }), DEFAULT_CONFIG)[0]
      ?.finding.id
    expect(first).toBeDefined()
    expect(second).not.toBe(first)
  })
})

describe('SUPPORT_PLAN_CHANGED', () => {
  it.each([
    'start-support-plan-update.json',
    'create-support-plan-schedule.json',
    'cancel-support-agreement.json',
  ])('%s: high, with the call and its request as sent', (file) => {
    const change = sample(file)
    const [entry, ...rest] = findSupportServiceFindings(change, DEFAULT_CONFIG)
    expect(rest).toEqual([])
    expect(entry?.finding).toMatchObject({
      rule: 'SUPPORT_PLAN_CHANGED',
      severity: 'high',
      evidence: { eventName: change.eventName, requestParameters: change.parameters.opaqueRequest },
      remediation: { automatic: false },
    })
  })

  it('names the root user as the account root', () => {
    const [entry] = findSupportServiceFindings(sample('cancel-support-agreement.json'), DEFAULT_CONFIG)
    expect(entry?.finding.principalArn).toBe(`arn:aws:iam::${ACCT}:root`)
    expect(ofRule(entry?.finding, 'SUPPORT_PLAN_CHANGED').evidence.requestParameters).toEqual({
      agreementId: 'agr-3f6b1d9e2c',
    })
  })

  it.each([
    'accept-support-agreement.json',
    'create-support-agreement.json',
    'update-support-agreement.json',
    'reject-support-agreement.json',
  ])('%s: no finding (the plan itself does not change)', (file) => {
    expect(findSupportServiceFindings(sample(file), DEFAULT_CONFIG)).toEqual([])
  })

  it('keeps a request the parsed event does not carry as null', () => {
    const { opaqueRequest: _dropped, ...parameters } = sample('start-support-plan-update.json').parameters
    const change = { ...sample('start-support-plan-update.json'), parameters }
    const [entry] = findSupportServiceFindings(change, DEFAULT_CONFIG)
    expect(ofRule(entry?.finding, 'SUPPORT_PLAN_CHANGED').evidence.requestParameters).toBeNull()
  })
})

describe('calls without a finding of these rules', () => {
  it.each([
    'delete-support-permit.json',
    'reject-support-permit-request.json',
    'create-saml-provider.json',
    'put-inline-policy-to-permission-set.json',
  ])('%s', (file) => {
    expect(findSupportServiceFindings(sample(file), DEFAULT_CONFIG)).toEqual([])
  })

  it('gives no finding for failed attempts: they changed nothing', () => {
    const failed = { failed: true, errorCode: 'AccessDeniedException' }
    expect(findSupportServiceFindings(permitChange(ALL, failed), DEFAULT_CONFIG)).toEqual([])
    expect(
      findSupportServiceFindings({ ...sample('cancel-support-agreement.json'), ...failed }, DEFAULT_CONFIG),
    ).toEqual([])
  })

  it('judges the name, not a look-alike of another service', () => {
    const change = { ...permitChange(ALL), eventSource: 'iam.amazonaws.com' }
    expect(findSupportServiceFindings(change, DEFAULT_CONFIG)).toEqual([])
  })
})

describe('describePermitScope', () => {
  it.each([
    [ALL, 'us-east-1', 'all actions', 'all resources in us-east-1', 'no time window'],
    [
      { ...ALL, allowAfter: 'A' },
      undefined,
      'all actions',
      'all resources in the Region',
      'from A with no end time',
    ],
    [
      { ...ALL, actions: ['a:B'], resources: [DB, DB], allowAfter: 'A', allowBefore: 'B' },
      'eu-west-1',
      '1 action (a:B)',
      `2 resources (${DB}, ${DB})`,
      'from A until B',
    ],
    [undefined, 'us-east-1', 'all actions', 'all resources in us-east-1', 'with an unknown time window'],
  ] as const)('%j', (grant, region, actions, resources, window) => {
    expect(describePermitScope(grant as SupportPermitGrant | undefined, region)).toMatchObject({
      actions,
      resources,
      window,
    })
  })
})
