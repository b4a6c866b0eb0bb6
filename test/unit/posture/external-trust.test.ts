import { describe, expect, it } from 'vitest'
import { parseGuardConfig } from '#shared/config/guard-config.ts'
import { evaluateAccount } from '#shared/evaluator/evaluate-account.ts'
import type { FindingOf } from '#shared/findings/finding.ts'
import { runPostureRules } from '#shared/posture/run-posture-rules.ts'
import { parseAccountSnapshot } from '#shared/snapshot/parse-snapshot.ts'

const ACCOUNT = '123456789012'
const MANAGEMENT = '111122223333'
const PARTNER = '999988887777'
const ORG = 'o-abc123def4'
const GITHUB = 'token.actions.githubusercontent.com'
const SSO_PROVIDER = `arn:aws:iam::${ACCOUNT}:saml-provider/AWSSSO_0a1b2c3d4e5f6789_DO_NOT_DELETE`

const SUPPORT_POLICY = {
  PolicyName: 'support',
  PolicyDocument: {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: 'support:*', Resource: '*' }],
  },
}

interface RoleSpec {
  readonly name: string
  readonly path?: string
  readonly statements: readonly Record<string, unknown>[]
  readonly support?: boolean
}

function roleArn(name: string, path = '/'): string {
  return `arn:aws:iam::${ACCOUNT}:role${path}${name}`
}

function trustFindings(
  roles: readonly RoleSpec[],
  config: Record<string, unknown> = {},
): FindingOf<'SUPPORT_ACCESS_EXTERNAL_TRUST'>[] {
  const snapshot = parseAccountSnapshot({
    AccountId: ACCOUNT,
    RoleDetailList: roles.map((role) => ({
      RoleName: role.name,
      Path: role.path ?? '/',
      Arn: roleArn(role.name, role.path),
      AssumeRolePolicyDocument: { Version: '2012-10-17', Statement: role.statements },
      RolePolicyList: role.support === false ? [] : [SUPPORT_POLICY],
    })),
  })
  return runPostureRules(evaluateAccount(snapshot), parseGuardConfig(config)).filter(
    (finding) => finding.rule === 'SUPPORT_ACCESS_EXTERNAL_TRUST',
  )
}

function only<F>(findings: readonly F[]): F {
  expect(findings).toHaveLength(1)
  const [finding] = findings
  if (!finding) throw new Error('no finding')
  return finding
}

const trustAws = (principal: string, condition?: Record<string, unknown>) => ({
  Effect: 'Allow',
  Principal: { AWS: principal },
  Action: 'sts:AssumeRole',
  ...(condition ? { Condition: condition } : {}),
})

const githubTrust = (condition: Record<string, unknown>) => ({
  Effect: 'Allow',
  Principal: { Federated: `arn:aws:iam::${ACCOUNT}:oidc-provider/${GITHUB}` },
  Action: 'sts:AssumeRoleWithWebIdentity',
  Condition: condition,
})

describe('SUPPORT_ACCESS_EXTERNAL_TRUST in-house trust', () => {
  it('stays silent for an IAM Identity Center permission set role', () => {
    const findings = trustFindings([
      {
        name: 'AWSReservedSSO_SupportUser_0123456789abcdef',
        path: '/aws-reserved/sso.amazonaws.com/',
        statements: [
          {
            Effect: 'Allow',
            Principal: { Federated: SSO_PROVIDER },
            Action: ['sts:AssumeRoleWithSAML', 'sts:TagSession'],
            Condition: { StringEquals: { 'SAML:aud': 'https://signin.aws.amazon.com/saml' } },
          },
        ],
      },
    ])
    expect(findings).toEqual([])
  })

  it('stays silent for the account root, its roles and AWS services', () => {
    const findings = trustFindings([
      {
        name: 'SupportTeam',
        statements: [
          trustAws(`arn:aws:iam::${ACCOUNT}:root`),
          trustAws(roleArn('Admin')),
          {
            Effect: 'Allow',
            Principal: { Service: 'cloudformation.amazonaws.com' },
            Action: 'sts:AssumeRole',
          },
        ],
      },
    ])
    expect(findings).toEqual([])
  })

  it('reports a SAML provider without an audience condition as low', () => {
    const finding = only(
      trustFindings([
        {
          name: 'OktaSupport',
          statements: [
            {
              Effect: 'Allow',
              Principal: { Federated: `arn:aws:iam::${ACCOUNT}:saml-provider/Okta` },
              Action: 'sts:AssumeRoleWithSAML',
            },
          ],
        },
      ]),
    )
    expect(finding.severity).toBe('low')
    expect(finding.remediation.steps.join(' ')).toContain('SAML:aud')
  })
})

describe('SUPPORT_ACCESS_EXTERNAL_TRUST and the organization', () => {
  const orgLimited = [
    {
      name: 'SupportBroker',
      statements: [trustAws('*', { StringEquals: { 'aws:PrincipalOrgID': ORG } })],
    },
  ]

  it('stays silent for "*" limited by aws:PrincipalOrgID equal to organizationId', () => {
    expect(trustFindings(orgLimited, { organizationId: ORG })).toEqual([])
  })

  it('reports an organization ID other than organizationId as another account (high)', () => {
    const finding = only(trustFindings(orgLimited, { organizationId: 'o-zzz999yyy8' }))
    expect(finding.severity).toBe('high')
    expect(finding.evidence.trustClass).toBe('external-account')
    expect(finding.remediation.steps.join(' ')).toContain('set organizationId')
    expect(finding.remediation.steps.join(' ')).not.toContain('sts:ExternalId')
  })

  it('reports the organization condition as unproven while organizationId is not set', () => {
    expect(only(trustFindings(orgLimited)).severity).toBe('high')
  })

  it('reports "*" with StringEqualsIfExists on aws:PrincipalOrgID as public (critical)', () => {
    const finding = only(
      trustFindings(
        [
          {
            name: 'SupportBroker',
            statements: [trustAws('*', { StringEqualsIfExists: { 'aws:PrincipalOrgID': ORG } })],
          },
        ],
        { organizationId: ORG },
      ),
    )
    expect(finding.severity).toBe('critical')
    expect(finding.title).toBe('SupportBroker has AWS Support access and can be assumed by anyone')
  })

  const organizationAccess = [
    { name: 'OrganizationAccountAccessRole', statements: [trustAws(`arn:aws:iam::${MANAGEMENT}:root`)] },
  ]

  it('reports OrganizationAccountAccessRole until the management account is in trustedAccounts', () => {
    const finding = only(trustFindings(organizationAccess))
    expect(finding.severity).toBe('high')
    const steps = finding.remediation.steps.join(' ')
    expect(steps).toMatch(/if \d{12} is that account, add it to trustedAccounts/)
    expect(steps).not.toContain('sts:ExternalId')
    expect(trustFindings(organizationAccess, { trustedAccounts: [MANAGEMENT] })).toEqual([])
  })

  const stackSetsAdmin = `arn:aws:iam::${MANAGEMENT}:role/aws-service-role/stacksets.cloudformation.amazonaws.com/AWSServiceRoleForCloudFormationStackSetsOrgAdmin`
  const stackSets = [
    { name: 'stacksets-exec-0123456789abcdef0123456789abcdef', statements: [trustAws(stackSetsAdmin)] },
  ]

  it('reports a StackSets execution role until the administrator account is in trustedAccounts', () => {
    const finding = only(trustFindings(stackSets))
    expect(finding.remediation.steps.join(' ')).toContain('trustedAccounts')
    expect(finding.remediation.steps.join(' ')).not.toContain('sts:ExternalId')
    expect(trustFindings(stackSets, { trustedAccounts: [MANAGEMENT] })).toEqual([])
  })
})

describe('SUPPORT_ACCESS_EXTERNAL_TRUST outside the organization', () => {
  it('reports a partner account as high, naming its sts:ExternalId', () => {
    const finding = only(
      trustFindings([
        {
          name: 'VendorSupportAccess',
          statements: [
            trustAws(`arn:aws:iam::${PARTNER}:root`, { StringEquals: { 'sts:ExternalId': 'v-7f3a' } }),
          ],
        },
      ]),
    )
    expect(finding.severity).toBe('high')
    expect(finding.title).toContain(`from another account (${PARTNER})`)
    expect(finding.detail).toContain('requires sts:ExternalId')
    expect(finding.remediation.steps.join(' ')).toContain('already requires sts:ExternalId')
  })

  it('asks a partner without sts:ExternalId to require it', () => {
    const finding = only(trustFindings([{ name: 'VendorSupportAccess', statements: [trustAws(PARTNER)] }]))
    expect(finding.remediation.steps.join(' ')).toContain('require sts:ExternalId in statement 0')
  })

  it('reports GitHub OIDC without a subject condition as critical, and with one as high', () => {
    const audience = { StringEquals: { [`${GITHUB}:aud`]: 'sts.amazonaws.com' } }
    const open = only(trustFindings([{ name: 'gha-support', statements: [githubTrust(audience)] }]))
    expect(open.severity).toBe('critical')
    expect(open.evidence.trustClass).toBe('web-identity-unrestricted')
    expect(open.remediation.steps.join(' ')).toContain(`${GITHUB}:sub`)

    const scoped = only(
      trustFindings([
        {
          name: 'gha-support',
          statements: [githubTrust({ ...audience, StringLike: { [`${GITHUB}:sub`]: 'repo:example-org/*' } })],
        },
      ]),
    )
    expect(scoped.severity).toBe('high')
    expect(scoped.evidence.trustClass).toBe('web-identity-restricted')
  })

  it('reports "*" without conditions as critical and asks for aws:PrincipalOrgID', () => {
    const finding = only(
      trustFindings([{ name: 'OpenSupport', statements: [trustAws('*')] }], { organizationId: ORG }),
    )
    expect(finding.severity).toBe('critical')
    expect(finding.remediation.steps.join(' ')).toContain(`"aws:PrincipalOrgID": "${ORG}"`)
  })

  it('lists every trust relationship of the role with its class in the evidence', () => {
    const finding = only(
      trustFindings([
        {
          name: 'MixedSupport',
          statements: [
            trustAws(`arn:aws:iam::${ACCOUNT}:root`),
            trustAws(`arn:aws:iam::${PARTNER}:root`, { StringEquals: { 'sts:ExternalId': 'v-7f3a' } }),
            { Effect: 'Allow', Principal: { Service: 'support.amazonaws.com' }, Action: 'sts:AssumeRole' },
          ],
        },
      ]),
    )
    expect(finding.evidence.trust).toEqual([
      expect.objectContaining({
        class: 'same-account',
        severity: 'none',
        principal: `arn:aws:iam::${ACCOUNT}:root`,
        statementIndex: 0,
        conditionKeys: [],
      }),
      expect.objectContaining({
        class: 'external-account',
        severity: 'high',
        principal: `arn:aws:iam::${PARTNER}:root`,
        statementIndex: 1,
        conditionKeys: ['sts:ExternalId'],
        externalId: true,
      }),
      expect.objectContaining({
        class: 'aws-service',
        principal: 'support.amazonaws.com',
        statementIndex: 2,
      }),
    ])
    expect(finding.evidence.grantedActions).toEqual([...parseGuardConfig({}).requiredSupportActions])
  })

  it('takes the most severe class of the role', () => {
    const finding = only(
      trustFindings([{ name: 'Mixed', statements: [trustAws(PARTNER), trustAws('*'), githubTrust({})] }]),
    )
    expect(finding.severity).toBe('critical')
    expect(finding.evidence.trustClass).toBe('public')
  })
})

describe('SUPPORT_ACCESS_EXTERNAL_TRUST and the config', () => {
  const open = [{ name: 'PartnerSupport', statements: [trustAws('*')] }]

  it('is silenced for a role in supportPrincipals.approved', () => {
    expect(
      trustFindings(open, { supportPrincipals: { approved: ['arn:aws:iam::*:role/Partner*'] } }),
    ).toEqual([])
  })

  it('is not silenced by supportPrincipals.required: a required role is what an intruder would open', () => {
    const findings = trustFindings(open, {
      supportPrincipals: { required: ['arn:aws:iam::*:role/PartnerSupport'] },
    })
    expect(only(findings).severity).toBe('critical')
  })

  it('lets severityOverrides win over the class severity', () => {
    const findings = trustFindings(open, { severityOverrides: { SUPPORT_ACCESS_EXTERNAL_TRUST: 'medium' } })
    expect(only(findings).severity).toBe('medium')
  })

  it('ignores roles without support access', () => {
    expect(trustFindings([{ name: 'Open', statements: [trustAws('*')], support: false }])).toEqual([])
  })
})
