import { GetAccountAuthorizationDetailsCommand, IAMClient, IAMServiceException } from '@aws-sdk/client-iam'
import { mockClient } from 'aws-sdk-client-mock'
import { beforeEach, describe, expect, it } from 'vitest'
import { readAuthorizationDetails } from '#shared/aws/authorization-details.ts'
import { IamReadError } from '#shared/aws/iam-reader.ts'

const iamMock = mockClient(IAMClient)
const created = new Date('2024-05-01T12:00:00Z')
const encodedTrust = encodeURIComponent(
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Principal: { Service: 'supportapp.amazonaws.com' }, Action: 'sts:AssumeRole' },
    ],
  }),
)

function mockTwoPages(): void {
  iamMock
    .on(GetAccountAuthorizationDetailsCommand)
    .resolves({
      UserDetailList: [
        { UserName: 'dev-one', Arn: 'arn:aws:iam::123456789012:user/dev-one', CreateDate: created },
      ],
      RoleDetailList: [
        {
          RoleName: 'AWSSupportAppRole',
          Arn: 'arn:aws:iam::123456789012:role/AWSSupportAppRole',
          AssumeRolePolicyDocument: encodedTrust,
          CreateDate: created,
          RoleLastUsed: { LastUsedDate: created, Region: 'us-east-1' },
        },
      ],
      IsTruncated: true,
      Marker: 'page-2',
    })
    .on(GetAccountAuthorizationDetailsCommand, { Marker: 'page-2' })
    .resolves({
      GroupDetailList: [{ GroupName: 'Developers', Arn: 'arn:aws:iam::123456789012:group/Developers' }],
      Policies: [
        {
          Arn: 'arn:aws:iam::aws:policy/AWSSupportAppFullAccess',
          DefaultVersionId: 'v1',
          AttachmentCount: 1,
          PolicyVersionList: [
            { VersionId: 'v1', IsDefaultVersion: true, Document: '%7B%7D', CreateDate: created },
          ],
        },
      ],
      IsTruncated: false,
    })
}

describe('readAuthorizationDetails', () => {
  beforeEach(() => iamMock.reset())

  it('merges every page into the CLI shape with ISO dates', async () => {
    mockTwoPages()

    const details = await readAuthorizationDetails(new IAMClient({}), '123456789012')

    expect(details).toStrictEqual({
      AccountId: '123456789012',
      UserDetailList: [
        {
          UserName: 'dev-one',
          Arn: 'arn:aws:iam::123456789012:user/dev-one',
          CreateDate: '2024-05-01T12:00:00.000Z',
        },
      ],
      GroupDetailList: [{ GroupName: 'Developers', Arn: 'arn:aws:iam::123456789012:group/Developers' }],
      RoleDetailList: [
        {
          RoleName: 'AWSSupportAppRole',
          Arn: 'arn:aws:iam::123456789012:role/AWSSupportAppRole',
          AssumeRolePolicyDocument: encodedTrust,
          CreateDate: '2024-05-01T12:00:00.000Z',
          RoleLastUsed: { LastUsedDate: '2024-05-01T12:00:00.000Z', Region: 'us-east-1' },
        },
      ],
      Policies: [
        {
          Arn: 'arn:aws:iam::aws:policy/AWSSupportAppFullAccess',
          // Filled from the ARN when the response lacks it.
          PolicyName: 'AWSSupportAppFullAccess',
          DefaultVersionId: 'v1',
          AttachmentCount: 1,
          PolicyVersionList: [
            {
              VersionId: 'v1',
              IsDefaultVersion: true,
              Document: '%7B%7D',
              CreateDate: '2024-05-01T12:00:00.000Z',
            },
          ],
        },
      ],
    })
    expect(iamMock.commandCalls(GetAccountAuthorizationDetailsCommand)).toHaveLength(2)
    // The largest page IAM gives, on every page: a tenth of the calls of its default 100.
    expect(
      iamMock.commandCalls(GetAccountAuthorizationDetailsCommand).map((call) => call.args[0].input.MaxItems),
    ).toEqual([1000, 1000])
  })

  it('round-trips through JSON unchanged', async () => {
    mockTwoPages()

    const details = await readAuthorizationDetails(new IAMClient({}))

    expect(JSON.parse(JSON.stringify(details))).toStrictEqual(details)
    expect(details).not.toHaveProperty('AccountId')
  })

  it('keeps a PolicyName that IAM sent', async () => {
    iamMock.on(GetAccountAuthorizationDetailsCommand).resolves({
      Policies: [
        { PolicyName: 'support-readonly', Arn: 'arn:aws:iam::123456789012:policy/team/support-readonly' },
      ],
    })

    const details = await readAuthorizationDetails(new IAMClient({}))

    expect(details.Policies[0]?.PolicyName).toBe('support-readonly')
    expect(details).toMatchObject({ UserDetailList: [], GroupDetailList: [], RoleDetailList: [] })
  })

  it('fails with IamReadError when a later page fails', async () => {
    const throttled = new IAMServiceException({
      name: 'Throttling',
      $fault: 'client',
      message: 'Rate exceeded',
      $metadata: {},
    })
    mockTwoPages()
    iamMock.on(GetAccountAuthorizationDetailsCommand, { Marker: 'page-2' }).rejects(throttled)

    const error = await readAuthorizationDetails(new IAMClient({}), '123456789012').catch((caught) => caught)

    expect(error).toBeInstanceOf(IamReadError)
    expect(error).toMatchObject({ operation: 'GetAccountAuthorizationDetails', entity: '123456789012' })
    expect(error.cause).toBe(throttled)
  })
})
