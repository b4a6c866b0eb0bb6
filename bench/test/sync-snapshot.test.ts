import { IAMClient } from '@aws-sdk/client-iam'
import { describe, expect, it } from 'vitest'
import { loadExampleSnapshot } from '../../test/unit/helpers/example-account.ts'
import { parseEventFile } from '../../test/unit/helpers/sample-events.ts'
import { buildEventsAccount, stateAfterChange } from '../lib/detect-account.ts'
import { planSync, syncSnapshot } from '../lib/sync-snapshot.ts'

const account = buildEventsAccount(loadExampleSnapshot())
const stateAfter = (file: string) => stateAfterChange(account, parseEventFile(file)).state
const sorted = (set: ReadonlySet<string>) => [...set].sort()

/** A real client that records each command and answers it without a network. */
function recordingClient(): { client: IAMClient; sent: string[] } {
  const sent: string[] = []
  const client = new IAMClient({
    region: 'us-east-1',
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
  })
  client.middlewareStack.add(
    (_next, context) => async (args) => {
      const input = args.input as Record<string, unknown>
      const name = input.UserName ?? input.GroupName ?? input.RoleName ?? input.PolicyArn
      sent.push(`${(context.commandName ?? '').replace(/Command$/, '')} ${String(name)}`)
      return { output: { $metadata: {} }, response: {} }
    },
    { step: 'build', name: 'recordAndAnswer' },
  )
  return { client, sent }
}

describe('planSync', () => {
  it('plans nothing between equal states', () => {
    const plan = planSync(account, account)
    expect([plan.policies, plan.groups, plan.roles, plan.users].map((set) => set.size)).toEqual([0, 0, 0, 0])
  })

  it('re-creates only the role whose trust changed', () => {
    const plan = planSync(account, stateAfter('update-assume-role-policy.json'))
    expect(sorted(plan.roles)).toEqual(['AWSSupportAppRole'])
    expect([plan.policies, plan.groups, plan.users].map((set) => set.size)).toEqual([0, 0, 0])
  })

  it('takes the holders of a changed customer policy along, and the members of those groups', () => {
    const plan = planSync(account, stateAfter('create-policy-version.json'))
    expect(sorted(plan.policies)).toEqual(['arn:aws:iam::123456789012:policy/SupportTeamAccess'])
    expect(sorted(plan.groups)).toEqual(['SupportEngineers'])
    expect(sorted(plan.users)).toEqual(['support-engineer'])
    expect(plan.roles.size).toBe(0)
  })
})

describe('syncSnapshot', () => {
  it('empties and deletes the members first, then the group, then re-creates what remains', async () => {
    const { client, sent } = recordingClient()
    await syncSnapshot(client, account, stateAfter('delete-group.json'))
    expect(sent).toEqual([
      'RemoveUserFromGroup support-engineer',
      'DetachUserPolicy support-engineer',
      'DeleteUser support-engineer',
      'DetachGroupPolicy SupportEngineers',
      'DetachGroupPolicy SupportEngineers',
      'DeleteGroup SupportEngineers',
      'CreateUser support-engineer',
      'AttachUserPolicy support-engineer',
    ])
  })
})
