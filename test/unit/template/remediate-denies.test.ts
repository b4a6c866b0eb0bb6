import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { readTemplate } from '#test-support/template/template.ts'
import { functionPolicies, functionStatements } from './function-policies.ts'
import { resolveIntrinsics, SAMPLE_ACCOUNT, sampleRoleArn } from './sample-stack.ts'
import { type Decision, decide, type Outcome, sessionArn, simulate } from './simulate.ts'

const ROOT = fileURLToPath(new URL('../../../', import.meta.url))
const template = readTemplate(join(ROOT, 'template.yaml'))
const remediatePolicies = functionPolicies(template, 'RemediateFunction').map((policy) =>
  resolveIntrinsics(template, policy),
)
const iam = (path: string) => `arn:aws:iam::${SAMPLE_ACCOUNT}:${path}`
const awsPolicy = (name: string) => `arn:aws:iam::aws:policy/${name}`

const ROLE_WRITES = [
  'iam:AttachRolePolicy',
  'iam:DetachRolePolicy',
  'iam:PutRolePolicy',
  'iam:DeleteRolePolicy',
  'iam:UpdateAssumeRolePolicy',
  'iam:PutRolePermissionsBoundary',
  'iam:DeleteRolePermissionsBoundary',
]
const ADMINISTRATOR_CLASS = ['AdministratorAccess', 'PowerUserAccess', 'IAMFullAccess'].map(awsPolicy)
const ORDINARY_POLICY = awsPolicy('AWSSupportAccess')

/** The request context IAM sends with each action: the managed policy being attached or set as boundary. */
function contextFor(action: string, policyArn: string): Record<string, string> {
  if (/^iam:Attach(Role|User|Group)Policy$/.test(action)) return { 'iam:PolicyARN': policyArn }
  if (/^iam:Put(Role|User)PermissionsBoundary$/.test(action)) return { 'iam:PermissionsBoundary': policyArn }
  return {}
}

function remediateRequest(action: string, resource: string, policyArn: string) {
  return {
    principal: sessionArn(sampleRoleArn('RemediateFunctionRole')),
    action,
    resource,
    resourceAccount: SAMPLE_ACCOUNT,
    context: contextFor(action, policyArn),
    identityPolicies: remediatePolicies,
  }
}

function remediateMay(action: string, resource: string, policyArn = ORDINARY_POLICY): Promise<Outcome> {
  return decide(remediateRequest(action, resource, policyArn))
}

function judge(action: string, resource: string): Promise<Decision> {
  return simulate(remediateRequest(action, resource, ORDINARY_POLICY))
}

const ORGANISATION_ROLES = [
  iam('role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_AdministratorAccess_0123456789abcdef'),
  iam('role/aws-service-role/support.amazonaws.com/AWSServiceRoleForSupport'),
  iam('role/OrganizationAccountAccessRole'),
  iam('role/stacksets-exec-0123456789abcdef0123456789abcdef'),
  iam('role/AWSControlTowerExecution'),
  iam('role/cdk-hnb659fds-cfn-exec-role-123456789012-us-east-1'),
]
const GUARD_ROLES = ['Detect', 'Remediate', 'Notify', 'Audit'].map((fn) => sampleRoleArn(`${fn}FunctionRole`))

describe('what the remediate role may write, decided by an IAM simulator', () => {
  it.each([
    ['iam:AttachRolePolicy', iam('role/SupportTeam')],
    ['iam:PutRolePolicy', iam('role/SupportTeam')],
    ['iam:UpdateAssumeRolePolicy', iam('role/SupportTeam')],
    ['iam:PutRolePermissionsBoundary', iam('role/SupportTeam')],
    ['iam:AttachUserPolicy', iam('user/alice')],
    ['iam:DeleteUserPermissionsBoundary', iam('user/alice')],
    ['iam:AttachGroupPolicy', iam('group/Support')],
    ['iam:RemoveUserFromGroup', iam('group/Support')],
    ['iam:SetDefaultPolicyVersion', iam('policy/SupportAccess')],
  ])('allows the revert %s on %s', async (action, resource) => {
    expect(await remediateMay(action, resource)).toBe('Allowed')
  })

  it('re-creates the Service Quotas service-linked role, and no other', async () => {
    const create = (service: string, path: string) =>
      decide({
        principal: sessionArn(sampleRoleArn('RemediateFunctionRole')),
        action: 'iam:CreateServiceLinkedRole',
        resource: iam(`role/aws-service-role/${path}`),
        resourceAccount: SAMPLE_ACCOUNT,
        context: { 'iam:AWSServiceName': service },
        identityPolicies: remediatePolicies,
      })
    expect(
      await create(
        'servicequotas.amazonaws.com',
        'servicequotas.amazonaws.com/AWSServiceRoleForServiceQuotas',
      ),
    ).toBe('Allowed')
    expect(await create('ec2.amazonaws.com', 'ec2.amazonaws.com/AWSServiceRoleForEC2')).not.toBe('Allowed')
  })

  // The role's own Deny decides, whatever IAM would refuse by itself (the simulator knows IAM rejects
  // writes to role/aws-reserved/ roles and reports those as implicitly denied).
  it.each(ORGANISATION_ROLES)('never writes to %s', async (roleArn) => {
    for (const action of ROLE_WRITES) {
      const decision = await judge(action, roleArn)
      expect(decision.identityOutcome, action).toBe('ExplicitlyDenied')
      expect(decision.outcome, action).not.toBe('Allowed')
    }
  })

  it.each(GUARD_ROLES)('never writes to its own stack’s role %s', async (roleArn) => {
    for (const action of ROLE_WRITES) {
      expect(await remediateMay(action, roleArn), action).toBe('ExplicitlyDenied')
    }
  })

  it.each(ADMINISTRATOR_CLASS)('never attaches or sets as boundary %s', async (policyArn) => {
    const targets: [string, string][] = [
      ['iam:AttachRolePolicy', iam('role/SupportTeam')],
      ['iam:AttachUserPolicy', iam('user/alice')],
      ['iam:AttachGroupPolicy', iam('group/Support')],
      ['iam:PutRolePermissionsBoundary', iam('role/SupportTeam')],
      ['iam:PutUserPermissionsBoundary', iam('user/alice')],
    ]
    for (const [action, resource] of targets) {
      expect(await remediateMay(action, resource, policyArn), action).toBe('ExplicitlyDenied')
    }
  })
})

describe('the remediate Deny statements cover what the role holds', () => {
  const statements = functionStatements(template, 'RemediateFunction')
  const writes = statements
    .filter((statement) => statement.effect === 'Allow')
    .flatMap((statement) => statement.actions)
    .filter((action) => action.startsWith('iam:') && !/^iam:(Get|List)/.test(action))
  const denied = (sid: string) => statements.find((statement) => statement.sid === sid)?.actions ?? []

  it('the guard-roles Deny lists every IAM write the role is allowed', () => {
    expect(writes.filter((action) => !denied('DenyChangesToGuardRoles').includes(action))).toEqual([])
  })

  it('the organisation-roles Deny lists every role write but the Service Quotas re-creation', () => {
    const roleWrites = statements
      .filter((statement) => statement.effect === 'Allow')
      .filter((statement) =>
        statement.resources.every((resource) => JSON.stringify(resource).includes(':role/')),
      )
      .flatMap((statement) => statement.actions)
      .filter((action) => writes.includes(action) && action !== 'iam:CreateServiceLinkedRole')
    expect([...denied('DenyChangesToOrganisationRoles')].sort()).toEqual([...new Set(roleWrites)].sort())
  })
})
