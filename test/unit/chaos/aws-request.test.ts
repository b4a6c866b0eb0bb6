import { describe, expect, it } from 'vitest'
import { describeAwsRequest, readSdkAttempt, readSigningService } from '#test-support/chaos/aws-request.ts'

const authorization = (service: string) =>
  `AWS4-HMAC-SHA256 Credential=testing/20250310/us-east-1/${service}/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc`

describe('readSigningService', () => {
  it('reads the service of the SigV4 credential scope', () => {
    for (const service of ['iam', 'dynamodb', 'sns', 'events', 'sqs']) {
      expect(readSigningService(authorization(service))).toBe(service)
    }
  })

  it('gives nothing for an unsigned or malformed header', () => {
    expect(readSigningService(undefined)).toBeUndefined()
    expect(readSigningService('Bearer token')).toBeUndefined()
    expect(readSigningService('AWS4-HMAC-SHA256 Credential=testing/iam/aws4_request')).toBeUndefined()
  })
})

describe('readSdkAttempt', () => {
  it("reads the attempt of the SDK's amz-sdk-request header, 1 when absent or odd", () => {
    expect(readSdkAttempt('attempt=1; max=3')).toBe(1)
    expect(readSdkAttempt('attempt=3; max=8')).toBe(3)
    expect(readSdkAttempt('ttl=20250310T160000Z; attempt=2; max=3')).toBe(2)
    expect(readSdkAttempt(undefined)).toBe(1)
    expect(readSdkAttempt('attempt=zero')).toBe(1)
  })
})

describe('describeAwsRequest', () => {
  it('reads a query-protocol request: action and parameters from the form body', () => {
    const info = describeAwsRequest(
      {
        authorization: authorization('iam'),
        'amz-sdk-request': 'attempt=2; max=3',
        'amz-sdk-invocation-id': 'op-1',
      },
      'Action=AttachRolePolicy&Version=2010-05-08&RoleName=SupportTeam&PolicyArn=arn%3Aaws%3Aiam%3A%3Aaws%3Apolicy%2FAWSSupportAccess',
    )
    expect(info).toEqual({
      service: 'iam',
      action: 'AttachRolePolicy',
      protocol: 'query',
      attempt: 2,
      invocationId: 'op-1',
      params: { RoleName: 'SupportTeam', PolicyArn: 'arn:aws:iam::aws:policy/AWSSupportAccess' },
    })
  })

  it('reads a JSON-protocol request: the operation from X-Amz-Target', () => {
    const info = describeAwsRequest(
      { authorization: authorization('dynamodb'), 'x-amz-target': 'DynamoDB_20120810.PutItem' },
      '{"TableName":"t"}',
    )
    expect(info).toMatchObject({
      service: 'dynamodb',
      action: 'PutItem',
      protocol: 'json',
      attempt: 1,
      params: {},
    })
  })

  it('names what it cannot read unknown', () => {
    expect(describeAwsRequest({}, '')).toMatchObject({ service: 'unknown', action: 'unknown' })
  })
})
