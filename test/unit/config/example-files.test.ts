import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { loadGuardConfigText } from '#shared/config/guard-config.ts'
import { evaluateAccount } from '#shared/evaluator/evaluate-account.ts'
import { parseAccountSnapshot } from '#shared/snapshot/parse-snapshot.ts'

const EXAMPLES = new URL('../../../shared/examples/', import.meta.url)
const readExample = (name: string): string => readFileSync(new URL(name, EXAMPLES), 'utf8')

interface RawAccount {
  UserDetailList: {
    UserName: string
    GroupList: string[]
    AttachedManagedPolicies: { PolicyArn: string }[]
  }[]
  GroupDetailList: { GroupName: string; AttachedManagedPolicies: { PolicyArn: string }[] }[]
  RoleDetailList: { RoleName: string; Arn: string; AttachedManagedPolicies: { PolicyArn: string }[] }[]
  Policies: {
    Arn: string
    DefaultVersionId: string
    PolicyVersionList: { VersionId: string; Document: unknown }[]
  }[]
  SupportAppSlackChannelConfigurations: { channelRoleArn: string }[]
}

const rawAccount = JSON.parse(readExample('example-account.json')) as RawAccount

describe('example-config.json', () => {
  it('is a valid guard config', () => {
    const config = loadGuardConfigText(readExample('example-config.json'), 'example-config.json')
    expect(config.supportPrincipals.required).toEqual(['arn:aws:iam::*:role/SupportTeam'])
    expect(config.supportApp.access).toBe('full')
  })
})

describe('example-account.json', () => {
  it('holds between 12 and 20 principals and no Service Quotas service-linked role', () => {
    const count = rawAccount.UserDetailList.length + rawAccount.RoleDetailList.length
    expect(count).toBeGreaterThanOrEqual(12)
    expect(count).toBeLessThanOrEqual(20)
    const roleNames = rawAccount.RoleDetailList.map((role) => role.RoleName)
    expect(roleNames).toEqual(
      expect.arrayContaining(['AWSServiceRoleForSupport', 'AWSServiceRoleForTrustedAdvisor']),
    )
    expect(roleNames).not.toContain('AWSServiceRoleForServiceQuotas')
  })

  it('lists every attached policy, group and channel role it refers to', () => {
    const policyArns = new Set(rawAccount.Policies.map((policy) => policy.Arn))
    const groupNames = new Set(rawAccount.GroupDetailList.map((group) => group.GroupName))
    const roleArns = new Set(rawAccount.RoleDetailList.map((role) => role.Arn))
    const principals = [
      ...rawAccount.UserDetailList,
      ...rawAccount.GroupDetailList,
      ...rawAccount.RoleDetailList,
    ]
    for (const principal of principals) {
      for (const policy of principal.AttachedManagedPolicies) expect(policyArns).toContain(policy.PolicyArn)
    }
    for (const user of rawAccount.UserDetailList)
      for (const group of user.GroupList) expect(groupNames).toContain(group)
    for (const channel of rawAccount.SupportAppSlackChannelConfigurations)
      expect(roleArns).toContain(channel.channelRoleArn)
    for (const policy of rawAccount.Policies) {
      expect(policy.PolicyVersionList.map((version) => version.VersionId)).toContain(policy.DefaultVersionId)
    }
  })

  it('evaluates without policy issues to the access its README describes', () => {
    const evaluation = evaluateAccount(parseAccountSnapshot(rawAccount))
    expect(evaluation.issues).toEqual([])
    const decide = (name: string, action: string) =>
      evaluation.principals.find((principal) => principal.principalArn.endsWith(`/${name}`))?.decisions[
        action
      ]
    expect(decide('SupportTeam', 'support:ResolveCase')).toBe('allow')
    expect(decide('support-reader', 'support:ResolveCase')).toBe('deny')
    expect(decide('support-reader', 'support:CreateCase')).toBe('allow')
    expect(decide('finance-analyst', 'support:CreateCase')).toBe('conditional')
    expect(decide('boundary-dev', 'support:CreateCase')).toBe('deny')
    expect(decide('case-scoped-user', 'support:DescribeCases')).toBe('deny')
    expect(decide('AWSSupportAppRole', 'support:InitiateChatForCase')).toBe('allow')
    expect(decide('AWSSupportAppRole', 'support:DescribeTrustedAdvisorChecks')).toBe('deny')
    expect(decide('SupportAppReadOnlyRole', 'support:DescribeCommunications')).toBe('allow')
    expect(decide('SupportAppReadOnlyRole', 'support:CreateCase')).toBe('deny')
    expect(decide('SupportBroker', 'support:DescribeSupportLevel')).toBe('allow')
    expect(decide('SupportBroker', 'support:CreateCase')).toBe('deny')
    expect(decide('ops-oncall', 'support:ResolveCase')).toBe('allow')
    expect(decide('AWSServiceRoleForSupport', 'support:CreateCase')).toBe('deny')
  })
})
