import { describe, expect, it } from 'vitest'
import { evaluateAccount } from '#shared/evaluator/evaluate-account.ts'
import { whoCan } from '#shared/report/who-can.ts'
import { parseAccountSnapshot } from '#shared/snapshot/parse-snapshot.ts'
import { toAuthorizationDetails } from '#shared/snapshot/to-authorization-details.ts'

const ALL = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }

function account(scps?: unknown[]) {
  return parseAccountSnapshot({
    AccountId: '123456789012',
    RoleDetailList: [
      {
        RoleName: 'Admin',
        Arn: 'arn:aws:iam::123456789012:role/Admin',
        AssumeRolePolicyDocument: {
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: { AWS: 'arn:aws:iam::123456789012:root' },
              Action: 'sts:AssumeRole',
            },
          ],
        },
        RolePolicyList: [{ PolicyName: 'all', PolicyDocument: ALL }],
      },
      {
        RoleName: 'AWSServiceRoleForSupport',
        Arn: 'arn:aws:iam::123456789012:role/aws-service-role/support.amazonaws.com/AWSServiceRoleForSupport',
        Path: '/aws-service-role/support.amazonaws.com/',
        AssumeRolePolicyDocument: {
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Principal: { Service: 'support.amazonaws.com' }, Action: 'sts:AssumeRole' },
          ],
        },
        RolePolicyList: [{ PolicyName: 'all', PolicyDocument: ALL }],
      },
    ],
    ...(scps ? { ServiceControlPolicies: scps } : {}),
  })
}

function decisions(snapshot: ReturnType<typeof account>, name: string) {
  const found = evaluateAccount(snapshot).principals.find((access) =>
    access.principalArn.endsWith(`/${name}`),
  )
  if (!found) throw new Error(`no ${name}`)
  return found.decisions
}

const fullAccess = { Name: 'FullAWSAccess', Content: JSON.stringify(ALL) }

describe('service control policies', () => {
  it('change nothing when the export carries none', () => {
    expect(decisions(account(), 'Admin')['support:ResolveCase']).toBe('allow')
  })

  it('deny what an SCP denies, even to an administrator', () => {
    const denyResolve = {
      Name: 'NoCaseResolution',
      Content: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Deny', Action: 'support:ResolveCase', Resource: '*' }],
      }),
    }
    const admin = decisions(account([fullAccess, denyResolve]), 'Admin')
    expect(admin['support:ResolveCase']).toBe('deny')
    expect(admin['support:CreateCase']).toBe('allow')
  })

  it('implicitly deny what no SCP allows (an allow list without support)', () => {
    const ec2Only = {
      Id: 'p-ec2only',
      Content: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'ec2:*', Resource: '*' }] },
    }
    expect(decisions(account([ec2Only]), 'Admin')['support:CreateCase']).toBe('deny')
  })

  it('make a decision conditional when the SCP allow rests on a condition', () => {
    const regional = {
      Name: 'OnlyInUsEast1',
      Content: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Action: '*',
            Resource: '*',
            Condition: { StringEquals: { 'aws:RequestedRegion': 'us-east-1' } },
          },
        ],
      }),
    }
    expect(decisions(account([regional]), 'Admin')['support:CreateCase']).toBe('conditional')
  })

  it('never restrict service-linked roles', () => {
    const nothing = {
      Name: 'DenyAll',
      Content: { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: '*', Resource: '*' }] },
    }
    expect(decisions(account([nothing]), 'AWSServiceRoleForSupport')['support:CreateCase']).toBe('allow')
    expect(decisions(account([nothing]), 'Admin')['support:CreateCase']).toBe('deny')
  })

  it('shows in who-can and survives a snapshot round trip', () => {
    const denyAll = {
      Name: 'DenySupport',
      Content: { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 'support:*', Resource: '*' }] },
    }
    const snapshot = account([fullAccess, denyAll])
    expect(whoCan(snapshot, 'support:CreateCase').principals.map((entry) => entry.principalArn)).toEqual([
      'arn:aws:iam::123456789012:role/aws-service-role/support.amazonaws.com/AWSServiceRoleForSupport',
    ])
    const again = parseAccountSnapshot(JSON.parse(JSON.stringify(toAuthorizationDetails(snapshot))))
    expect(again.serviceControlPolicies).toEqual(snapshot.serviceControlPolicies)
  })

  it('report an unreadable SCP as an issue; it grants nothing', () => {
    const evaluation = evaluateAccount(account([{ Name: 'Broken', Content: '{oops' }]))
    expect(evaluation.issues).toEqual([expect.objectContaining({ policy: 'scp:Broken', path: '' })])
    expect(
      evaluation.principals.find((access) => access.principalArn.endsWith('/Admin'))?.decisions[
        'support:CreateCase'
      ],
    ).toBe('deny')
  })
})
