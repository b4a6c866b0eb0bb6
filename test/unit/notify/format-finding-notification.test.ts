import { describe, expect, it } from 'vitest'
import { RULE_IDS } from '#shared/config/rules.ts'
import { formatFindingNotification } from '#shared/notify/format-notification.ts'
import {
  ACTOR,
  EVENT_TIME,
  makeChange,
  makeFindingDetail,
  RULE_SAMPLES,
  SOURCE_IP,
} from './sample-details.ts'

describe('formatFindingNotification for every rule', () => {
  it.each(RULE_IDS.map((rule) => ({ rule })))('$rule: subject, attributes and body', ({ rule }) => {
    const detail = makeFindingDetail(rule, 'monitor')
    const notification = formatFindingNotification(detail)

    expect(notification.subject.length).toBeLessThan(100)
    expect(notification.subject.startsWith(`[${detail.severity.toUpperCase()}] ${rule}`)).toBe(true)
    expect(notification.subject).toMatch(/^[\x20-\x7e]+$/)
    expect(notification.attributes).toEqual({ severity: detail.severity, rule, outcome: 'open' })

    const { body } = notification
    expect(body).toContain(detail.id)
    expect(body).toContain(detail.accountId)
    expect(body).toContain(detail.detail)
    expect(body).toContain(detail.principalArn)
    expect(body).toContain('What the guard did (mode: monitor)')
    expect(body).toContain('Nothing written')
    if (RULE_SAMPLES[rule].change === undefined) {
      expect(body).toContain('scheduled audit')
    } else {
      const change = RULE_SAMPLES[rule].change
      expect(body).toContain(`Who:`)
      expect(body).toContain(change?.actorArn)
      expect(body).toContain(EVENT_TIME)
      expect(body).toContain(change?.sourceIp)
      expect(body).toContain(change?.eventName)
      expect(body).not.toContain('scheduled audit')
    }
  })

  it('leads the SLR deletion attempt subject exactly as designed', () => {
    const notification = formatFindingNotification(makeFindingDetail('SLR_DELETION_ATTEMPT'))
    expect(notification.subject).toBe(
      '[CRITICAL] SLR_DELETION_ATTEMPT: AWSServiceRoleForSupport deletion attempted',
    )
  })
})

describe('what happened', () => {
  it('shows who, what, when, from where and the failed status with its error code', () => {
    const { body } = formatFindingNotification(makeFindingDetail('SLR_DELETION_ATTEMPT'))
    expect(body).toMatch(
      /Action:\s+DeleteServiceLinkedRole \(failed with UnmodifiableEntity \(attempt only\)\)/,
    )
    expect(body).toMatch(new RegExp(`Who:\\s+${ACTOR}`))
    expect(body).toMatch(new RegExp(`When:\\s+${EVENT_TIME}`))
    expect(body).toMatch(new RegExp(`From:\\s+${SOURCE_IP.replaceAll('.', '\\.')}`))
    expect(body).toMatch(/User agent:\s+aws-cli\/2\.22\.35/)
    expect(body).toContain('roleName=AWSServiceRoleForSupport')
    expect(body).toMatch(/CloudTrail event:\s+ebfff22f-6590-4523-ab63-7a1fc5779580/)
  })

  it('says succeeded for a call that took effect, and lists the policy ARN first among the parameters', () => {
    const { body } = formatFindingNotification(makeFindingDetail('SUPPORT_ACCESS_LOST'))
    expect(body).toMatch(/Action:\s+DetachRolePolicy \(succeeded\)/)
    expect(body).toMatch(
      /Parameters:\s+policyArn=arn:aws:iam::aws:policy\/AWSSupportAccess, roleName=SupportTeam/,
    )
  })

  it('decodes a URL-encoded policy document in the parameters', () => {
    const { body } = formatFindingNotification(makeFindingDetail('SUPPORT_APP_TRUST_INVALID'))
    expect(body).toContain('policyDocument:')
    expect(body).toContain('"Principal":{"AWS":"210987654321"}')
    expect(body).not.toContain('%7B')
  })

  it('says where the document the change sent is read in full: the event, and IAM now', () => {
    const { body } = formatFindingNotification(makeFindingDetail('SUPPORT_APP_TRUST_INVALID'))
    expect(body).toMatch(
      /Full document: +requestParameters\.policyDocument of the event: aws cloudtrail lookup-events --region us-east-1 --lookup-attributes AttributeKey=EventId,AttributeValue=ebfff22f-6590-4523-ab63-7a1fc5779580/,
    )
    expect(body).toMatch(
      /In IAM now: +aws iam get-role --role-name AWSSupportAppRole --query Role\.AssumeRolePolicyDocument/,
    )
  })

  it('a failed call gets no "In IAM now": it changed nothing there', () => {
    const change = makeChange({
      eventName: 'PutRolePolicy',
      failed: true,
      errorCode: 'AccessDenied',
      parameters: { roleName: 'SupportTeam', policyName: 'P', policyDocument: '{"Statement":[]}' },
    })
    const { body } = formatFindingNotification(
      makeFindingDetail('SUPPORT_ACCESS_LOST', 'monitor', { change }),
    )
    expect(body).toContain('Full document:')
    expect(body).not.toContain('In IAM now')
  })

  it('a planned document write reads a file and says the baseline holds it, never pasting the document', () => {
    const { body, chatbot } = formatFindingNotification(makeFindingDetail('SUPPORT_APP_TRUST_INVALID'))
    expect(body).toContain(
      '- aws iam update-assume-role-policy --role-name AWSSupportAppRole --policy-document file://AWSSupportAppRole-trust-policy-baseline.json',
    )
    expect(body).toContain(
      'AWSSupportAppRole-trust-policy-baseline.json holds: {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"supportapp.amazonaws.com"},"Action":"sts:AssumeRole"}]}',
    )
    expect(body).toContain("in the guard's baseline table: aws dynamodb get-item")
    expect(body).not.toContain("--policy-document '")
    expect(chatbot.content.nextSteps[0]).toBe(
      "To revert it yourself: `aws iam update-assume-role-policy --role-name AWSSupportAppRole --policy-document file://AWSSupportAppRole-trust-policy-baseline.json` (AWSSupportAppRole-trust-policy-baseline.json: the trust policy of role AWSSupportAppRole of the baseline of arn:aws:iam::123456789012:role/AWSSupportAppRole in the guard's baseline table)",
    )
  })

  it('says how many roles and users the guard checked for the change', () => {
    const change = makeChange({ principalsChecked: 1000 })
    const { body } = formatFindingNotification(
      makeFindingDetail('SUPPORT_ACCESS_LOST', 'monitor', { change }),
    )
    expect(body).toMatch(/Checked: +1,000 roles and users the change reaches/)
    const { body: without } = formatFindingNotification(makeFindingDetail('SUPPORT_ACCESS_LOST'))
    expect(without).not.toContain('Checked:')
  })

  it('marks an unknown source IP instead of leaving it out', () => {
    const change = makeChange({ sourceIp: undefined })
    const { body } = formatFindingNotification(
      makeFindingDetail('SUPPORT_ACCESS_LOST', 'monitor', { change }),
    )
    expect(body).toMatch(/From:\s+unknown source IP/)
  })

  it('includes an evidence summary', () => {
    const { body } = formatFindingNotification(makeFindingDetail('NO_SUPPORT_ROLE'))
    expect(body).toContain('Evidence:')
    expect(body).toContain('checked: ["support:CreateCase","support:DescribeCases"]')
  })

  it('bounds long evidence values', () => {
    const evidence = { statements: 'x'.repeat(5000) }
    const { body } = formatFindingNotification(makeFindingDetail('NO_SUPPORT_ROLE', 'monitor', { evidence }))
    expect(body).toContain(`statements: ${'x'.repeat(297)}...`)
    expect(body).not.toContain('x'.repeat(301))
  })
})

describe('what the guard did', () => {
  it('monitor with a plan: nothing written, lists what enforce mode would do', () => {
    const { body } = formatFindingNotification(makeFindingDetail('SUPPORT_ACCESS_LOST', 'monitor'))
    expect(body).toContain('Nothing written (monitor mode); in enforce mode the guard would:')
    expect(body).toContain(
      '- aws iam attach-role-policy --role-name SupportTeam --policy-arn arn:aws:iam::aws:policy/AWSSupportAccess',
    )
    expect(body).toContain('Why: Undo the change behind SUPPORT_ACCESS_LOST.')
    expect(body).toContain('What to do')
    expect(body).toContain('- Manual step for SUPPORT_ACCESS_LOST.')
    expect(body).not.toContain('Revert requested')
  })

  it('monitor without a plan: nothing written, no automatic revert, manual steps', () => {
    const { body } = formatFindingNotification(makeFindingDetail('NO_SUPPORT_ROLE', 'monitor'))
    expect(body).toContain('Nothing written (monitor mode). No automatic revert exists for this finding.')
    expect(body).toContain('- Manual step for NO_SUPPORT_ROLE.')
  })

  it('enforce with a plan: revert requested with the steps', () => {
    const { body } = formatFindingNotification(
      makeFindingDetail('SUPPORT_APP_EXCESSIVE_PERMISSIONS', 'enforce'),
    )
    expect(body).toContain('What the guard did (mode: enforce)')
    expect(body).toContain('Revert requested')
    expect(body).toContain(
      'aws iam detach-role-policy --role-name AWSSupportAppRole --policy-arn arn:aws:iam::aws:policy/AdministratorAccess',
    )
    expect(body).not.toContain('Nothing written')
  })

  it('enforce without a plan: no automatic revert, the manual steps once', () => {
    const { body } = formatFindingNotification(makeFindingDetail('SUPPORT_ACCESS_GRANTED', 'enforce'))
    expect(body).toContain('No automatic revert:')
    expect(body.split('Manual step for SUPPORT_ACCESS_GRANTED.')).toHaveLength(2)
    expect(body).not.toContain('What to do')
  })

  it('enforce with a plan the finding does not mark automatic: no revert is claimed', () => {
    const detail = makeFindingDetail('SUPPORT_ACCESS_LOST', 'enforce', {
      remediation: { automatic: false, steps: ['Re-attach by hand.'] },
    })
    const { body } = formatFindingNotification(detail)
    expect(body).toContain('Nothing written: enforce mode leaves this finding alone')
    expect(body).not.toContain('Revert requested')
  })

  it('a withheld revert says what enforce mode would have done and why it did not', () => {
    const detail = makeFindingDetail('SUPPORT_ACCESS_GRANTED', 'enforce', {
      remediation: { automatic: false, steps: [] },
      withheld: 'SUPPORT_ACCESS_GRANTED is not in enforceRules',
      plan: {
        steps: [
          {
            action: 'detach-policy',
            principalType: 'user',
            principalName: 'contractor-temp',
            policyArn: 'arn:aws:iam::aws:policy/AWSSupportAccess',
          },
        ],
        reason: 'undo AttachUserPolicy',
      },
    })
    const { body } = formatFindingNotification(detail)
    expect(body).toContain(
      'Nothing written: enforce mode leaves this finding alone (SUPPORT_ACCESS_GRANTED is not in enforceRules).',
    )
    expect(body).toContain('The revert it would otherwise take:')
    expect(body).toContain('aws iam detach-user-policy --user-name contractor-temp')
    expect(body).not.toContain('Revert requested')
  })
})

describe('subject safety', () => {
  it('truncates a long title with an ellipsis under 100 characters', () => {
    const title = `Role ${'VeryLongRoleName'.repeat(12)} lost support access`
    const { subject } = formatFindingNotification(
      makeFindingDetail('SUPPORT_ACCESS_LOST', 'monitor', { title }),
    )
    expect(subject.length).toBeLessThan(100)
    expect(subject.endsWith('...')).toBe(true)
    expect(subject.startsWith('[HIGH] SUPPORT_ACCESS_LOST: Role VeryLongRoleName')).toBe(true)
  })

  it('strips line breaks and non-ASCII characters from the title', () => {
    const title = 'Rôle\nSupportTeam — lost\taccess ✓'
    const { subject } = formatFindingNotification(
      makeFindingDetail('SUPPORT_ACCESS_LOST', 'monitor', { title }),
    )
    expect(subject).toBe('[HIGH] SUPPORT_ACCESS_LOST: Role SupportTeam ? lost access ?')
  })
})

describe('chatbot message', () => {
  it('follows the custom notification schema', () => {
    const detail = makeFindingDetail('SUPPORT_ACCESS_LOST', 'monitor')
    const { chatbot, subject } = formatFindingNotification(detail)
    expect(chatbot).toMatchObject({
      version: '1.0',
      source: 'custom',
      content: { textType: 'client-markdown', title: subject },
      metadata: {
        threadId: detail.id,
        summary: subject,
        eventType: 'Support Access Finding',
        additionalContext: {
          severity: 'high',
          rule: 'SUPPORT_ACCESS_LOST',
          outcome: 'open',
          findingId: detail.id,
          accountId: '123456789012',
          mode: 'monitor',
        },
      },
    })
    expect(chatbot.content.description).toContain(ACTOR)
    expect(chatbot.content.description).toContain('in enforce mode the guard would')
    expect(chatbot.content.nextSteps).toEqual([
      'To revert it yourself: `aws iam attach-role-policy --role-name SupportTeam --policy-arn arn:aws:iam::aws:policy/AWSSupportAccess`',
      'Manual step for SUPPORT_ACCESS_LOST.',
    ])
    expect(chatbot.content.keywords).toEqual(['high', 'SUPPORT_ACCESS_LOST', 'monitor', 'open'])
    expect(chatbot.metadata.relatedResources).toEqual([detail.principalArn])
    for (const value of Object.values(chatbot.metadata.additionalContext)) expect(typeof value).toBe('string')
  })

  it('round-trips through JSON unchanged', () => {
    const { chatbot } = formatFindingNotification(makeFindingDetail('SUPPORT_APP_TRUST_INVALID', 'enforce'))
    expect(JSON.parse(JSON.stringify(chatbot))).toEqual(chatbot)
  })
})

describe('chat description layout', () => {
  it('aligns labels in text but not in chat', () => {
    const notification = formatFindingNotification(makeFindingDetail('SUPPORT_ACCESS_LOST'))
    expect(notification.body).toMatch(/\n {2}Who: {2,}arn:/)
    expect(notification.chatbot.content.description).toContain(`\nWho: ${ACTOR}\n`)
  })
})
