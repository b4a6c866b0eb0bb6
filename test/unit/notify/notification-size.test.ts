import { describe, expect, it } from 'vitest'
import {
  formatFindingNotification,
  formatRemediationNotification,
} from '#shared/notify/format-notification.ts'
import type { Notification } from '#shared/notify/notification.ts'
import { describeStep, type RemediationStep } from '#shared/pipeline/remediation-steps.ts'
import {
  makeChange,
  makeFindingDetail,
  makeLongDocument,
  makeRemediationDetail,
  TAIL_SID,
} from './sample-details.ts'

/** IAM's largest documents are 10,240 characters (a role's inline policies together): 6,000 is a large one. */
const LARGE = 6000
/** Body and chat message bounds, with margin over what the largest case below produces (about 4 KB). */
const MAX_BODY_BYTES = 6 * 1024
const MAX_CHAT_BYTES = 6 * 1024
const MAX_LINE = 700

const APP_ROLE = 'arn:aws:iam::123456789012:role/AWSSupportAppRole'

function putInline(document: unknown): RemediationStep {
  return {
    action: 'put-inline-policy',
    principalType: 'role',
    principalName: 'SupportTeam',
    policyName: 'Cases',
    document,
  }
}

const trust = (document: unknown, roleName = 'SupportTeam'): RemediationStep => ({
  action: 'update-trust-policy',
  roleName,
  document,
})

const putChange = (document: unknown) =>
  makeChange({
    eventName: 'PutRolePolicy',
    parameters: { roleName: 'SupportTeam', policyName: 'Cases', policyDocument: document },
  })

const trustChange = (document: unknown) =>
  makeChange({
    eventName: 'UpdateAssumeRolePolicy',
    parameters: {
      roleName: 'AWSSupportAppRole',
      policyDocument: encodeURIComponent(JSON.stringify(document)),
    },
  })

/** Every notification that can carry a policy document, for a document of `length` characters. */
function notificationsWith(length: number): Readonly<Record<string, Notification>> {
  const document = makeLongDocument(length)
  const plan = (steps: RemediationStep[]) => ({
    steps,
    reason: 'restore from the baseline',
    source: 'baseline' as const,
  })
  return {
    'finding, monitor, inline policy': formatFindingNotification(
      makeFindingDetail('SUPPORT_ACCESS_LOST', 'monitor', {
        change: putChange(document),
        plan: plan([putInline(document)]),
      }),
    ),
    'finding, enforce, trust policy': formatFindingNotification(
      makeFindingDetail('SUPPORT_APP_TRUST_INVALID', 'enforce', {
        change: trustChange(document),
        plan: plan([trust(document, 'AWSSupportAppRole')]),
      }),
    ),
    'remediation reverted, both documents': formatRemediationNotification(
      makeRemediationDetail({ change: putChange(document), steps: [putInline(document), trust(document)] }),
    ),
    'remediation failed': formatRemediationNotification(
      makeRemediationDetail({
        outcome: 'failed',
        error: 'IamWriteError: LimitExceeded',
        change: putChange(document),
        steps: [putInline(document)],
      }),
    ),
    'remediation refused, the forged step quoted in the reason': formatRemediationNotification(
      makeRemediationDetail({
        outcome: 'skipped',
        refused: true,
        steps: [],
        reason: `refused: the finding event asks for writes the guard's own plan does not contain (${describeStep(putInline(document))}); nothing was written`,
      }),
    ),
  }
}

const large = notificationsWith(LARGE)

describe(`a ${LARGE.toLocaleString('en-US')}-character policy document in a notification`, () => {
  it.each(Object.entries(large).map(([name, notification]) => ({ name, notification })))(
    '$name: bounded body and chat message, the document only as an excerpt',
    ({ notification }) => {
      const { body, chatbot } = notification
      expect(Buffer.byteLength(body)).toBeLessThan(MAX_BODY_BYTES)
      expect(Buffer.byteLength(JSON.stringify(chatbot))).toBeLessThan(MAX_CHAT_BYTES)
      for (const line of body.split('\n')) expect(line.length).toBeLessThan(MAX_LINE)
      expect(body).not.toContain(TAIL_SID)
      expect(JSON.stringify(chatbot)).not.toContain(TAIL_SID)
      expect(body).toMatch(/… \([\d,]+ more characters\)/)
    },
  )

  it('grows by digits only when the document is ten times larger', () => {
    const huge = notificationsWith(LARGE * 10)
    for (const [name, notification] of Object.entries(large)) {
      const grown = huge[name]?.body.length ?? Number.POSITIVE_INFINITY
      expect(grown - notification.body.length, name).toBeLessThanOrEqual(10)
    }
  })

  it('says where to read the change document in full: the CloudTrail event and IAM', () => {
    const { body } = large['finding, monitor, inline policy'] as Notification
    expect(body).toMatch(
      /Full document: +requestParameters\.policyDocument of the event: aws cloudtrail lookup-events --region us-east-1 --lookup-attributes AttributeKey=EventId,AttributeValue=ebfff22f-6590-4523-ab63-7a1fc5779580/,
    )
    expect(body).toMatch(/In IAM now: +aws iam get-role-policy --role-name SupportTeam --policy-name Cases/)
  })

  it('revert commands read the document from a file and say it is in the baseline', () => {
    const { body, chatbot } = large['finding, enforce, trust policy'] as Notification
    expect(body).toContain(
      '- aws iam update-assume-role-policy --role-name AWSSupportAppRole --policy-document file://AWSSupportAppRole-trust-policy-baseline.json',
    )
    expect(body).toContain('AWSSupportAppRole-trust-policy-baseline.json holds: {"Version":"2012-10-17"')
    expect(body).toContain(
      `Full document: the trust policy of role AWSSupportAppRole of the baseline of ${APP_ROLE} in the guard's baseline table: aws dynamodb get-item`,
    )
    expect(body).toContain(`"sk":{"S":"BASELINE#${APP_ROLE}"}`)
    expect(body).toMatch(
      /In IAM now: +aws iam get-role --role-name AWSSupportAppRole --query Role.AssumeRolePolicyDocument/,
    )
    expect(body).not.toContain("--policy-document '")
    expect(chatbot.content.description).toContain('file://AWSSupportAppRole-trust-policy-baseline.json')
  })

  it('the undo of a revert reads the document the change wrote from a file, found in the CloudTrail event', () => {
    const { body, chatbot } = large['remediation reverted, both documents'] as Notification
    const undo = body.slice(body.indexOf("How to undo the guard's revert"))
    expect(undo).toContain(
      '- aws iam put-role-policy --role-name SupportTeam --policy-name Cases --policy-document file://SupportTeam-Cases-from-event.json',
    )
    expect(undo).toContain(
      'Full document: requestParameters.policyDocument of CloudTrail event ebfff22f-6590-4523-ab63-7a1fc5779580: aws cloudtrail lookup-events',
    )
    // The trust step's undo has no document in the change (a PutRolePolicy): words, with the event to read.
    expect(undo).toContain('Put back the trust policy of role SupportTeam that CloudTrail event')
    expect(chatbot.content.nextSteps).toContain(
      'If the change was intended, undo the revert: `aws iam put-role-policy --role-name SupportTeam --policy-name Cases --policy-document file://SupportTeam-Cases-from-event.json` (SupportTeam-Cases-from-event.json: requestParameters.policyDocument of CloudTrail event ebfff22f-6590-4523-ab63-7a1fc5779580)',
    )
  })

  it('a failed revert lists the steps to finish with their files', () => {
    const { chatbot } = large['remediation failed'] as Notification
    expect(chatbot.content.nextSteps[1]).toContain('file://SupportTeam-Cases-baseline.json')
  })

  it('a refused event quoting a document keeps the step readable but short', () => {
    const { body } = large['remediation refused, the forged step quoted in the reason'] as Notification
    expect(body).toContain('--policy-document \'{"Version":"2012-10-17"')
    expect(body).toContain('more characters)')
  })
})
