import { describe, expect, it } from 'vitest'
import { evaluateAccount } from '#shared/evaluator/evaluate-account.ts'
import { parseAccountSnapshot } from '#shared/snapshot/parse-snapshot.ts'
import { decodeDocument } from '#test-support/peer/principal-policies.ts'
import type { PolicyDocumentValue, RawAuthorizationDetails } from '#test-support/synthetic/account-types.ts'
import { createRandom } from '#test-support/synthetic/prng.ts'
import { generateAccount } from '#test-support/synthetic/synthetic-account.ts'

function everyDocument(raw: RawAuthorizationDetails): PolicyDocumentValue[] {
  return [
    ...raw.UserDetailList.flatMap((user) => user.UserPolicyList.map((policy) => policy.PolicyDocument)),
    ...raw.GroupDetailList.flatMap((group) => group.GroupPolicyList.map((policy) => policy.PolicyDocument)),
    ...raw.RoleDetailList.flatMap((role) => [
      role.AssumeRolePolicyDocument,
      ...role.RolePolicyList.map((policy) => policy.PolicyDocument),
    ]),
    ...raw.Policies.flatMap((policy) => policy.PolicyVersionList.map((version) => version.Document)),
  ]
}

const account = generateAccount({ seed: 42, principals: 1000 })
const decodedText = everyDocument(account)
  .map((document) => JSON.stringify(decodeDocument(document)))
  .join('\n')

describe('generateAccount', () => {
  it('gives the same export for the same seed and a different one for another seed', () => {
    expect(JSON.stringify(generateAccount({ seed: 42, principals: 1000 }))).toBe(JSON.stringify(account))
    expect(JSON.stringify(generateAccount({ seed: 43, principals: 1000 }))).not.toBe(JSON.stringify(account))
  })

  it.each([1000, 5000, 12_000])('creates exactly %i principals, about 70%% of them roles', (size) => {
    const raw = generateAccount({ seed: 7, principals: size })
    const roles = raw.RoleDetailList.length
    expect(raw.UserDetailList.length + roles).toBe(size)
    expect(roles / size).toBeCloseTo(0.7, 2)
    expect(new Set([...raw.UserDetailList, ...raw.RoleDetailList].map((entry) => entry.Arn)).size).toBe(size)
  })

  it('is read by parseAccountSnapshot and every document evaluates without an issue', () => {
    const snapshot = parseAccountSnapshot(JSON.parse(JSON.stringify(account)))
    expect(snapshot.accountId).toBe('111122223333')
    expect(snapshot.users.length + snapshot.roles.length).toBe(1000)
    expect(snapshot.slackChannelConfigurations.length).toBeGreaterThan(0)
    const evaluation = evaluateAccount(snapshot)
    expect(evaluation.issues).toEqual([])
    const decisions = new Set(evaluation.principals.flatMap((access) => Object.values(access.decisions)))
    expect([...decisions].sort()).toEqual(['allow', 'conditional', 'deny'])
  })

  it('writes a share of the documents URL-encoded, as the IAM API returns them', () => {
    const documents = everyDocument(account)
    const encoded = documents.filter((document) => typeof document === 'string')
    expect(encoded.length / documents.length).toBeGreaterThan(0.2)
    expect(encoded.length / documents.length).toBeLessThan(0.4)
    expect(encoded.every((text) => text.startsWith('%7B'))).toBe(true)
  })

  it('shares customer managed policies among many principals and groups users', () => {
    const customer = account.Policies.filter((policy) => !policy.Arn.includes(':aws:policy/'))
    expect(Math.max(...customer.map((policy) => policy.AttachmentCount))).toBeGreaterThan(20)
    const members = account.UserDetailList.filter((user) => user.GroupList.length > 0)
    expect(members.length / account.UserDetailList.length).toBeGreaterThan(0.6)
    expect(
      account.Policies.some((policy) => policy.DefaultVersionId !== policy.PolicyVersionList[0]?.VersionId),
    ).toBe(true)
  })

  it.each([
    ['support:Describe*'],
    ['support:*Case*'],
    ['"Action":"*"'],
    ['"NotAction"'],
    ['"Effect":"Deny"'],
    ['aws:MultiFactorAuthPresent'],
    ['aws:SourceIp'],
    ['supportapp.amazonaws.com'],
    ['"Principal":"*"'],
    ['arn:aws:iam::111122223333:root'],
    ['sts:AssumeRoleWithSAML'],
    ['"NotResource"'],
  ])('contains %s somewhere in its documents', (fragment) => {
    expect(decodedText).toContain(fragment)
  })

  it('includes the Support service-linked roles, Support App roles, boundaries and AWS managed policies', () => {
    const roleNames = account.RoleDetailList.map((role) => role.RoleName)
    expect(roleNames).toEqual(
      expect.arrayContaining([
        'AWSServiceRoleForSupport',
        'AWSServiceRoleForTrustedAdvisor',
        'AWSServiceRoleForServiceQuotas',
        'AWSSupportAppRole',
      ]),
    )
    const arns = account.Policies.map((policy) => policy.Arn)
    expect(arns).toEqual(
      expect.arrayContaining([
        'arn:aws:iam::aws:policy/AWSSupportAccess',
        'arn:aws:iam::aws:policy/AdministratorAccess',
      ]),
    )
    const bounded = [...account.UserDetailList, ...account.RoleDetailList].filter(
      (entry) => entry.PermissionsBoundary,
    )
    expect(bounded.length).toBeGreaterThan(50)
  })
})

describe('createRandom', () => {
  it('repeats its sequence for a seed and samples distinct items', () => {
    const first = createRandom(9)
    const second = createRandom(9)
    const values = Array.from({ length: 5 }, () => first.next())
    expect(Array.from({ length: 5 }, () => second.next())).toEqual(values)
    expect(values.every((value) => value >= 0 && value < 1)).toBe(true)
    const sample = createRandom(3).sample([1, 2, 3, 4, 5, 6, 7, 8], 5)
    expect(new Set(sample).size).toBe(5)
  })
})
