import { describe, expect, it } from 'vitest'
import { parseSampleChange } from './load-sample-event.ts'
import { ACCT, policy, QUOTAS_SLR, role } from './sample-event-expectations.ts'

describe('parameters read from the samples', () => {
  it('keeps the policy document of CreatePolicyVersion as the JSON string sent, with setAsDefault and the new version', () => {
    const change = parseSampleChange('create-policy-version.json')
    expect(typeof change.parameters.policyDocument).toBe('string')
    expect(JSON.parse(String(change.parameters.policyDocument))).toMatchObject({ Version: '2012-10-17' })
    expect(change.parameters).toMatchObject({ policyArn: policy('SupportTeamAccess'), setAsDefault: true })
    expect(change.response).toEqual({ versionId: 'v4' })
  })

  it('reads the Deny support:* statement of PutRolePolicy as sent', () => {
    const change = parseSampleChange('put-role-policy.json')
    expect(change.parameters).toMatchObject({ roleName: 'SupportTeam', policyName: 'DenySupport' })
    expect(JSON.parse(String(change.parameters.policyDocument))).toMatchObject({
      Statement: [{ Effect: 'Deny', Action: 'support:*', Resource: '*' }],
    })
  })

  it('reads the created role ARN and the trust document of CreateRole', () => {
    const change = parseSampleChange('create-role.json')
    expect(change.response).toEqual({ roleArn: role('PartnerSupportAccess') })
    expect(String(change.parameters.policyDocument)).toContain('arn:aws:iam::210987654321:root')
    expect(change.actor).toMatchObject({ type: 'AssumedRole', invokedBy: 'cloudformation.amazonaws.com' })
  })

  it('reads the created policy ARN of CreatePolicy', () => {
    expect(parseSampleChange('create-policy.json').response).toEqual({
      policyArn: policy('SupportCasesScoped'),
    })
  })

  it('reads the service name of CreateServiceLinkedRole, which CloudTrail spells aWSServiceName', () => {
    const change = parseSampleChange('create-service-linked-role.json')
    expect(change.parameters.awsServiceName).toBe('servicequotas.amazonaws.com')
    expect(change.response.roleArn).toBe(QUOTAS_SLR)
  })

  it('reads tag keys from TagRole pairs and from UntagRole keys', () => {
    expect(parseSampleChange('tag-role.json').parameters.tagKeys).toEqual(['access-tier', 'owner'])
    expect(parseSampleChange('untag-role.json').parameters.tagKeys).toEqual(['owner', 'support-app'])
  })

  it('reads the Support App channel fields', () => {
    expect(parseSampleChange('update-slack-channel-configuration.json').parameters).toEqual({
      teamId: 'T07QK2M9R4B',
      channelId: 'C07R3N8UX1F',
      channelRoleArn: role('Admin'),
    })
    const deleted = parseSampleChange('delete-slack-channel-configuration.json')
    expect(deleted.parameters).toEqual({ teamId: 'T07QK2M9R4B', channelId: 'C07R3N8UX1F' })
    expect(deleted.eventSource).toBe('supportapp.amazonaws.com')
  })

  it('keeps the error message of a failed attempt', () => {
    const change = parseSampleChange('delete-service-linked-role-support-failed.json')
    expect(change.errorMessage).toContain("protected role 'AWSServiceRoleForSupport'")
    expect(change.parameters).toEqual({ roleName: 'AWSServiceRoleForSupport' })
  })

  it('describes the root caller and the AWS service caller', () => {
    expect(parseSampleChange('delete-role.json').actor).toMatchObject({ type: 'Root', accountId: ACCT })
    expect(parseSampleChange('create-service-linked-role-trusted-advisor.json').actor).toEqual({
      type: 'AWSService',
      invokedBy: 'trustedadvisor.amazonaws.com',
    })
  })
})
