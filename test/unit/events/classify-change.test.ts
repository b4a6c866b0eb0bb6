import { describe, expect, it } from 'vitest'
import { parseChangeEvent } from '#shared/events/parse-change-event.ts'
import type { ChangeEvent } from '#shared/events/types.ts'
import { buildRecord, wrapInEnvelope } from './build-test-event.ts'

const ACCT = '123456789012'
const SUPPORT_SLR = `arn:aws:iam::${ACCT}:role/aws-service-role/support.amazonaws.com/AWSServiceRoleForSupport`

function classify(input: unknown): ChangeEvent {
  const outcome = parseChangeEvent(input)
  if (outcome.status !== 'change') throw new Error(`expected a change, got ${JSON.stringify(outcome)}`)
  return outcome.change
}

const sessionIssuer = { type: 'Role', arn: `arn:aws:iam::${ACCT}:role/ops/Admin`, accountId: ACCT }
const sessionArn = `arn:aws:sts::${ACCT}:assumed-role/Admin/deploy`

describe('actorArn', () => {
  it.each([
    [
      'an assumed role: the session issuer role',
      { type: 'AssumedRole', arn: sessionArn, sessionContext: { sessionIssuer } },
      sessionIssuer.arn,
    ],
    [
      'an assumed role without issuer: the session',
      { type: 'AssumedRole', arn: sessionArn, sessionContext: null },
      sessionArn,
    ],
    [
      'the root user: its ARN',
      { type: 'Root', arn: `arn:aws:iam::${ACCT}:root` },
      `arn:aws:iam::${ACCT}:root`,
    ],
    [
      'the root user without ARN: built from the account',
      { type: 'Root', accountId: '210987654321' },
      'arn:aws:iam::210987654321:root',
    ],
    [
      'an AWS service: the service',
      { type: 'AWSService', invokedBy: 'support.amazonaws.com' },
      'support.amazonaws.com',
    ],
    ['an AWS service without invokedBy', { type: 'AWSService' }, 'unknown'],
    [
      'an IAM user: its ARN',
      { type: 'IAMUser', arn: `arn:aws:iam::${ACCT}:user/ops-admin` },
      `arn:aws:iam::${ACCT}:user/ops-admin`,
    ],
    ['an Identity Center user without ARN', { type: 'IdentityCenterUser', accountId: ACCT }, 'unknown'],
    ['no identity at all', undefined, 'unknown'],
  ])('for %s', (_name, userIdentity, actorArn) => {
    expect(classify(buildRecord({ userIdentity })).actorArn).toBe(actorArn)
  })

  it('keeps the caller details, dropping fields the record does not carry', () => {
    const userIdentity = {
      type: 'AssumedRole',
      arn: sessionArn,
      principalId: 'AROAEXAMPLE:deploy',
      accessKeyId: 'ASIAEXAMPLE',
      invokedBy: 'cloudformation.amazonaws.com',
      sessionContext: { sessionIssuer },
    }
    expect(classify(buildRecord({ userIdentity })).actor).toEqual({
      type: 'AssumedRole',
      arn: sessionArn,
      sessionIssuerArn: sessionIssuer.arn,
      principalId: 'AROAEXAMPLE:deploy',
      accessKeyId: 'ASIAEXAMPLE',
      invokedBy: 'cloudformation.amazonaws.com',
    })
  })

  it('reads a missing userIdentity as an Unknown actor', () => {
    expect(classify(buildRecord({ userIdentity: undefined })).actor).toEqual({ type: 'Unknown' })
  })
})

describe('accountId and region', () => {
  it('prefers recipientAccountId, then the envelope account, then the caller account', () => {
    const caller = { type: 'IAMUser', accountId: '333333333333' }
    const record = buildRecord({ recipientAccountId: '111111111111', userIdentity: caller })
    const envelope = { account: '222222222222' }
    expect(classify(wrapInEnvelope(record, envelope)).accountId).toBe('111111111111')
    const withoutRecipient = buildRecord({ recipientAccountId: undefined, userIdentity: caller })
    expect(classify(wrapInEnvelope(withoutRecipient, envelope)).accountId).toBe('222222222222')
    expect(classify(withoutRecipient).accountId).toBe('333333333333')
  })

  it('rejects a change whose account nothing names', () => {
    const outcome = parseChangeEvent(
      buildRecord({ recipientAccountId: undefined, userIdentity: { type: 'IAMUser' } }),
    )
    expect(outcome.status === 'invalid' && outcome.error.path).toBe('recipientAccountId')
  })

  it('builds target ARNs in the account the call was made in', () => {
    const record = buildRecord({ recipientAccountId: '444444444444' })
    expect(classify(record).targets[0]).toBe('arn:aws:iam::444444444444:role/SupportTeam')
  })

  it('falls back to the envelope region when the record has none', () => {
    const record = buildRecord({ awsRegion: undefined })
    expect(classify(wrapInEnvelope(record, { region: 'eu-west-1' })).awsRegion).toBe('eu-west-1')
    expect(classify(record).awsRegion).toBeUndefined()
  })
})

describe('targets', () => {
  const target = (eventName: string, requestParameters: unknown, responseElements: unknown = null) =>
    classify(buildRecord({ eventName, requestParameters, responseElements })).targets

  it('uses the fixed path of protected service-linked roles, whatever the case of the name', () => {
    expect(target('DeleteServiceLinkedRole', { roleName: 'AWSServiceRoleForSupport' })).toEqual([SUPPORT_SLR])
    expect(target('DeleteServiceLinkedRole', { roleName: 'awsserviceroleforsupport' })).toEqual([SUPPORT_SLR])
    expect(target('PutRolePolicy', { roleName: 'AWSServiceRoleForServiceQuotas', policyName: 'x' })).toEqual([
      `arn:aws:iam::${ACCT}:role/aws-service-role/servicequotas.amazonaws.com/AWSServiceRoleForServiceQuotas`,
    ])
  })

  it('builds path-less ARNs for other roles, which events name without their path', () => {
    expect(target('DeleteServiceLinkedRole', { roleName: 'AWSServiceRoleForLexBots' })).toEqual([
      `arn:aws:iam::${ACCT}:role/AWSServiceRoleForLexBots`,
    ])
  })

  it('maps the service of CreateServiceLinkedRole to its role when the response has none', () => {
    expect(target('CreateServiceLinkedRole', { AWSServiceName: 'support.amazonaws.com' })).toEqual([
      SUPPORT_SLR,
    ])
    expect(target('CreateServiceLinkedRole', { awsServiceName: 'lex.amazonaws.com' })).toEqual([])
  })

  it('builds a created role or policy ARN from the request path when the response has none', () => {
    expect(target('CreateRole', { roleName: 'SupportTeam', path: '/support/' })).toEqual([
      `arn:aws:iam::${ACCT}:role/support/SupportTeam`,
    ])
    expect(target('CreatePolicy', { policyName: 'SupportCases', path: 'bad' })).toEqual([
      `arn:aws:iam::${ACCT}:policy/SupportCases`,
    ])
    const created = { policy: { arn: `arn:aws:iam::${ACCT}:policy/team/SupportCases` } }
    expect(target('CreatePolicy', { policyName: 'SupportCases' }, created)).toEqual([created.policy.arn])
  })

  it('reads the role of a deletion task, and nothing from a malformed one', () => {
    const deletionTaskId = 'task/aws-service-role/lex.amazonaws.com/AWSServiceRoleForLexBots/ec720f7a'
    expect(target('GetServiceLinkedRoleDeletionStatus', { deletionTaskId })).toEqual([
      `arn:aws:iam::${ACCT}:role/aws-service-role/lex.amazonaws.com/AWSServiceRoleForLexBots`,
    ])
    expect(target('GetServiceLinkedRoleDeletionStatus', { deletionTaskId: 'task/other' })).toEqual([])
  })

  it('lists a user before its group, and names each ARN once', () => {
    expect(target('AddUserToGroup', { userName: 'support-engineer', groupName: 'SupportEngineers' })).toEqual(
      [`arn:aws:iam::${ACCT}:user/support-engineer`, `arn:aws:iam::${ACCT}:group/SupportEngineers`],
    )
    const boundary = `arn:aws:iam::${ACCT}:policy/Boundary`
    expect(
      target('PutRolePermissionsBoundary', {
        roleName: 'R',
        permissionsBoundary: boundary,
        policyArn: boundary,
      }),
    ).toEqual([`arn:aws:iam::${ACCT}:role/R`, boundary])
  })

  it('targets the channel role of a Support App channel event', () => {
    const channelRoleArn = `arn:aws:iam::${ACCT}:role/AWSSupportAppRole`
    const record = buildRecord({
      eventSource: 'supportapp.amazonaws.com',
      eventName: 'UpdateSlackChannelConfiguration',
      requestParameters: { teamId: 'T1', channelId: 'C1', channelRoleArn },
    })
    expect(classify(record)).toMatchObject({ kind: 'support-app-channel', targets: [channelRoleArn] })
  })
})

describe('subjects', () => {
  const subjects = (eventName: string, requestParameters: unknown, responseElements: unknown = null) =>
    classify(buildRecord({ eventName, requestParameters, responseElements })).subjects

  it('names the request role, user and group once each, with the ARN the targets use', () => {
    expect(
      subjects('AddUserToGroup', { userName: 'support-engineer', groupName: 'SupportEngineers' }),
    ).toEqual([
      { type: 'user', name: 'support-engineer', arn: `arn:aws:iam::${ACCT}:user/support-engineer` },
      { type: 'group', name: 'SupportEngineers', arn: `arn:aws:iam::${ACCT}:group/SupportEngineers` },
    ])
    expect(subjects('DeleteServiceLinkedRole', { roleName: 'awsserviceroleforsupport' })).toEqual([
      { type: 'role', name: 'awsserviceroleforsupport', arn: SUPPORT_SLR },
    ])
  })

  it('takes a created role’s ARN from the response, else from the request path', () => {
    const arn = `arn:aws:iam::${ACCT}:role/partners/PartnerSupportAccess`
    expect(subjects('CreateRole', { roleName: 'PartnerSupportAccess' }, { role: { arn } })).toEqual([
      { type: 'role', name: 'PartnerSupportAccess', arn },
    ])
    expect(subjects('CreateRole', { roleName: 'PartnerSupportAccess', path: '/partners/' })).toEqual([
      { type: 'role', name: 'PartnerSupportAccess', arn },
    ])
  })

  it('names a Support App channel’s role by the name in its ARN', () => {
    const channelRoleArn = `arn:aws:iam::${ACCT}:role/support/AWSSupportAppRole`
    const record = buildRecord({
      eventSource: 'supportapp.amazonaws.com',
      eventName: 'UpdateSlackChannelConfiguration',
      requestParameters: { teamId: 'T1', channelId: 'C1', channelRoleArn },
    })
    expect(classify(record).subjects).toEqual([
      { type: 'role', name: 'AWSSupportAppRole', arn: channelRoleArn },
    ])
  })

  it('names nobody for calls that name no principal by name', () => {
    expect(subjects('CreateServiceLinkedRole', { AWSServiceName: 'support.amazonaws.com' })).toEqual([])
    expect(
      subjects('SetDefaultPolicyVersion', { policyArn: `arn:aws:iam::${ACCT}:policy/P`, versionId: 'v2' }),
    ).toEqual([])
  })
})

describe('document', () => {
  const DOC = { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 'support:*', Resource: '*' }] }
  const documentOf = (policyDocument: unknown) =>
    classify(
      buildRecord({
        eventName: 'PutRolePolicy',
        requestParameters: { roleName: 'SupportTeam', policyName: 'P', policyDocument },
      }),
    )

  it('decodes the policy document once, JSON or URL-encoded, and keeps the request as sent', () => {
    const text = JSON.stringify(DOC)
    expect(documentOf(text)).toMatchObject({ document: DOC, parameters: { policyDocument: text } })
    expect(documentOf(encodeURIComponent(text)).document).toEqual(DOC)
  })

  it('keeps text that does not decode as it was sent', () => {
    expect(documentOf('{"Statement": [').document).toBe('{"Statement": [')
  })

  it('is absent when the call sends no document', () => {
    expect(classify(buildRecord())).not.toHaveProperty('document')
  })
})
