/** A minimal, valid CloudTrail record of an IAM call, with fields replaced or removed as a test needs. */
export function buildRecord(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const record: Record<string, unknown> = {
    eventVersion: '1.11',
    userIdentity: {
      type: 'IAMUser',
      principalId: 'AIDAEXAMPLEPRINCIPAL1',
      arn: 'arn:aws:iam::123456789012:user/ops-admin',
      accountId: '123456789012',
      userName: 'ops-admin',
    },
    eventTime: '2025-03-10T16:08:52Z',
    eventSource: 'iam.amazonaws.com',
    eventName: 'DetachRolePolicy',
    awsRegion: 'us-east-1',
    sourceIPAddress: '203.0.113.24',
    userAgent: 'aws-cli/2.22.35',
    requestParameters: { roleName: 'SupportTeam', policyArn: 'arn:aws:iam::aws:policy/AWSSupportAccess' },
    responseElements: null,
    eventID: '0b7e1f36-2c1e-4d8a-9a59-6f3c2d1e8b40',
    readOnly: false,
    eventType: 'AwsApiCall',
    recipientAccountId: '123456789012',
    ...overrides,
  }
  for (const [key, value] of Object.entries(overrides)) if (value === undefined) delete record[key]
  return record
}

/** The record inside an EventBridge envelope, as the detect function receives it. */
export function wrapInEnvelope(
  detail: unknown,
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    version: '0',
    id: '5d2f6a0e-9c1b-4e7f-8a3d-1b2c3d4e5f60',
    'detail-type': 'AWS API Call via CloudTrail',
    source: 'aws.iam',
    account: '123456789012',
    time: '2025-03-10T16:08:52Z',
    region: 'us-east-1',
    resources: [],
    detail,
    ...overrides,
  }
}
