import { describe, expect, it } from 'vitest'
import { asCode } from '#shared/notify/build-chatbot-message.ts'
import { renderStep, stepLines, stepSentence } from '#shared/notify/render-step.ts'
import { describeStep, type RemediationStep } from '#shared/pipeline/remediation-steps.ts'
import { makeLongDocument, TAIL_SID } from './sample-details.ts'

const ROLE = 'arn:aws:iam::123456789012:role/SupportTeam'
const BASELINE = { kind: 'baseline', accountId: '123456789012', principalArn: ROLE } as const
const DOCUMENT = makeLongDocument(6000)

const putInline: RemediationStep = {
  action: 'put-inline-policy',
  principalType: 'role',
  principalName: 'SupportTeam',
  policyName: 'Cases',
  document: DOCUMENT,
}

describe('renderStep', () => {
  it('an inline policy restored from the baseline: file, excerpt and the baseline item', () => {
    const rendered = renderStep(putInline, BASELINE)
    expect(rendered.command).toBe(
      'aws iam put-role-policy --role-name SupportTeam --policy-name Cases --policy-document file://SupportTeam-Cases-baseline.json',
    )
    expect(rendered.document?.file).toBe('SupportTeam-Cases-baseline.json')
    expect(rendered.document?.excerpt).toMatch(/^\{"Version":"2012-10-17".*… \([\d,]+ more characters\)$/)
    expect(rendered.document?.origin).toBe(
      `inline policy Cases of the baseline of ${ROLE} in the guard's baseline table`,
    )
    expect(rendered.document?.command).toContain(`"sk":{"S":"BASELINE#${ROLE}"}`)
  })

  it('a trust policy the change wrote: read from the CloudTrail event', () => {
    const rendered = renderStep(
      { action: 'update-trust-policy', roleName: 'AppRole', document: DOCUMENT },
      { kind: 'change', eventId: 'ev-7' },
    )
    expect(rendered.command).toBe(
      'aws iam update-assume-role-policy --role-name AppRole --policy-document file://AppRole-trust-policy-from-event.json',
    )
    expect(rendered.document?.origin).toBe('requestParameters.policyDocument of CloudTrail event ev-7')
    expect(rendered.document?.command).toContain('AttributeKey=EventId,AttributeValue=ev-7')
  })

  it('an unknown origin still names the file and says whose document it is', () => {
    const rendered = renderStep(putInline, { kind: 'unknown' })
    expect(rendered.command).toContain('file://SupportTeam-Cases.json')
    expect(rendered.document?.origin).toBe('inline policy Cases as the original change wrote it')
    expect(rendered.document?.command).toBeUndefined()
  })

  it.each<RemediationStep>([
    { action: 'attach-policy', principalType: 'role', principalName: 'R', policyArn: 'arn:p' },
    { action: 'delete-inline-policy', principalType: 'user', principalName: 'U', policyName: 'P' },
    { action: 'set-default-policy-version', policyArn: 'arn:p', versionId: 'v3' },
    { action: 'add-user-to-group', userName: 'U', groupName: 'G' },
  ])('$action carries no document: the command as the pipeline describes it', (step) => {
    expect(renderStep(step, BASELINE)).toEqual({ command: describeStep(step) })
  })
})

describe('stepLines and stepSentence', () => {
  it('text: the bullet, then what the file holds and where the full document is', () => {
    const lines = stepLines(renderStep(putInline, BASELINE), 1)
    expect(lines).toHaveLength(3)
    expect(lines[0]).toMatch(/^ {2}- aws iam put-role-policy .*file:\/\/SupportTeam-Cases-baseline\.json$/)
    expect(lines[1]).toMatch(/^ {6}SupportTeam-Cases-baseline\.json holds: \{"Version"/)
    expect(lines[2]).toMatch(/^ {6}Full document: inline policy Cases .*: aws dynamodb get-item /)
    for (const line of lines) expect(line.length).toBeLessThan(500)
    expect(lines.join('\n')).not.toContain(TAIL_SID)
  })

  it('a step without a document is one bullet', () => {
    const step: RemediationStep = { action: 'add-user-to-group', userName: 'U', groupName: 'G' }
    expect(stepLines(renderStep(step, BASELINE))).toEqual([`- ${describeStep(step)}`])
  })

  it('chat: the command as code and where its file comes from', () => {
    expect(stepSentence(renderStep(putInline, BASELINE), asCode)).toBe(
      `\`aws iam put-role-policy --role-name SupportTeam --policy-name Cases --policy-document file://SupportTeam-Cases-baseline.json\` (SupportTeam-Cases-baseline.json: inline policy Cases of the baseline of ${ROLE} in the guard's baseline table)`,
    )
  })
})
