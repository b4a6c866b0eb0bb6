import {
  GetAccountAuthorizationDetailsCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  IAMClient,
  ListAttachedRolePoliciesCommand,
  ListRolePoliciesCommand,
} from '@aws-sdk/client-iam'
import { mockClient } from 'aws-sdk-client-mock'
import { beforeEach, describe, expect, it } from 'vitest'
import { IamAccountReader } from '#shared/aws/account-reader.ts'
import { IamReader } from '#shared/aws/iam-reader.ts'
import { evaluateAccount } from '#shared/evaluator/evaluate-account.ts'

/* The Lambda functions read IAM live: an odd principal in a live answer is treated as it is in an export. */

const iamMock = mockClient(IAMClient)
const ACCOUNT = '123456789012'
const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/SupportTeam`
const trust = {
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'sts:AssumeRole' },
  ],
}
const allowSupport = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 'support:*', Resource: '*' }],
}
const urlEncoded = (document: unknown) => encodeURIComponent(JSON.stringify(document))

beforeEach(() => iamMock.reset())

describe('a whole-account live read (audit function, bulk detect reads)', () => {
  it('skips a role without a name by its ARN and reads the rest', async () => {
    iamMock.on(GetAccountAuthorizationDetailsCommand).resolves({
      RoleDetailList: [
        { Arn: `arn:aws:iam::${ACCOUNT}:role/odd`, AssumeRolePolicyDocument: urlEncoded(trust) },
        { RoleName: 'SupportTeam', Arn: ROLE_ARN, AssumeRolePolicyDocument: urlEncoded(trust) },
      ],
      UserDetailList: [{ UserName: 'dev', Arn: `arn:aws:iam::${ACCOUNT}:user/dev` }],
      IsTruncated: false,
    })
    const snapshot = await new IamAccountReader(new IAMClient({})).readAccount(ACCOUNT)
    expect(snapshot.roles.map((role) => role.name)).toEqual(['SupportTeam'])
    expect(snapshot.users.map((user) => user.name)).toEqual(['dev'])
    expect(snapshot.issues).toEqual([
      {
        policy: `role arn:aws:iam::${ACCOUNT}:role/odd`,
        path: 'RoleDetailList[0]',
        message: 'the role name (RoleName) is missing; skipped: the role is not audited',
        skipped: true,
      },
    ])
  })
})

describe('a one-principal live read (detect function)', () => {
  function mockRole(role: { AssumeRolePolicyDocument?: string }, inline: Record<string, string | undefined>) {
    iamMock.on(GetRoleCommand).resolves({
      Role: {
        RoleName: 'SupportTeam',
        Arn: ROLE_ARN,
        Path: '/',
        RoleId: 'AROAEXAMPLE',
        CreateDate: new Date('2024-01-01T00:00:00Z'),
        ...role,
      },
    })
    iamMock.on(ListAttachedRolePoliciesCommand).resolves({ AttachedPolicies: [] })
    iamMock.on(ListRolePoliciesCommand).resolves({ PolicyNames: Object.keys(inline) })
    for (const [name, document] of Object.entries(inline)) {
      iamMock.on(GetRolePolicyCommand, { PolicyName: name }).resolves({
        RoleName: 'SupportTeam',
        PolicyName: name,
        ...(document ? { PolicyDocument: document } : {}),
      })
    }
  }

  it('keeps an inline policy whose answer has no document, evaluated as granting nothing', async () => {
    mockRole(
      { AssumeRolePolicyDocument: urlEncoded(trust) },
      { empty: undefined, 'allow-support': urlEncoded(allowSupport) },
    )
    const role = await new IamReader(new IAMClient({})).readRole('SupportTeam')
    expect(role?.inline).toEqual([
      { name: 'empty', document: undefined },
      { name: 'allow-support', document: allowSupport },
    ])
    const evaluation = evaluateAccount(stateOf(role))
    expect(evaluation.principals[0]?.decisions['support:CreateCase']).toBe('allow')
    expect(evaluation.issues).toEqual([
      { policy: `${ROLE_ARN}#inline/empty`, path: '', message: 'the policy document is missing' },
    ])
  })

  it('audits a role whose answer has no trust policy, as assumable by no one, and names it', async () => {
    mockRole({}, { 'allow-support': urlEncoded(allowSupport) })
    const role = await new IamReader(new IAMClient({})).readRole('SupportTeam')
    const evaluation = evaluateAccount(stateOf(role))
    expect(evaluation.principals[0]?.decisions['support:CreateCase']).toBe('allow')
    expect(evaluation.issues).toEqual([
      {
        policy: 'role SupportTeam',
        path: '',
        message:
          'the trust policy (AssumeRolePolicyDocument) is missing; the role is evaluated as assumable by no one',
      },
    ])
  })
})

function stateOf(role: Awaited<ReturnType<IamReader['readRole']>>) {
  if (!role) throw new Error('the role was not read')
  return {
    accountId: ACCOUNT,
    users: [],
    groups: [],
    roles: [role],
    policies: [],
    slackChannelConfigurations: [],
  }
}
