import { describe, expect, it } from 'vitest'
import { UnknownActionError, whoCan } from '#shared/report/who-can.ts'
import { parseAccountSnapshot } from '#shared/snapshot/parse-snapshot.ts'

const account = parseAccountSnapshot({
  AccountId: '123456789012',
  UserDetailList: [
    {
      UserName: 'admin',
      Arn: 'arn:aws:iam::123456789012:user/admin',
      UserPolicyList: [
        {
          PolicyName: 'all',
          PolicyDocument: {
            Version: '2012-10-17',
            Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
          },
        },
      ],
    },
    {
      UserName: 'reader',
      Arn: 'arn:aws:iam::123456789012:user/reader',
      UserPolicyList: [
        {
          PolicyName: 'bucket',
          PolicyDocument: {
            Version: '2012-10-17',
            Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::reports/*' }],
          },
        },
      ],
    },
  ],
})

describe('who-can for an action outside the catalog', () => {
  it('answers as written: a grant on * allows, a grant on some ARNs is conditional', () => {
    const report = whoCan(account, 's3:GetObject')
    expect(report.action).toBe('s3:GetObject')
    expect(report.principals.map((entry) => [entry.principalArn.split('/').pop(), entry.decision])).toEqual([
      ['admin', 'allow'],
      ['reader', 'conditional'],
    ])
  })

  it('still refuses a support action the catalog does not know, and a malformed name', () => {
    expect(() => whoCan(account, 'support:NoSuchThing')).toThrow(UnknownActionError)
    expect(() => whoCan(account, 'not-an-action')).toThrow(UnknownActionError)
  })
})
