import { describe, expect, it } from 'vitest'
import { describeUndo, invertStep } from '#shared/notify/invert-step.ts'
import type { RemediationStep } from '#shared/pipeline/remediation-steps.ts'
import { makeChange } from './sample-details.ts'

const DOC = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'support:*', Resource: '*' }] }
const RESTORED = { Version: '2012-10-17', Statement: [] }

describe('invertStep', () => {
  it.each<{
    name: string
    step: RemediationStep
    change?: ReturnType<typeof makeChange>
    undo: RemediationStep
  }>([
    {
      name: 'attach -> detach',
      step: { action: 'attach-policy', principalType: 'group', principalName: 'G', policyArn: 'arn:p' },
      undo: { action: 'detach-policy', principalType: 'group', principalName: 'G', policyArn: 'arn:p' },
    },
    {
      name: 'detach -> attach',
      step: { action: 'detach-policy', principalType: 'user', principalName: 'U', policyArn: 'arn:p' },
      undo: { action: 'attach-policy', principalType: 'user', principalName: 'U', policyArn: 'arn:p' },
    },
    {
      name: 'restored inline policy after a Put -> put the changed document back',
      step: {
        action: 'put-inline-policy',
        principalType: 'role',
        principalName: 'R',
        policyName: 'P',
        document: RESTORED,
      },
      change: makeChange({ eventName: 'PutRolePolicy', parameters: { policyDocument: JSON.stringify(DOC) } }),
      undo: {
        action: 'put-inline-policy',
        principalType: 'role',
        principalName: 'R',
        policyName: 'P',
        document: DOC,
      },
    },
    {
      name: 'restored inline policy after a Delete -> delete it again',
      step: {
        action: 'put-inline-policy',
        principalType: 'role',
        principalName: 'R',
        policyName: 'P',
        document: RESTORED,
      },
      change: makeChange({ eventName: 'DeleteRolePolicy', parameters: { policyName: 'P' } }),
      undo: { action: 'delete-inline-policy', principalType: 'role', principalName: 'R', policyName: 'P' },
    },
    {
      name: 'deleted inline policy -> put the URL-encoded document the change wrote',
      step: { action: 'delete-inline-policy', principalType: 'user', principalName: 'U', policyName: 'P' },
      change: makeChange({
        eventName: 'PutUserPolicy',
        parameters: { policyDocument: encodeURIComponent(JSON.stringify(DOC)) },
      }),
      undo: {
        action: 'put-inline-policy',
        principalType: 'user',
        principalName: 'U',
        policyName: 'P',
        document: DOC,
      },
    },
    {
      name: 'default version -> the version the change made default',
      step: { action: 'set-default-policy-version', policyArn: 'arn:p', versionId: 'v2' },
      change: makeChange({ eventName: 'SetDefaultPolicyVersion', parameters: { versionId: 'v4' } }),
      undo: { action: 'set-default-policy-version', policyArn: 'arn:p', versionId: 'v4' },
    },
    {
      name: 'trust policy -> the trust the change wrote',
      step: { action: 'update-trust-policy', roleName: 'R', document: RESTORED },
      change: makeChange({ eventName: 'UpdateAssumeRolePolicy', parameters: { policyDocument: DOC } }),
      undo: { action: 'update-trust-policy', roleName: 'R', document: DOC },
    },
    {
      name: 'boundary restored after a Put -> put the change boundary back',
      step: {
        action: 'put-permissions-boundary',
        principalType: 'role',
        principalName: 'R',
        policyArn: 'arn:old',
      },
      change: makeChange({
        eventName: 'PutRolePermissionsBoundary',
        parameters: { permissionsBoundary: 'arn:new' },
      }),
      undo: {
        action: 'put-permissions-boundary',
        principalType: 'role',
        principalName: 'R',
        policyArn: 'arn:new',
      },
    },
    {
      name: 'boundary restored after a Delete -> delete it again',
      step: {
        action: 'put-permissions-boundary',
        principalType: 'user',
        principalName: 'U',
        policyArn: 'arn:old',
      },
      change: makeChange({ eventName: 'DeleteUserPermissionsBoundary', parameters: { userName: 'U' } }),
      undo: { action: 'delete-permissions-boundary', principalType: 'user', principalName: 'U' },
    },
    {
      name: 'boundary deleted -> put the boundary the change set',
      step: { action: 'delete-permissions-boundary', principalType: 'role', principalName: 'R' },
      change: makeChange({
        eventName: 'PutRolePermissionsBoundary',
        parameters: { permissionsBoundary: 'arn:new' },
      }),
      undo: {
        action: 'put-permissions-boundary',
        principalType: 'role',
        principalName: 'R',
        policyArn: 'arn:new',
      },
    },
    {
      name: 'add to group -> remove',
      step: { action: 'add-user-to-group', userName: 'U', groupName: 'G' },
      undo: { action: 'remove-user-from-group', userName: 'U', groupName: 'G' },
    },
    {
      name: 'remove from group -> add',
      step: { action: 'remove-user-from-group', userName: 'U', groupName: 'G' },
      undo: { action: 'add-user-to-group', userName: 'U', groupName: 'G' },
    },
  ])('$name', ({ step, change, undo }) => {
    expect(invertStep(step, change)).toEqual({ kind: 'step', step: undo })
  })

  it.each<{ name: string; step: RemediationStep; mentions: string }>([
    {
      name: 'deleted inline policy without the document',
      step: { action: 'delete-inline-policy', principalType: 'role', principalName: 'R', policyName: 'P' },
      mentions: 'Re-create inline policy P on role R with the document from CloudTrail event',
    },
    {
      name: 'default version without the version id',
      step: { action: 'set-default-policy-version', policyArn: 'arn:p', versionId: 'v2' },
      mentions: 'aws iam list-policy-versions --policy-arn arn:p',
    },
    {
      name: 'trust policy without the document',
      step: { action: 'update-trust-policy', roleName: 'R', document: RESTORED },
      mentions: 'trust policy of role R',
    },
    {
      name: 'boundary deleted without the boundary ARN',
      step: { action: 'delete-permissions-boundary', principalType: 'user', principalName: 'U' },
      mentions: 'permissions boundary of user U',
    },
    {
      name: 'service-linked role re-created',
      step: { action: 'create-service-linked-role', awsServiceName: 'servicequotas.amazonaws.com' },
      mentions: 'aws iam delete-service-linked-role',
    },
  ])('$name: words instead of a command', ({ step, mentions }) => {
    const undo = invertStep(step, makeChange({ eventName: 'Unrelated', parameters: {} }))
    expect(undo.kind).toBe('manual')
    expect(undo.kind === 'manual' ? undo.text : '').toContain(mentions)
  })
})

describe('invertStep takes a document only from the call that wrote it', () => {
  it('a trust policy is not put back from an inline policy document', () => {
    const change = makeChange({
      eventName: 'PutRolePolicy',
      parameters: { roleName: 'R', policyName: 'P', policyDocument: DOC },
    })
    const undo = invertStep({ action: 'update-trust-policy', roleName: 'R', document: RESTORED }, change)
    expect(undo.kind).toBe('manual')
  })

  it('an inline policy is not re-created from a trust policy document', () => {
    const change = makeChange({ eventName: 'UpdateAssumeRolePolicy', parameters: { policyDocument: DOC } })
    const step: RemediationStep = {
      action: 'delete-inline-policy',
      principalType: 'role',
      principalName: 'R',
      policyName: 'P',
    }
    expect(invertStep(step, change).kind).toBe('manual')
  })

  it('words that need the document name the CloudTrail lookup that holds it', () => {
    const change = makeChange({ eventName: 'Unrelated', parameters: {} })
    const undo = invertStep({ action: 'update-trust-policy', roleName: 'R', document: RESTORED }, change)
    expect(undo.kind === 'manual' ? undo.text : '').toContain(
      `aws cloudtrail lookup-events --region us-east-1 --lookup-attributes AttributeKey=EventId,AttributeValue=${change.eventId}`,
    )
  })
})

describe('describeUndo', () => {
  it('a command that puts back a document reads it from a file and names the event holding it', () => {
    const change = makeChange({
      eventName: 'PutRolePolicy',
      parameters: { roleName: 'R', policyName: 'P', policyDocument: DOC },
    })
    const [line] = describeUndo(
      [
        {
          action: 'put-inline-policy',
          principalType: 'role',
          principalName: 'R',
          policyName: 'P',
          document: RESTORED,
        },
      ],
      change,
    )
    expect(line?.isCommand).toBe(true)
    expect(line?.text).toBe(
      'aws iam put-role-policy --role-name R --policy-name P --policy-document file://R-P-from-event.json',
    )
    expect(line?.document).toMatchObject({
      file: 'R-P-from-event.json',
      excerpt: JSON.stringify(DOC),
      origin: `requestParameters.policyDocument of CloudTrail event ${change.eventId}`,
    })
  })

  it('flags commands and words, last step first', () => {
    const lines = describeUndo([
      { action: 'add-user-to-group', userName: 'U', groupName: 'G' },
      { action: 'create-service-linked-role', awsServiceName: 'servicequotas.amazonaws.com' },
    ])
    expect(lines).toHaveLength(2)
    expect(lines[0]?.isCommand).toBe(false)
    expect(lines[1]).toEqual({
      text: 'aws iam remove-user-from-group --user-name U --group-name G',
      isCommand: true,
    })
  })
})
