import { describe, expect, it } from 'vitest'
import {
  loadExampleConfig,
  loadExampleSnapshot,
  makeRole,
  SUPPORT_ACCESS,
} from '../../test/unit/helpers/example-account.ts'
import { listEventFiles, parseEventFile } from '../../test/unit/helpers/sample-events.ts'
import { buildEventsAccount, captureProtectedBaselines, stateAfterChange } from '../lib/detect-account.ts'

const example = loadExampleSnapshot()
const account = buildEventsAccount(example)
const names = (entries: readonly { name: string }[]) => new Set(entries.map((entry) => entry.name))

describe('buildEventsAccount', () => {
  it('keeps every entity of the example account', () => {
    for (const role of example.roles) expect(names(account.roles)).toContain(role.name)
    for (const user of example.users) expect(names(account.users)).toContain(user.name)
    expect(account.policies.length).toBe(example.policies.length + 4)
  })

  it('holds every principal and customer policy a successful sample event names, but the deleted policy', () => {
    const missing = new Set<string>()
    const policies = new Set(account.policies.map((policy) => policy.arn))
    for (const file of listEventFiles()) {
      const change = parseEventFile(file)
      if (change.failed) continue
      const p = change.parameters
      if (p.roleName && !p.roleName.startsWith('AWSServiceRoleFor') && !names(account.roles).has(p.roleName))
        missing.add(`role ${p.roleName}`)
      if (p.userName && !names(account.users).has(p.userName)) missing.add(`user ${p.userName}`)
      if (p.groupName && !names(account.groups).has(p.groupName)) missing.add(`group ${p.groupName}`)
      const channelRole = p.channelRoleArn?.split('/').pop()
      if (channelRole && !names(account.roles).has(channelRole)) missing.add(`role ${channelRole}`)
      for (const arn of [p.policyArn, p.permissionsBoundary]) {
        if (arn && !arn.startsWith('arn:aws:iam::aws:') && !policies.has(arn)) missing.add(arn)
      }
    }
    expect([...missing]).toEqual(['arn:aws:iam::123456789012:policy/SupportAppSlackAccess'])
  })

  it('gives SupportTeamAccess the three versions the policy-version events act on, v3 by default', () => {
    const policy = account.policies.find((entry) => entry.name === 'SupportTeamAccess')
    expect(policy?.versions.map((version) => version.versionId)).toEqual(['v1', 'v2', 'v3'])
    expect(policy?.defaultVersionId).toBe('v3')
  })

  it('refuses an addition that would shadow an entity of the example account', () => {
    const clash = { ...example, roles: [...example.roles, makeRole('Admin')] }
    expect(() => buildEventsAccount(clash)).toThrow('Admin is already in the example account')
  })
})

describe('stateAfterChange', () => {
  it('applies the call of a successful event', () => {
    const after = stateAfterChange(account, parseEventFile('detach-role-policy.json'))
    expect(after.mutation).toBe('detach-policy')
    const role = after.state.roles.find((entry) => entry.name === 'SupportTeam')
    expect(role?.attached.map((ref) => ref.arn)).not.toContain(SUPPORT_ACCESS)
  })

  it('leaves the account as it is for a failed call', () => {
    const after = stateAfterChange(account, parseEventFile('attach-user-policy-access-denied-failed.json'))
    expect(after).toEqual({ state: account, mutation: null })
  })

  it('removes a deleted group from its former members', () => {
    const after = stateAfterChange(account, parseEventFile('delete-group.json'))
    expect(names(after.state.groups)).not.toContain('SupportEngineers')
    expect(after.state.users.find((entry) => entry.name === 'support-engineer')?.groups).toEqual([])
  })
})

describe('captureProtectedBaselines', () => {
  it('records the required support role and the Support App roles, nobody else', () => {
    const baselines = captureProtectedBaselines(account, loadExampleConfig(), '2024-06-01T00:00:00.000Z')
    const recorded = baselines.map((baseline) => baseline.name)
    expect(recorded).toContain('SupportTeam')
    expect(recorded).toContain('AWSSupportAppRole')
    expect(recorded).not.toContain('contractor-temp')
    expect(recorded).not.toContain('Admin')
    expect(baselines.find((baseline) => baseline.name === 'AWSSupportAppRole')?.supportApp).toBe(true)
  })
})
