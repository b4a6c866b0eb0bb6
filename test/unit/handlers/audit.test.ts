import { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge'
import { GetAccountAuthorizationDetailsCommand, IAMClient } from '@aws-sdk/client-iam'
import { DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb'
import { mockClient } from 'aws-sdk-client-mock'
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { BASELINE_TABLE, FINDINGS_BUS, prepareColdStart, restoreEnv } from '../helpers/handler-env.ts'
import { SUPPORT_ACCESS_DOCUMENT, urlEncoded } from '../helpers/iam-mocks.ts'
import { makeLambdaContext } from '../helpers/lambda-context.ts'

const dynamo = mockClient(DynamoDBClient)
const doc = mockClient(DynamoDBDocumentClient)
const iam = mockClient(IAMClient)
const bus = mockClient(EventBridgeClient)
const context = makeLambdaContext('support-guard-audit')
const SUPPORT_ACCESS = 'arn:aws:iam::aws:policy/AWSSupportAccess'
const CONFIG = {
  supportPrincipals: { required: ['arn:aws:iam::*:role/SupportTeam'], approved: [] },
  supportApp: { roles: [], access: 'full' },
}
const trustAccount = urlEncoded({
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::123456789012:root' }, Action: 'sts:AssumeRole' },
  ],
})

/** SupportTeam with AWSSupportAccess (compliant), contractor-temp with it too (not allowed), no AWSServiceRoleForSupport. */
const ACCOUNT = {
  UserDetailList: [
    {
      UserName: 'contractor-temp',
      UserId: 'AIDAEXAMPLECONTRACTOR',
      Arn: 'arn:aws:iam::123456789012:user/contractor-temp',
      Path: '/',
      CreateDate: new Date('2025-01-01T00:00:00Z'),
      GroupList: [],
      AttachedManagedPolicies: [{ PolicyName: 'AWSSupportAccess', PolicyArn: SUPPORT_ACCESS }],
      UserPolicyList: [],
    },
  ],
  GroupDetailList: [],
  RoleDetailList: [
    {
      RoleName: 'SupportTeam',
      RoleId: 'AROAEXAMPLESUPPORT',
      Arn: 'arn:aws:iam::123456789012:role/SupportTeam',
      Path: '/',
      CreateDate: new Date('2024-01-01T00:00:00Z'),
      AssumeRolePolicyDocument: trustAccount,
      AttachedManagedPolicies: [{ PolicyName: 'AWSSupportAccess', PolicyArn: SUPPORT_ACCESS }],
      RolePolicyList: [],
      InstanceProfileList: [],
    },
  ],
  Policies: [
    {
      PolicyName: 'AWSSupportAccess',
      PolicyId: 'ANPAEXAMPLESUPPORT',
      Arn: SUPPORT_ACCESS,
      Path: '/',
      DefaultVersionId: 'v2',
      AttachmentCount: 2,
      IsAttachable: true,
      PolicyVersionList: [
        { VersionId: 'v2', IsDefaultVersion: true, Document: urlEncoded(SUPPORT_ACCESS_DOCUMENT) },
      ],
    },
  ],
  IsTruncated: false,
}

async function loadHandler() {
  prepareColdStart({ GUARD_CONFIG: JSON.stringify(CONFIG) })
  return (await import('../../../functions/audit/handler.ts')).handler
}

beforeEach(() => {
  dynamo.reset()
  doc.reset()
  iam.reset()
  bus.reset()
  iam.on(GetAccountAuthorizationDetailsCommand).resolves(ACCOUNT)
  doc.on(QueryCommand).resolves({ Items: [] })
  doc.on(PutCommand).resolves({})
  bus.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [] })
  // The Support App listing goes through fetch: answer it here, never over the network.
  supportApp.mockReset()
  supportApp.mockResolvedValue(
    new Response(
      JSON.stringify({
        slackChannelConfigurations: [
          {
            teamId: 'T1',
            channelId: 'C1',
            channelRoleArn: 'arn:aws:iam::123456789012:role/MissingChannelRole',
          },
        ],
      }),
      { status: 200 },
    ),
  )
})

const supportApp = vi.fn<typeof fetch>()
vi.stubGlobal('fetch', supportApp)

afterAll(() => {
  restoreEnv()
  vi.unstubAllGlobals()
})

describe('audit handler', () => {
  it('audits the account it runs in and puts its findings on the bus', async () => {
    const handler = await loadHandler()

    const summary = await handler({ source: 'aws.scheduler' }, context)

    expect(summary).toMatchObject({ accountId: '123456789012', principals: 2 })
    const entries = bus.commandCalls(PutEventsCommand).flatMap((call) => call.args[0].input.Entries ?? [])
    expect(entries).toHaveLength((summary as { findings: number }).findings)
    for (const entry of entries) {
      expect(entry).toMatchObject({
        EventBusName: FINDINGS_BUS,
        Source: 'support-guard',
        DetailType: 'Support Access Finding',
      })
    }
    const details = entries.map((entry) => JSON.parse(entry.Detail ?? '{}'))
    expect(details.map((detail) => `${detail.rule} ${detail.principalArn}`)).toEqual(
      expect.arrayContaining([
        'SUPPORT_ACCESS_GRANTED arn:aws:iam::123456789012:user/contractor-temp',
        'SLR_MISSING arn:aws:iam::123456789012:role/aws-service-role/support.amazonaws.com/AWSServiceRoleForSupport',
        // From the Support App's channel list: the channel names a role the account does not have.
        'SUPPORT_APP_TRUST_INVALID arn:aws:iam::123456789012:role/MissingChannelRole',
      ]),
    )
    const [url, init] = supportApp.mock.calls[0] ?? []
    expect(String(url)).toContain('/control/list-slack-channel-configurations')
    expect(init?.method).toBe('POST')
    for (const detail of details) expect(detail).toMatchObject({ mode: 'monitor', accountId: '123456789012' })
  })

  it('records the compliant required role as a baseline in the account partition', async () => {
    const handler = await loadHandler()
    await handler({}, context)
    const puts = doc.commandCalls(PutCommand).map((call) => call.args[0].input)
    expect(puts).toHaveLength(1)
    expect(puts[0]).toMatchObject({
      TableName: BASELINE_TABLE,
      Item: {
        pk: 'ACCOUNT#123456789012',
        sk: 'BASELINE#arn:aws:iam::123456789012:role/SupportTeam',
        baseline: { name: 'SupportTeam', attached: [SUPPORT_ACCESS], source: 'audit' },
      },
    })
    expect(doc.commandCalls(QueryCommand)[0]?.args[0].input.ExpressionAttributeValues).toMatchObject({
      ':pk': 'ACCOUNT#123456789012',
    })
  })

  it('rethrows an IAM read failure so the scheduled run is retried', async () => {
    const handler = await loadHandler()
    iam
      .on(GetAccountAuthorizationDetailsCommand)
      .rejects(Object.assign(new Error('denied'), { name: 'AccessDenied' }))
    await expect(handler({}, context)).rejects.toMatchObject({ name: 'IamReadError' })
    expect(bus.calls()).toHaveLength(0)
  })
})
