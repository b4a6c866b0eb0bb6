import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
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

const ROOT = fileURLToPath(new URL('../../../', import.meta.url))
const template = readTemplate(join(ROOT, 'member-template.yaml'))
const CENTRAL = '111111111111'
const MEMBER = '222222222222'
const ORGANIZATION = 'o-abc123def4'
const PARAMETERS: Readonly<Record<string, string | string[]>> = {
  'AWS::Partition': 'aws',
  'AWS::AccountId': MEMBER,
  CentralAccountId: CENTRAL,
  OrganizationId: ORGANIZATION,
  TrustedPrincipalArns: [`arn:aws:iam::${CENTRAL}:role/support-guard-*`],
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

describe('the member role, judged by the guard itself', () => {
  it('has the fixed name snapshot --org assumes', () => {
    expect(properties.RoleName).toBe('SupportAccessGuardMember')
  })

  it('lets in the central account alone, conditioned on the organisation and the named roles', () => {
    const parsed = parsePolicyDocument(trust, 'member trust', 'trust')
    if (!parsed.ok) throw new Error(parsed.issue.message)
    const grants = analyzeTrust(parsed.policy, MEMBER)
    expect(grants.map((grant) => [grant.kind, grant.principal])).toEqual([
      ['other-account', `arn:aws:iam::${CENTRAL}:root`],
    ])
    expect([...(grants[0]?.conditionKeys ?? [])].sort()).toEqual(['aws:PrincipalArn', 'aws:PrincipalOrgID'])
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

  it('reads and never writes: of every action the guard knows, it is allowed only Get, List and Support App listing', () => {
    const snapshot = parseAccountSnapshot({
      AccountId: MEMBER,
      RoleDetailList: [
        {
          RoleName: 'SupportAccessGuardMember',
          Arn: `arn:aws:iam::${MEMBER}:role/SupportAccessGuardMember`,
          AssumeRolePolicyDocument: trust,
          RolePolicyList: policies.map((policy) => ({
            PolicyName: policy.PolicyName,
            PolicyDocument: policy.PolicyDocument,
          })),
        },
      ],
    })
    const actions = CATALOG_NAMESPACES.flatMap((namespace) => listNamespaceActions(namespace))
    const questions = buildQuestionSet(actions.map((action) => ({ action })))
    const [access] = evaluateAccount(snapshot, questions).principals
    const allowed = questions.questions
      .filter((_, index) => access?.codes[index] !== DECISION_DENY)
      .map((question) => question.action)
    expect(allowed).toContain('iam:GetAccountAuthorizationDetails')
    expect(allowed).toContain('supportapp:ListSlackChannelConfigurations')
    expect(allowed.filter((action) => !/^(iam:(Get|List)|supportapp:List)/.test(action))).toEqual([])
    expect(allowed.some((action) => action.startsWith('support:'))).toBe(false)
  })
})
