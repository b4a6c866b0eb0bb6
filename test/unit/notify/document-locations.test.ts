import { describe, expect, it } from 'vitest'
import {
  lookupEventCommand,
  readBaselineCommand,
  readChangedElementCommand,
} from '#shared/notify/document-locations.ts'
import { makeChange } from './sample-details.ts'

const POLICY = 'arn:aws:iam::123456789012:policy/SupportCases'

describe('lookupEventCommand', () => {
  it('looks the event up by ID where CloudTrail records IAM calls', () => {
    expect(lookupEventCommand('ev-1')).toBe(
      'aws cloudtrail lookup-events --region us-east-1 --lookup-attributes AttributeKey=EventId,AttributeValue=ev-1',
    )
  })
})

describe('readBaselineCommand', () => {
  it('reads the baseline item under the keys the baseline store writes', () => {
    const command = readBaselineCommand('123456789012', 'arn:aws:iam::123456789012:role/SupportTeam')
    expect(command).toContain('aws dynamodb get-item --table-name <BaselineTableName')
    expect(command).toContain(
      `--key '{"pk":{"S":"ACCOUNT#123456789012"},"sk":{"S":"BASELINE#arn:aws:iam::123456789012:role/SupportTeam"}}'`,
    )
  })
})

describe('readChangedElementCommand', () => {
  it.each([
    {
      eventName: 'PutRolePolicy',
      parameters: { roleName: 'R', policyName: 'P' },
      command: 'aws iam get-role-policy --role-name R --policy-name P',
    },
    {
      eventName: 'PutUserPolicy',
      parameters: { userName: 'U', policyName: 'P' },
      command: 'aws iam get-user-policy --user-name U --policy-name P',
    },
    {
      eventName: 'PutGroupPolicy',
      parameters: { groupName: 'G', policyName: 'P' },
      command: 'aws iam get-group-policy --group-name G --policy-name P',
    },
    {
      eventName: 'UpdateAssumeRolePolicy',
      parameters: { roleName: 'R' },
      command: 'aws iam get-role --role-name R --query Role.AssumeRolePolicyDocument',
    },
    {
      eventName: 'CreateRole',
      parameters: { roleName: 'R' },
      command: 'aws iam get-role --role-name R --query Role.AssumeRolePolicyDocument',
    },
    {
      eventName: 'CreatePolicyVersion',
      parameters: { policyArn: POLICY, versionId: 'v2' },
      command: `aws iam get-policy-version --policy-arn ${POLICY} --version-id v2`,
    },
  ])('$eventName → $command', ({ eventName, parameters, command }) => {
    expect(readChangedElementCommand(makeChange({ eventName, parameters }))).toBe(command)
  })

  it('a new policy version without its ID: list the versions, then read the new one', () => {
    const command = readChangedElementCommand(
      makeChange({ eventName: 'CreatePolicyVersion', parameters: { policyArn: POLICY } }),
    )
    expect(command).toContain(`aws iam list-policy-versions --policy-arn ${POLICY}`)
    expect(command).toContain(`aws iam get-policy-version --policy-arn ${POLICY} --version-id`)
  })

  it('a created policy: its first version, found by the ARN among the targets', () => {
    const change = makeChange({
      eventName: 'CreatePolicy',
      targets: [POLICY],
      parameters: { policyName: 'SupportCases' },
    })
    expect(readChangedElementCommand(change)).toBe(
      `aws iam get-policy-version --policy-arn ${POLICY} --version-id v1`,
    )
  })

  it.each([
    { eventName: 'DetachRolePolicy', parameters: { roleName: 'R', policyArn: POLICY } },
    { eventName: 'PutRolePolicy', parameters: { roleName: 'R' } },
    { eventName: 'CreatePolicy', parameters: { policyName: 'P' } },
  ])('$eventName naming too little: no command', ({ eventName, parameters }) => {
    expect(readChangedElementCommand(makeChange({ eventName, parameters, targets: [] }))).toBeUndefined()
  })
})
