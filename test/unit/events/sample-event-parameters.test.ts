import { describe, expect, it } from 'vitest'
import { loadSampleEvent, parseSampleChange } from './load-sample-event.ts'
import { parseClassified } from './parse-classified.ts'
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

describe('parameters read from the samples of other services (with the whole request)', () => {
  const sample = (file: string) => parseClassified(loadSampleEvent(`support-and-federation/${file}`))
  const KEY = `arn:aws:kms:us-east-1:${ACCT}:key/7d3e9b41-2c6a-4f0e-9b1d-5a8c2e4f6b10`

  it('reads the unbounded permit: all actions, all resources in the Region, no time window', () => {
    const change = sample('create-support-permit-unbounded.json')
    expect(change.parameters.supportPermit).toEqual({
      name: 'OutageInvestigation',
      actions: 'all',
      resources: 'all-in-region',
      kmsKeyArn: KEY,
      supportCaseDisplayId: '176512345601',
      description: 'Let AWS Support investigate the checkout outage',
    })
    expect(change.response.permitArn).toMatch(/:supportpermit\/a1c4e7f0-/)
  })

  it('reads the scoped permit: two actions, one resource, an end time', () => {
    expect(sample('create-support-permit-scoped.json').parameters.supportPermit).toMatchObject({
      name: 'OrdersDbLogs',
      actions: ['rds:DescribeDBInstances', 'rds:DownloadDBLogFilePortion'],
      resources: [`arn:aws:rds:us-east-1:${ACCT}:db:orders-prod`],
      allowBefore: '2026-07-16T18:00:00Z',
    })
  })

  it('reads the deleted permit and the rejected operator request', () => {
    expect(sample('delete-support-permit.json').parameters).toEqual({
      supportPermitIdentifier: expect.stringMatching(
        /^arn:aws:supportauthz:us-east-1:\d{12}:supportpermit\//,
      ),
    })
    expect(sample('reject-support-permit-request.json').parameters.permitRequestArn).toMatch(
      /:supportpermitrequest\//,
    )
  })

  it('keeps a Support Plans request as sent', () => {
    expect(sample('start-support-plan-update.json').parameters).toEqual({
      opaqueRequest: { supportPlan: 'DEVELOPER' },
    })
  })

  it('reads the SAML provider name and tags, and the OIDC issuer and audiences', () => {
    expect(sample('create-saml-provider.json').parameters).toEqual({
      providerName: 'PartnerIdP',
      tagKeys: ['owner'],
    })
    expect(sample('create-open-id-connect-provider.json').parameters).toEqual({
      providerUrl: 'https://token.actions.githubusercontent.com',
      clientIds: ['sts.amazonaws.com'],
    })
    expect(sample('add-client-id-to-open-id-connect-provider.json').parameters.clientIds).toEqual([
      'partner-deploy',
    ])
  })

  it('reads the account assignment: permission set, principal and account', () => {
    expect(sample('create-account-assignment.json').parameters).toEqual({
      instanceArn: 'arn:aws:sso:::instance/ssoins-7223a1b2c3d4e5f6',
      permissionSetArn: 'arn:aws:sso:::permissionSet/ssoins-7223a1b2c3d4e5f6/ps-4e9a1b2c3d4e5f60',
      targetAccountId: ACCT,
      identityCenterPrincipal: 'USER 9067c2e4-50a1-70b5-1d2e-3f4a5b6c7d8e',
    })
  })

  it('reads the policies a permission set is given', () => {
    expect(sample('attach-managed-policy-to-permission-set.json').parameters.managedPolicyArn).toBe(
      'arn:aws:iam::aws:policy/AWSSupportAccess',
    )
    expect(
      sample('attach-customer-managed-policy-reference-to-permission-set.json').parameters
        .customerManagedPolicy,
    ).toBe('/SupportCasesScoped')
    expect(sample('put-permissions-boundary-to-permission-set.json').parameters).not.toHaveProperty(
      'permissionsBoundary',
    )
    expect(sample('create-permission-set.json').parameters.permissionSetName).toBe('SupportCaseManagers')
  })
})
