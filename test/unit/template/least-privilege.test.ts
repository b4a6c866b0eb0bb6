import { describe, expect, it } from 'vitest'
import { listCatalogActions } from '#shared/catalog/catalog.ts'
import { DEFAULT_CONFIG } from '#shared/config/guard-config.ts'
import { DECISION_DENY } from '#shared/evaluator/decision.ts'
import { evaluateAccount } from '#shared/evaluator/evaluate-account.ts'
import { evaluatePrincipals } from '#shared/evaluator/evaluate-principals.ts'
import { buildQuestionSet, SLR_FOR_OTHER_SERVICE } from '#shared/evaluator/questions.ts'
import { runPostureRules } from '#shared/posture/run-posture-rules.ts'
import { parseAccountSnapshot } from '#shared/snapshot/parse-snapshot.ts'
import { isRecord, listResources, readTemplate } from '#test-support/template/template.ts'
import { IAM_READS, IAM_REVERTS } from './guard-actions.ts'
import { resolveIntrinsics, SAMPLE_ACCOUNT, SAMPLE_ORGANIZATION } from './sample-stack.ts'

const ACCOUNT = SAMPLE_ACCOUNT
const template = readTemplate('template.yaml')

/** Resolves the intrinsics a policy uses into concrete ARNs of the sample account. */
function resolve(value: unknown): unknown {
  return resolveIntrinsics(template, value)
}

/** One IAM role per function, with the inline statements the template gives it. */
function templateRoles() {
  return listResources(template, 'AWS::Serverless::Function').map(([logicalId, resource]) => {
    const policies = (resource.Properties?.Policies ?? []) as unknown[]
    const documents = policies.filter(isRecord).map((policy) => resolve(policy))
    return {
      RoleName: `${logicalId}Role`,
      Arn: `arn:aws:iam::${ACCOUNT}:role/${logicalId}Role`,
      Path: '/',
      AssumeRolePolicyDocument: {
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' },
        ],
      },
      RolePolicyList: documents.map((document, index) => ({
        PolicyName: `policy-${index}`,
        PolicyDocument: document,
      })),
      AttachedManagedPolicies: [],
    }
  })
}

const snapshot = parseAccountSnapshot({
  AccountId: ACCOUNT,
  RoleDetailList: templateRoles(),
  UserDetailList: [],
  GroupDetailList: [],
  Policies: [],
})
const catalog = buildQuestionSet([
  // iam:CreateServiceLinkedRole is asked twice below, with and without the Service Quotas context.
  ...listCatalogActions()
    .filter((action) => action.name !== 'iam:CreateServiceLinkedRole')
    .map((action) => ({ action: action.name })),
  {
    action: 'iam:CreateServiceLinkedRole',
    variant: 'servicequotas.amazonaws.com',
    context: { 'iam:AWSServiceName': 'servicequotas.amazonaws.com' },
  },
  {
    action: 'iam:CreateServiceLinkedRole',
    variant: 'other-service',
    context: { 'iam:AWSServiceName': 'ec2.amazonaws.com' },
  },
])
const evaluation = evaluateAccount(snapshot, catalog)
const allowed = new Map(
  evaluatePrincipals(evaluation.account, catalog).map((access) => [
    access.principal.record.name.replace(/Role$/, ''),
    catalog.questions
      .filter((_, index) => access.codes[index] !== DECISION_DENY)
      .map((question) => question.key),
  ]),
)

/**
 * The central guard of an organisation acts in a member account through the member role; the
 * statement's own test (below) holds it to that role and the organisation.
 */
const MEMBER_ROLE_ASSUME = 'sts:AssumeRole'

function catalogActionsOf(fn: string): string[] {
  return allowed.get(fn) ?? []
}

describe('least privilege of the template roles, judged by the guard engine', () => {
  it('found a role for each of the four functions', () => {
    expect([...allowed.keys()].sort()).toEqual([
      'AuditFunction',
      'DetectFunction',
      'NotifyFunction',
      'RemediateFunction',
    ])
  })

  it.each(['DetectFunction', 'AuditFunction'])('%s holds only IAM reads among catalog actions', (fn) => {
    const extra = catalogActionsOf(fn).filter(
      (action) =>
        !IAM_READS.has(action) &&
        action !== 'supportapp:ListSlackChannelConfigurations' &&
        action !== MEMBER_ROLE_ASSUME,
    )
    expect(extra).toEqual([])
  })

  it('NotifyFunction holds no catalog action at all', () => {
    expect(catalogActionsOf('NotifyFunction')).toEqual([])
  })

  it('RemediateFunction holds only the reads and the writes its reverts use', () => {
    const extra = catalogActionsOf('RemediateFunction').filter(
      (action) => !IAM_READS.has(action) && !IAM_REVERTS.has(action) && action !== MEMBER_ROLE_ASSUME,
    )
    expect(extra).toEqual([])
  })

  it.each(['DetectFunction', 'AuditFunction', 'RemediateFunction'])(
    '%s may assume only the member role, and only in accounts of the organisation',
    (fn) => {
      const statements = ((template.Resources[fn]?.Properties?.Policies ?? []) as unknown[])
        .map(resolve)
        .flatMap((policy) => (isRecord(policy) ? (policy.Statement as unknown[]) : []))
        .filter(isRecord)
        .filter((statement) => [statement.Action].flat().includes(MEMBER_ROLE_ASSUME))
      expect(statements).toEqual([
        expect.objectContaining({
          Effect: 'Allow',
          Resource: 'arn:aws:iam::*:role/SupportAccessGuardMember',
          Condition: { StringEquals: { 'aws:ResourceOrgID': SAMPLE_ORGANIZATION } },
        }),
      ])
    },
  )

  it('no role can pass roles, create a service-linked role for another service, or touch support cases', () => {
    for (const [fn, actions] of allowed) {
      expect(actions, fn).not.toContain('iam:PassRole')
      expect(actions, fn).not.toContain(SLR_FOR_OTHER_SERVICE)
      expect(
        actions.filter((action) => action.startsWith('support:')),
        fn,
      ).toEqual([])
    }
  })

  it('the posture rules raise nothing against the template roles', () => {
    const findings = runPostureRules(evaluateAccount(snapshot), DEFAULT_CONFIG).filter(
      (finding) => finding.rule !== 'SLR_MISSING' && finding.rule !== 'NO_SUPPORT_ROLE',
    )
    expect(findings).toEqual([])
  })
})
