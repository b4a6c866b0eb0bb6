import { describe, expect, it } from 'vitest'
import { formatRemediationNotification } from '#shared/notify/format-notification.ts'
import { ACTOR, EVENT_TIME, makeRemediationDetail, SOURCE_IP } from './sample-details.ts'

const ATTACH =
  'aws iam attach-role-policy --role-name SupportTeam --policy-arn arn:aws:iam::aws:policy/AWSSupportAccess'
const DETACH =
  'aws iam detach-role-policy --role-name SupportTeam --policy-arn arn:aws:iam::aws:policy/AWSSupportAccess'

describe('formatRemediationNotification', () => {
  it('reverted: subject, attributes, what the guard wrote and how to undo it', () => {
    const notification = formatRemediationNotification(makeRemediationDetail())
    expect(notification.subject).toBe(
      '[HIGH] SUPPORT_ACCESS_LOST reverted: SupportTeam no longer has support access',
    )
    expect(notification.attributes).toEqual({
      severity: 'high',
      rule: 'SUPPORT_ACCESS_LOST',
      outcome: 'reverted',
    })
    const { body } = notification
    expect(body).toContain('The guard reverted the change.')
    expect(body).toContain(
      'Reason: AWSSupportAccess was detached from the required support role SupportTeam.',
    )
    expect(body).toContain(`Applied:\n    - ${ATTACH}`)
    expect(body).toContain("How to undo the guard's revert")
    expect(body).toContain(`- ${DETACH}`)
    expect(body).toContain(ACTOR)
    expect(body).toContain(EVENT_TIME)
    expect(body).toContain(SOURCE_IP)
    expect(body).toContain('Finding: sag-supportaccesslost')
    expect(body).toContain('Account: 123456789012')
  })

  it('failed: says so in the subject, shows the error and the steps attempted', () => {
    const notification = formatRemediationNotification(
      makeRemediationDetail({ outcome: 'failed', error: 'IamWriteError: AccessDenied' }),
    )
    expect(notification.subject).toBe(
      '[HIGH] SUPPORT_ACCESS_LOST revert FAILED: SupportTeam no longer has support access',
    )
    expect(notification.attributes.outcome).toBe('failed')
    expect(notification.body).toContain('Error: IamWriteError: AccessDenied')
    expect(notification.body).toContain(`Attempted (some may not have been applied):\n    - ${ATTACH}`)
    expect(notification.body).toContain('Only for the steps that did apply')
    expect(notification.chatbot.content.nextSteps).toEqual([
      'Check the principal and finish the revert by hand:',
      `\`${ATTACH}\``,
    ])
  })

  it('skipped: nothing written and nothing to undo', () => {
    const notification = formatRemediationNotification(
      makeRemediationDetail({
        outcome: 'skipped',
        steps: [],
        reason: 'The change was made by an ignored actor.',
      }),
    )
    expect(notification.subject).toContain('revert skipped')
    expect(notification.attributes.outcome).toBe('skipped')
    expect(notification.body).toContain('Nothing written.')
    expect(notification.body).toContain('Nothing to undo: the guard wrote nothing.')
    expect(notification.chatbot.content.nextSteps).toEqual([
      'Review the finding by hand: The change was made by an ignored actor.',
    ])
  })

  it('refused: the subject and body say a finding event was refused and nothing written', () => {
    const notification = formatRemediationNotification(
      makeRemediationDetail({
        outcome: 'skipped',
        steps: [],
        refused: true,
        reason: "refused: the finding event asks for writes the guard's own plan does not contain",
      }),
    )
    expect(notification.subject).toContain('finding event REFUSED')
    expect(notification.subject.length).toBeLessThan(100)
    expect(notification.body).toContain('The guard refused a finding event')
    expect(notification.body).toContain('Nothing written.')
    expect(notification.attributes.outcome).toBe('skipped')
  })

  it('without a change: says the scheduled audit found it', () => {
    const { body } = formatRemediationNotification(makeRemediationDetail({ change: undefined }))
    expect(body).toContain('scheduled audit')
    expect(body).toContain(DETACH)
  })

  it('undoes several steps in reverse order', () => {
    const detail = makeRemediationDetail({
      steps: [
        { action: 'remove-user-from-group', userName: 'contractor-temp', groupName: 'SupportEngineers' },
        {
          action: 'detach-policy',
          principalType: 'user',
          principalName: 'contractor-temp',
          policyArn: 'arn:aws:iam::aws:policy/AWSSupportAccess',
        },
      ],
    })
    const { body } = formatRemediationNotification(detail)
    const attach = body.indexOf(
      'aws iam attach-user-policy --user-name contractor-temp --policy-arn arn:aws:iam::aws:policy/AWSSupportAccess',
    )
    const add = body.indexOf(
      'aws iam add-user-to-group --user-name contractor-temp --group-name SupportEngineers',
    )
    expect(attach).toBeGreaterThan(0)
    expect(add).toBeGreaterThan(attach)
  })

  it('chatbot: custom schema, threaded with the finding, undo commands as next steps', () => {
    const detail = makeRemediationDetail()
    const { chatbot, subject } = formatRemediationNotification(detail)
    expect(chatbot.version).toBe('1.0')
    expect(chatbot.source).toBe('custom')
    expect(chatbot.content.textType).toBe('client-markdown')
    expect(chatbot.content.title).toBe(subject)
    expect(chatbot.content.nextSteps).toEqual([`If the change was intended, undo the revert: \`${DETACH}\``])
    expect(chatbot.metadata.threadId).toBe(detail.findingId)
    expect(chatbot.metadata.eventType).toBe('Support Access Remediation')
    expect(chatbot.metadata.additionalContext).toEqual({
      severity: 'high',
      rule: 'SUPPORT_ACCESS_LOST',
      outcome: 'reverted',
      findingId: detail.findingId,
      accountId: detail.accountId,
    })
  })
})
