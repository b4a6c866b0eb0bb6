import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { buildQuestionSet } from '#shared/evaluator/questions.ts'
import { matchStatement } from '#shared/evaluator/statement-match.ts'
import { parsePolicyDocument } from '#shared/policy/parse-policy.ts'
import { listResources, readTemplate } from '#test-support/template/template.ts'
import { asRecord, referencedId } from './function-policies.ts'
import { resolveIntrinsics, SAMPLE_ACCOUNT, SAMPLE_ORGANIZATION } from './sample-stack.ts'
import { decide, type Outcome, sessionArn } from './simulate.ts'

const ROOT = fileURLToPath(new URL('../../../', import.meta.url))
const template = readTemplate(join(ROOT, 'template.yaml'))
const resolve = (value: unknown) => resolveIntrinsics(template, value)
const busArn = String(resolve({ 'Fn::GetAtt': ['IntakeBus', 'Arn'] }))
const MEMBER = '210987654321'
const FORWARDER = `arn:aws:iam::${MEMBER}:role/support-access-guard/SupportAccessGuardForwarder`
const CLOUDTRAIL = 'AWS API Call via CloudTrail'

const busPolicies = listResources(template, 'AWS::Events::EventBusPolicy').filter(
  ([, resource]) => referencedId(resource.Properties?.EventBusName) === 'IntakeBus',
)

/** The intake bus's resource policy as EventBridge stores it. */
function busPolicyDocument(): unknown {
  return {
    Version: '2012-10-17',
    Statement: busPolicies.map(([, resource]) => ({
      Sid: resource.Properties?.StatementId,
      ...asRecord(resolve(resource.Properties?.Statement)),
    })),
  }
}

/** The member's forwarder role: allowed PutEvents on the intake bus by its own policy (member-template.yaml). */
const FORWARD_POLICY = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 'events:PutEvents', Resource: busArn }],
}

interface Put {
  readonly roleArn?: string
  readonly organization?: string
  readonly source?: string
  readonly detailType?: string
}

/** The request context of a PutEvents by `put`'s sender (single values; the simulator takes lists for ForAllValues). */
function contextOf(put: Put): Record<string, string> {
  const roleArn = put.roleArn ?? FORWARDER
  return {
    'aws:PrincipalArn': roleArn,
    'aws:PrincipalOrgID': put.organization ?? SAMPLE_ORGANIZATION,
    'aws:PrincipalAccount': roleArn.split(':')[4] ?? '',
    'events:source': put.source ?? 'aws.iam',
    'events:detail-type': put.detailType ?? CLOUDTRAIL,
  }
}

/** PutEvents on the intake bus, from another account: both its identity policy and the bus policy must allow. */
function putEvents(put: Put = {}): Promise<Outcome> {
  const roleArn = put.roleArn ?? FORWARDER
  const context = contextOf(put)
  return decide({
    principal: sessionArn(roleArn),
    action: 'events:PutEvents',
    resource: busArn,
    resourceAccount: SAMPLE_ACCOUNT,
    context: {
      ...context,
      'events:source': [context['events:source'] ?? ''],
      'events:detail-type': [context['events:detail-type'] ?? ''],
    },
    identityPolicies: [FORWARD_POLICY],
    resourcePolicy: busPolicyDocument(),
  })
}

/** Senders and events the intake bus must refuse. */
const REFUSED: [string, Put][] = [
  ['an account of another organisation', { organization: 'o-other123456' }],
  ['another role of a member account', { roleArn: `arn:aws:iam::${MEMBER}:role/Admin` }],
  [
    'a role named like the forwarder outside the guard path',
    { roleArn: `arn:aws:iam::${MEMBER}:role/SupportAccessGuardForwarder` },
  ],
  ['an event of another source', { source: 'aws.ec2' }],
  ['a custom event', { source: 'com.example.guard' }],
  ['another detail-type', { detailType: 'Support Access Finding' }],
]

describe('the intake bus policy', () => {
  it('is one statement, created with the bus only for an organisation', () => {
    expect(busPolicies).toHaveLength(1)
    expect(busPolicies[0]?.[1].Condition).toBe('IsOrganization')
    expect(template.Resources.IntakeBus?.Condition).toBe('IsOrganization')
  })

  it("admits a member's forwarder role sending CloudTrail records of the watched services", async () => {
    for (const source of ['aws.iam', 'aws.supportapp', 'aws.supportauthz', 'aws.supportplans', 'aws.sso'])
      expect(await putEvents({ source }), source).toBe('Allowed')
  })

  it.each<[string, Put]>(REFUSED)('refuses %s', async (_, put) => {
    expect(await putEvents(put)).not.toBe('Allowed')
  })
})

/**
 * The same policy judged by the guard's own engine (its statement matcher and condition
 * evaluator): the statement names every principal (`*`), so its conditions alone decide.
 */
describe("the intake bus policy, by the guard's engine", () => {
  const parsed = parsePolicyDocument(busPolicyDocument(), 'IntakeBusPolicy', 'trust')
  if (!parsed.ok) throw new Error(parsed.issue.message)
  const [statement] = parsed.policy.statements
  const match = (put: Put) => {
    const [question] = buildQuestionSet([
      { action: 'events:PutEvents', resource: busArn, context: contextOf(put) },
    ]).questions
    if (!statement || !question) throw new Error('one statement and one question expected')
    return matchStatement(statement, question)
  }

  it('grants every principal, so that only the conditions admit', () => {
    expect(JSON.stringify(asRecord(busPolicyDocument()).Statement)).toContain('"Principal":{"AWS":"*"}')
    expect(parsed.policy.statements).toHaveLength(1)
  })

  it("admits a member's forwarder role with no condition left open", () => {
    for (const source of ['aws.iam', 'aws.supportapp', 'aws.supportauthz', 'aws.supportplans', 'aws.sso'])
      expect(match({ source }), source).toEqual({ applies: true, conditional: false, reasons: [] })
  })

  it.each<[string, Put]>(REFUSED)('does not apply to %s', (_, put) => {
    expect(match(put)).toEqual({ applies: false })
  })
})
