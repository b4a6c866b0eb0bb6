import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { READ_ONLY_SESSION_POLICY } from '#shared/aws/member-sessions.ts'
import { listNamespaceActions } from '#shared/catalog/catalog.ts'
import { CATALOG_NAMESPACES } from '#shared/catalog/namespaces.ts'
import { DECISION_DENY } from '#shared/evaluator/decision.ts'
import { evaluateAccount } from '#shared/evaluator/evaluate-account.ts'
import { buildQuestionSet } from '#shared/evaluator/questions.ts'
import { analyzeTrust } from '#shared/evaluator/trust.ts'
import { classifyTrust } from '#shared/evaluator/trust-class.ts'
import { parsePolicyDocument } from '#shared/policy/parse-policy.ts'
import { parseAccountSnapshot } from '#shared/snapshot/parse-snapshot.ts'
import { isRecord, readTemplate } from '#test-support/template/template.ts'
import { IAM_REVERTS } from './guard-actions.ts'

const ROOT = fileURLToPath(new URL('../../../', import.meta.url))
const template = readTemplate(join(ROOT, 'member-template.yaml'))
const CENTRAL = '111111111111'
const MEMBER = '222222222222'
const ORGANIZATION = 'o-abc123def4'
const INTAKE_BUS = `arn:aws:events:us-east-1:${CENTRAL}:event-bus/support-access-guard-intake`
const PARAMETERS: Readonly<Record<string, string | string[]>> = {
  'AWS::Partition': 'aws',
  'AWS::AccountId': MEMBER,
  CentralAccountId: CENTRAL,
  OrganizationId: ORGANIZATION,
  TrustedPrincipalArns: [`arn:aws:iam::${CENTRAL}:role/operators/*`],
  IntakeBusArn: INTAKE_BUS,
}

/** `Ref` and `Fn::Sub` as CloudFormation resolves them in the member account, with sample parameters. */
function resolve(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(resolve)
  if (!isRecord(value)) return value
  if (typeof value.Ref === 'string') {
    const found = PARAMETERS[value.Ref]
    if (found === undefined) throw new Error(`no sample value for ${value.Ref}`)
    return found
  }
  if (typeof value['Fn::Sub'] === 'string')
    return value['Fn::Sub'].replace(/\$\{([^}]+)\}/g, (_, name: string) =>
      String(PARAMETERS[name] ?? `?${name}`),
    )
  return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, resolve(inner)]))
}

const role = template.Resources.MemberRole
const properties = role?.Properties ?? {}
const trust = resolve(properties.AssumeRolePolicyDocument)
const policies = (resolve(properties.Policies) as { PolicyName: string; PolicyDocument: unknown }[]) ?? []
const central = readTemplate(join(ROOT, 'template.yaml'))

/** IAM's reads the guard's functions call, and the writes its reverts make (template.yaml, RemediateFunction). */
const READS = /^(iam:(Get|List)|supportapp:List)/

/** Every catalog question (Service Quotas' service-linked role asked with its service's name). */
const QUESTIONS = buildQuestionSet([
  ...CATALOG_NAMESPACES.flatMap((namespace) => listNamespaceActions(namespace))
    .filter((action) => action !== 'iam:CreateServiceLinkedRole')
    .map((action) => ({ action })),
  {
    action: 'iam:CreateServiceLinkedRole',
    variant: 'servicequotas.amazonaws.com',
    context: { 'iam:AWSServiceName': 'servicequotas.amazonaws.com' },
  },
])

/** What a role with these inline policies (and boundary) may do, by the guard's own evaluator. */
function allowedOf(
  name: string,
  documents: readonly { PolicyName: string; PolicyDocument: unknown }[],
  boundary?: unknown,
): string[] {
  const boundaryArn = `arn:aws:iam::${MEMBER}:policy/session-policy`
  const snapshot = parseAccountSnapshot({
    AccountId: MEMBER,
    RoleDetailList: [
      {
        RoleName: name,
        Arn: `arn:aws:iam::${MEMBER}:role/${name}`,
        AssumeRolePolicyDocument: trust,
        RolePolicyList: documents.map((policy) => ({
          PolicyName: policy.PolicyName,
          PolicyDocument: policy.PolicyDocument,
        })),
        ...(boundary ? { PermissionsBoundary: { PermissionsBoundaryArn: boundaryArn } } : {}),
      },
    ],
    Policies: boundary
      ? [
          {
            PolicyName: 'session-policy',
            Arn: boundaryArn,
            DefaultVersionId: 'v1',
            PolicyVersionList: [{ VersionId: 'v1', IsDefaultVersion: true, Document: boundary }],
          },
        ]
      : [],
  })
  const [access] = evaluateAccount(snapshot, QUESTIONS).principals
  return QUESTIONS.questions
    .filter((_, index) => access?.codes[index] !== DECISION_DENY)
    .map((question) => question.key)
}

/** A statement of an inline policy, found by Sid, as written (intrinsics unresolved). */
function rawStatements(resource: Record<string, unknown> | undefined): Map<string, unknown> {
  const found = new Map<string, unknown>()
  for (const policy of (resource?.Policies ?? []) as unknown[]) {
    const document = isRecord(policy) ? (policy.PolicyDocument ?? policy) : {}
    for (const statement of (isRecord(document) ? (document.Statement as unknown[]) : []) ?? [])
      if (isRecord(statement) && typeof statement.Sid === 'string') found.set(statement.Sid, statement)
  }
  return found
}

describe('the member role, judged by the guard itself', () => {
  it('has the fixed name the central guard assumes', () => {
    expect(properties.RoleName).toBe('SupportAccessGuardMember')
  })

  it("lets in the central account alone, conditioned on the organisation and the guard's role path", () => {
    const parsed = parsePolicyDocument(trust, 'member trust', 'trust')
    if (!parsed.ok) throw new Error(parsed.issue.message)
    const grants = analyzeTrust(parsed.policy, MEMBER)
    expect(grants.map((grant) => [grant.kind, grant.principal])).toEqual([
      ['other-account', `arn:aws:iam::${CENTRAL}:root`],
    ])
    expect([...(grants[0]?.conditionKeys ?? [])].sort()).toEqual(['aws:PrincipalArn', 'aws:PrincipalOrgID'])
    expect(JSON.stringify(trust)).toContain(
      `"aws:PrincipalArn":"arn:aws:iam::${CENTRAL}:role/support-access-guard/*"`,
    )
    const inOrganization = classifyTrust(parsed.policy, {
      accountId: MEMBER,
      organizationId: ORGANIZATION,
      trustedAccounts: [],
    })
    expect(inOrganization.map((grant) => grant.trustClass)).toEqual(['organization'])
    // Without the organisation condition's match, the same trust reads as another account's.
    const elsewhere = classifyTrust(parsed.policy, {
      accountId: MEMBER,
      organizationId: 'o-zzzzzzzzzz',
      trustedAccounts: [],
    })
    expect(elsewhere.map((grant) => grant.trustClass)).not.toEqual(['organization'])
  })

  it('holds the reads detect and audit make and the writes remediate makes, nothing else', () => {
    const allowed = allowedOf('SupportAccessGuardMember', policies)
    expect(allowed).toContain('iam:GetAccountAuthorizationDetails')
    expect(allowed).toContain('supportapp:ListSlackChannelConfigurations')
    expect(allowed.filter((action) => !READS.test(action) && !IAM_REVERTS.has(action))).toEqual([])
    expect([...IAM_REVERTS].filter((action) => !allowed.includes(action))).toEqual([])
    expect(allowed.some((action) => action.startsWith('support:') || action === 'iam:PassRole')).toBe(false)
  })

  it('reads and never writes in a session opened with the read-only session policy (detect, audit)', () => {
    const allowed = allowedOf('SupportAccessGuardMember', policies, JSON.parse(READ_ONLY_SESSION_POLICY))
    expect(allowed).toContain('iam:GetAccountAuthorizationDetails')
    expect(allowed).toContain('iam:GetRole')
    expect(allowed.filter((action) => !READS.test(action))).toEqual([])
  })

  it("mirrors the central remediate role's writes and guards statement for statement", () => {
    const member = rawStatements(properties)
    const remediate = rawStatements(central.Resources.RemediateFunction?.Properties)
    const shared = [
      'RevertRoleChanges',
      'RevertUserChanges',
      'RevertGroupChanges',
      'RevertPolicyVersion',
      'RecreateServiceQuotasRole',
      'DenyChangesToOrganisationRoles',
      'DenyAttachingAdministratorPolicies',
      'DenyAdministratorBoundaries',
    ]
    for (const sid of shared) expect(member.get(sid), sid).toEqual(remediate.get(sid))
    const memberGuard = member.get('DenyChangesToGuardRoles') as { Action: unknown; Resource: unknown[] }
    const centralGuard = remediate.get('DenyChangesToGuardRoles') as { Action: unknown; Resource: unknown }
    expect(memberGuard.Action).toEqual(centralGuard.Action)
    expect(memberGuard.Resource).toContainEqual(centralGuard.Resource)
    // Every Allow of the member role that writes is one of the shared statements.
    const writes = [...member.entries()].filter(
      ([, statement]) =>
        isRecord(statement) && statement.Effect === 'Allow' && !/^Read/.test(String(statement.Sid)),
    )
    expect(writes.map(([sid]) => sid).sort()).toEqual(shared.filter((sid) => !sid.startsWith('Deny')).sort())
  })

  it('may never change the guard roles of its own account, itself included', () => {
    const allowed = resolve(properties.Policies) as { PolicyDocument: { Statement: unknown[] } }[]
    const deny = allowed
      .flatMap((policy) => policy.PolicyDocument.Statement)
      .find((statement) => isRecord(statement) && statement.Sid === 'DenyChangesToGuardRoles') as {
      Resource: string[]
    }
    expect(deny.Resource).toEqual([
      `arn:aws:iam::${MEMBER}:role/support-access-guard/*`,
      `arn:aws:iam::${MEMBER}:role/SupportAccessGuardMember`,
      `arn:aws:iam::${MEMBER}:role/SupportAccessGuardReader`,
    ])
  })
})

describe('the member template, around the role', () => {
  it('creates the read-only operator role only when central roles are named for it', () => {
    const reader = template.Resources.ReaderRole
    expect(reader?.Condition).toBe('HasTrustedPrincipals')
    const documents = resolve(reader?.Properties?.Policies) as {
      PolicyName: string
      PolicyDocument: unknown
    }[]
    const allowed = allowedOf('SupportAccessGuardReader', documents)
    expect(allowed.sort()).toEqual([
      'iam:GetAccountAuthorizationDetails',
      'supportapp:ListSlackChannelConfigurations',
    ])
  })

  it('forwards with a role EventBridge alone assumes, allowed only PutEvents on the intake bus', () => {
    const forwarder = template.Resources.ForwarderRole?.Properties ?? {}
    expect(forwarder.RoleName).toBe('SupportAccessGuardForwarder')
    expect(forwarder.Path).toBe('/support-access-guard/')
    expect(resolve(forwarder.AssumeRolePolicyDocument)).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Service: 'events.amazonaws.com' },
          Action: 'sts:AssumeRole',
          Condition: { StringEquals: { 'aws:SourceAccount': MEMBER } },
        },
      ],
    })
    const documents = resolve(forwarder.Policies) as { PolicyDocument: { Statement: unknown[] } }[]
    expect(documents.flatMap((policy) => policy.PolicyDocument.Statement)).toEqual([
      { Sid: 'PutOnIntakeBus', Effect: 'Allow', Action: 'events:PutEvents', Resource: INTAKE_BUS },
    ])
  })

  it("forwards exactly the events the central guard's own rules take from its default bus", () => {
    const pattern = (tpl: typeof template, id: string) => tpl.Resources[id]?.Properties?.EventPattern
    const state = (tpl: typeof template, id: string) => tpl.Resources[id]?.Properties?.State
    expect(pattern(template, 'ForwardChangesRule')).toEqual(pattern(central, 'CloudTrailChangeRule'))
    expect(pattern(template, 'ForwardReadOnlyRule')).toEqual(pattern(central, 'CloudTrailReadOnlyRule'))
    expect(state(template, 'ForwardReadOnlyRule')).toBe('ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS')
    expect(pattern(central, 'IntakeChangeRule')).toEqual(pattern(central, 'CloudTrailChangeRule'))
    expect(pattern(central, 'IntakeReadOnlyRule')).toEqual(pattern(central, 'CloudTrailReadOnlyRule'))
    for (const id of ['ForwardChangesRule', 'ForwardReadOnlyRule'])
      expect(resolve(template.Resources[id]?.Properties?.Targets)).toEqual([
        { Id: 'central-intake', Arn: INTAKE_BUS, RoleArn: { 'Fn::GetAtt': ['ForwarderRole', 'Arn'] } },
      ])
  })
})
