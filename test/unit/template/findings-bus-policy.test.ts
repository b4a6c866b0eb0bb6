import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { buildQuestionSet } from '#shared/evaluator/questions.ts'
import { matchStatement } from '#shared/evaluator/statement-match.ts'
import { parsePolicyDocument } from '#shared/policy/parse-policy.ts'
import { listResources, listTemplateFunctions, readTemplate } from '#test-support/template/template.ts'
import { asRecord, functionPolicies, functionStatements, referencedId } from './function-policies.ts'
import { resolveIntrinsics, SAMPLE_ACCOUNT, sampleRoleArn } from './sample-stack.ts'
import { decide, type Outcome, sessionArn } from './simulate.ts'

const ROOT = fileURLToPath(new URL('../../../', import.meta.url))
const template = readTemplate(join(ROOT, 'template.yaml'))
const OTHER_ACCOUNT = '210987654321'
const resolve = (value: unknown) => resolveIntrinsics(template, value)
const busArn = String(resolve({ 'Fn::GetAtt': ['FindingsBus', 'Arn'] }))

const busPolicies = listResources(template, 'AWS::Events::EventBusPolicy').filter(
  ([, resource]) => referencedId(resource.Properties?.EventBusName) === 'FindingsBus',
)

/** The bus's resource policy as EventBridge stores it: the statement, its Sid the StatementId. */
function busPolicyDocument(): unknown {
  const statements = busPolicies.map(([, resource]) => ({
    Sid: resource.Properties?.StatementId,
    ...asRecord(resolve(resource.Properties?.Statement)),
  }))
  return { Version: '2012-10-17', Statement: statements }
}

/** PowerUserAccess's grant: every action outside IAM, Organizations and Account management. */
const POWER_USER = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', NotAction: ['iam:*', 'organizations:*', 'account:*'], Resource: '*' }],
}
const ADMINISTRATOR = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }

function templatePolicies(functionId: string): unknown[] {
  return functionPolicies(template, functionId).map(resolve)
}

/**
 * PutEvents on the findings bus by a role's session. aws:PrincipalArn is set by hand (the simulator
 * fills in no context): for a role's session it is the role's ARN, "not the ARN of the user that
 * assumed the role" (IAM User Guide, global condition context keys).
 */
function putEvents(
  roleArn: string,
  identityPolicies: readonly unknown[],
  withBusPolicy = true,
): Promise<Outcome> {
  return decide({
    principal: sessionArn(roleArn),
    action: 'events:PutEvents',
    resource: busArn,
    resourceAccount: SAMPLE_ACCOUNT,
    context: { 'aws:PrincipalArn': roleArn },
    identityPolicies,
    ...(withBusPolicy ? { resourcePolicy: busPolicyDocument() } : {}),
  })
}

const PUBLISHERS = ['DetectFunction', 'RemediateFunction', 'AuditFunction']

describe('the findings bus policy', () => {
  it('is one Deny of events:PutEvents for every principal but the three publishing roles', () => {
    expect(busPolicies).toHaveLength(1)
    const statement = asRecord(busPolicies[0]?.[1].Properties?.Statement)
    expect(statement.Effect).toBe('Deny')
    expect(statement.Principal).toEqual({ AWS: '*' })
    expect(statement.Action).toBe('events:PutEvents')
    expect(statement.Condition).toEqual({
      ArnNotEquals: {
        'aws:PrincipalArn': PUBLISHERS.map((fn) => ({ 'Fn::GetAtt': [`${fn}Role`, 'Arn'] })),
      },
    })
  })

  it('exempts exactly the roles whose own policies publish to the bus', () => {
    const publishing = listTemplateFunctions(template)
      .map((fn) => fn.logicalId)
      .filter((fn) =>
        functionStatements(template, fn).some(
          (statement) =>
            statement.effect === 'Allow' &&
            statement.actions.includes('events:PutEvents') &&
            statement.resources.some((resource) => referencedId(resource) === 'FindingsBus'),
        ),
      )
    expect(publishing.sort()).toEqual([...PUBLISHERS].sort())
  })

  it.each(PUBLISHERS)('lets %s publish with its own role', async (fn) => {
    expect(await putEvents(sampleRoleArn(`${fn}Role`), templatePolicies(fn))).toBe('Allowed')
  })

  it.each([
    [
      'a PowerUserAccess role of the same account',
      `arn:aws:iam::${SAMPLE_ACCOUNT}:role/PowerUser`,
      [POWER_USER],
    ],
    // Its own policies grant no PutEvents: the bus must hold even if someone widens the role.
    [
      'the notify role, widened to PowerUserAccess',
      sampleRoleArn('NotifyFunctionRole'),
      [...templatePolicies('NotifyFunction'), POWER_USER],
    ],
    ['an administrator role of another account', `arn:aws:iam::${OTHER_ACCOUNT}:role/Admin`, [ADMINISTRATOR]],
    [
      'a role of another account named like a guard role',
      `arn:aws:iam::${OTHER_ACCOUNT}:role/${sampleRoleArn('DetectFunctionRole').split('/').pop()}`,
      [ADMINISTRATOR],
    ],
  ])('denies %s explicitly', async (_, roleArn, policies) => {
    expect(await putEvents(roleArn, policies)).toBe('ExplicitlyDenied')
  })

  it('is what stops a same-account role: without it the PowerUserAccess role may publish', async () => {
    const roleArn = `arn:aws:iam::${SAMPLE_ACCOUNT}:role/PowerUser`
    expect(await putEvents(roleArn, [POWER_USER], false)).toBe('Allowed')
  })
})

/** The same Deny judged by the guard's own engine: it applies to every caller but the three publishers. */
describe("the findings bus policy, by the guard's engine", () => {
  const parsed = parsePolicyDocument(busPolicyDocument(), 'FindingsBusPolicy', 'trust')
  if (!parsed.ok) throw new Error(parsed.issue.message)
  const [deny] = parsed.policy.statements
  const denies = (roleArn: string) => {
    const [question] = buildQuestionSet([
      { action: 'events:PutEvents', resource: busArn, context: { 'aws:PrincipalArn': roleArn } },
    ]).questions
    if (!deny || !question) throw new Error('one statement and one question expected')
    return matchStatement(deny, question).applies
  }

  it.each(PUBLISHERS)('lets %s through', (fn) => {
    expect(denies(sampleRoleArn(`${fn}Role`))).toBe(false)
  })

  it.each([
    sampleRoleArn('NotifyFunctionRole'),
    `arn:aws:iam::${SAMPLE_ACCOUNT}:role/PowerUser`,
    `arn:aws:iam::${OTHER_ACCOUNT}:role/${sampleRoleArn('DetectFunctionRole').split('/').pop()}`,
  ])('denies %s', (roleArn) => {
    expect(denies(roleArn)).toBe(true)
  })
})
