import { describe, expect, it } from 'vitest'
import type { GuardConfig } from '#shared/config/guard-config.ts'
import { parseChangeEvent } from '#shared/events/parse-change-event.ts'
import { detectChange } from '#shared/pipeline/detect-change.ts'
import type { RemediationStep } from '#shared/pipeline/remediation-steps.ts'
import type { AccountSnapshot } from '#shared/snapshot/types.ts'
import { buildDetectHarness, captureProtectedBaselines, detectSample } from '../helpers/detect-harness.ts'
import {
  ADMIN_ACCESS,
  APP_FULL_ACCESS,
  allowDocument,
  denyDocument,
  findRole,
  loadExampleConfig,
  loadExampleSnapshot,
  makeGroup,
  makePolicy,
  makeUser,
  SUPPORT_ACCESS,
  withEntities,
} from '../helpers/example-account.ts'
import { loadEvent } from '../helpers/sample-events.ts'

const example = loadExampleSnapshot()
const exampleConfig = loadExampleConfig()
const supportTeam = findRole(example, 'SupportTeam')
const appRole = findRole(example, 'AWSSupportAppRole')
const supportGroup = makeGroup('SupportEngineers', { attached: [SUPPORT_ACCESS] })
const boundaryPolicy = makePolicy('NoSupportBoundary', { v1: allowDocument('ec2:*') }, 'v1')

interface Scenario {
  readonly name: string
  readonly file: string
  readonly before: AccountSnapshot
  readonly config?: GuardConfig
  readonly rule: string
  readonly principal: string
  readonly steps: readonly RemediationStep[]
}

async function detect(file: string, before: AccountSnapshot, config: GuardConfig = exampleConfig) {
  return (await detectSample(file, before, config)).findings
}

const withInline = (name: string, document: unknown) =>
  withEntities(example, { roles: [{ ...supportTeam, inline: [{ name, document }] }] })

const scenarios: readonly Scenario[] = [
  {
    name: 'detach AWSSupportAccess from SupportTeam → attach-policy',
    file: 'detach-role-policy.json',
    before: example,
    rule: 'SUPPORT_ACCESS_LOST',
    principal: supportTeam.arn,
    steps: [
      {
        action: 'attach-policy',
        principalType: 'role',
        principalName: 'SupportTeam',
        policyArn: SUPPORT_ACCESS,
      },
    ],
  },
  {
    name: 'attach AdministratorAccess to the Support App role → detach-policy',
    file: 'attach-role-policy.json',
    before: example,
    rule: 'SUPPORT_APP_EXCESSIVE_PERMISSIONS',
    principal: appRole.arn,
    steps: [
      {
        action: 'detach-policy',
        principalType: 'role',
        principalName: 'AWSSupportAppRole',
        policyArn: ADMIN_ACCESS,
      },
    ],
  },
  {
    name: 'inline Deny support:* with no baseline document → delete-inline-policy',
    file: 'put-role-policy.json',
    before: example,
    rule: 'SUPPORT_ACCESS_LOST',
    principal: supportTeam.arn,
    steps: [
      {
        action: 'delete-inline-policy',
        principalType: 'role',
        principalName: 'SupportTeam',
        policyName: 'DenySupport',
      },
    ],
  },
  {
    name: 'inline Deny support:* over a policy of the same name in the baseline → put-inline-policy',
    file: 'put-role-policy.json',
    before: withInline('DenySupport', denyDocument('ec2:TerminateInstances')),
    rule: 'SUPPORT_ACCESS_LOST',
    principal: supportTeam.arn,
    steps: [
      {
        action: 'put-inline-policy',
        principalType: 'role',
        principalName: 'SupportTeam',
        policyName: 'DenySupport',
        document: denyDocument('ec2:TerminateInstances'),
      },
    ],
  },
  {
    name: 'inline SupportCaseAccess deleted → put-inline-policy with the baseline document',
    file: 'delete-role-policy.json',
    before: withEntities(example, {
      roles: [
        {
          ...supportTeam,
          attached: [],
          inline: [{ name: 'SupportCaseAccess', document: allowDocument('support:*') }],
        },
      ],
    }),
    rule: 'SUPPORT_ACCESS_LOST',
    principal: supportTeam.arn,
    steps: [
      {
        action: 'put-inline-policy',
        principalType: 'role',
        principalName: 'SupportTeam',
        policyName: 'SupportCaseAccess',
        document: allowDocument('support:*'),
      },
    ],
  },
  {
    name: 'Support App trust widened → update-trust-policy with the baseline trust',
    file: 'update-assume-role-policy.json',
    before: example,
    rule: 'SUPPORT_APP_TRUST_INVALID',
    principal: appRole.arn,
    steps: [
      {
        action: 'update-trust-policy',
        roleName: 'AWSSupportAppRole',
        document: captureProtectedBaselines(example, exampleConfig).find(
          (entry) => entry.name === 'AWSSupportAppRole',
        )?.trustPolicy,
      },
    ],
  },
  {
    name: 'boundary without support on SupportTeam → delete-permissions-boundary',
    file: 'put-role-permissions-boundary.json',
    before: withEntities(example, { policies: [boundaryPolicy] }),
    rule: 'SUPPORT_ACCESS_LOST',
    principal: supportTeam.arn,
    steps: [{ action: 'delete-permissions-boundary', principalType: 'role', principalName: 'SupportTeam' }],
  },
  {
    name: 'boundary removed from a Support App role with an extra inline grant → put-permissions-boundary',
    file: 'delete-role-permissions-boundary.json',
    before: withEntities(example, {
      roles: [
        {
          ...appRole,
          inline: [{ name: 'Extra', document: allowDocument('iam:CreateUser') }],
          boundaryArn: APP_FULL_ACCESS,
        },
      ],
    }),
    rule: 'SUPPORT_APP_EXCESSIVE_PERMISSIONS',
    principal: appRole.arn,
    steps: [
      {
        action: 'put-permissions-boundary',
        principalType: 'role',
        principalName: 'AWSSupportAppRole',
        policyArn: APP_FULL_ACCESS,
      },
    ],
  },
  {
    name: 'required user leaves the support group → add-user-to-group',
    file: 'remove-user-from-group.json',
    before: withEntities(example, {
      groups: [supportGroup],
      users: [makeUser('support-engineer', { groups: ['SupportEngineers'] })],
    }),
    config: loadExampleConfig({
      supportPrincipals: {
        required: ['arn:aws:iam::*:role/SupportTeam', 'arn:aws:iam::*:user/support-engineer'],
        approved: [],
      },
    }),
    rule: 'SUPPORT_ACCESS_LOST',
    principal: 'arn:aws:iam::123456789012:user/support-engineer',
    steps: [{ action: 'add-user-to-group', userName: 'support-engineer', groupName: 'SupportEngineers' }],
  },
  {
    name: 'unapproved user joins the support group → remove-user-from-group',
    file: 'add-user-to-group.json',
    before: withEntities(example, {
      groups: [supportGroup],
      users: [makeUser('support-engineer', { groups: ['SupportEngineers'] }), makeUser('contractor-temp')],
    }),
    config: loadExampleConfig({
      supportPrincipals: {
        required: ['arn:aws:iam::*:role/SupportTeam'],
        approved: ['arn:aws:iam::*:user/support-engineer'],
      },
      enforceRules: ['SUPPORT_ACCESS_GRANTED'],
    }),
    rule: 'SUPPORT_ACCESS_GRANTED',
    principal: 'arn:aws:iam::123456789012:user/contractor-temp',
    steps: [{ action: 'remove-user-from-group', userName: 'contractor-temp', groupName: 'SupportEngineers' }],
  },
  {
    name: 'AWSServiceRoleForServiceQuotas deleted while a Support App role is configured → create-service-linked-role',
    file: 'delete-service-linked-role.json',
    before: example,
    rule: 'SLR_MISSING',
    principal:
      'arn:aws:iam::123456789012:role/aws-service-role/servicequotas.amazonaws.com/AWSServiceRoleForServiceQuotas',
    steps: [{ action: 'create-service-linked-role', awsServiceName: 'servicequotas.amazonaws.com' }],
  },
]

describe('detectChange offers exactly the revert of each change kind', () => {
  it.each(scenarios)('$name', async (scenario) => {
    const findings = await detect(scenario.file, scenario.before, scenario.config)
    const finding = findings.find(
      (entry) => entry.rule === scenario.rule && entry.principalArn === scenario.principal,
    )
    expect(finding, `no ${scenario.rule} on ${scenario.principal}`).toBeDefined()
    expect(finding?.plan?.steps).toEqual(scenario.steps)
    expect(finding?.remediation.automatic).toBe(true)
  })

  it('covers every step action', () => {
    const actions = new Set(scenarios.flatMap((scenario) => scenario.steps.map((step) => step.action)))
    expect([...actions].sort()).toEqual([
      'add-user-to-group',
      'attach-policy',
      'create-service-linked-role',
      'delete-inline-policy',
      'delete-permissions-boundary',
      'detach-policy',
      'put-inline-policy',
      'put-permissions-boundary',
      'remove-user-from-group',
      'update-trust-policy',
    ])
  })
})

describe('plans that would not clear the finding are not offered', () => {
  it('keeps AdministratorAccess detach off a Support App role that stays excessive through an inline policy', async () => {
    const before = withEntities(example, {
      roles: [{ ...appRole, inline: [{ name: 'Extra', document: allowDocument('ec2:*') }] }],
    })
    const findings = await detect('attach-role-policy.json', before)
    const excessive = findings.find((entry) => entry.rule === 'SUPPORT_APP_EXCESSIVE_PERMISSIONS')
    expect(excessive?.principalArn).toBe(appRole.arn)
    expect(excessive?.plan).toBeUndefined()
    expect(excessive?.remediation.automatic).toBe(false)
  })

  it('offers no re-creation of the Service Quotas role when no Support App role is known', async () => {
    const config = loadExampleConfig({ supportApp: { roles: [], access: 'full' } })
    const outcome = parseChangeEvent(loadEvent('delete-service-linked-role.json'))
    const harness = buildDetectHarness({ baselines: [], after: example, config })
    const { findings } = await detectChange(outcome, harness.deps)
    expect(findings.map((entry) => entry.rule)).toEqual(['SLR_DELETION_ATTEMPT'])
    expect(findings[0]?.plan).toBeUndefined()
  })

  it('re-creates the Service Quotas role when only a baseline knows a Support App role', async () => {
    const config = loadExampleConfig({ supportApp: { roles: [], access: 'full' } })
    const outcome = parseChangeEvent(loadEvent('delete-service-linked-role.json'))
    const harness = buildDetectHarness({ before: example, after: example, config })
    const { findings } = await detectChange(outcome, harness.deps)
    expect(findings.find((entry) => entry.rule === 'SLR_MISSING')?.plan?.steps).toEqual([
      { action: 'create-service-linked-role', awsServiceName: 'servicequotas.amazonaws.com' },
    ])
  })

  it('offers nothing for a role it cannot rebuild (DeleteRole of SupportTeam)', async () => {
    const findings = await detect('delete-role.json', example)
    const lost = findings.find((entry) => entry.rule === 'SUPPORT_ACCESS_LOST')
    expect(lost?.principalArn).toBe(supportTeam.arn)
    expect(lost?.plan).toBeUndefined()
  })
})
