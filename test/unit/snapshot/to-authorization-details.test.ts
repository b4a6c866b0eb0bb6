import { readFileSync } from 'node:fs'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { parseAccountSnapshot } from '#shared/snapshot/parse-snapshot.ts'
import { toAuthorizationDetails } from '#shared/snapshot/to-authorization-details.ts'

const EXAMPLE: unknown = JSON.parse(
  readFileSync(new URL('../../../shared/examples/example-account.json', import.meta.url), 'utf8'),
)

/** What a written snapshot file holds: the export shape through JSON text. */
function writeAndRead(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value))
}

const name = fc.stringMatching(/^[A-Za-z][\w+=,.@-]{0,15}$/)
const account = fc.stringMatching(/^\d{12}$/)
const document = fc.oneof(
  fc.constant({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: 'support:*', Resource: '*' }],
  }),
  fc.constant('%7B%22Statement%22%3A%5B%5D%7D'),
  fc.jsonValue({ maxDepth: 2 }).filter((value) => value !== null),
)
const inlineList = fc.array(fc.record({ PolicyName: name, PolicyDocument: document }), { maxLength: 2 })
const attachedList = fc.array(
  name.map((policy) => ({ PolicyName: policy, PolicyArn: `arn:aws:iam::aws:policy/${policy}` })),
  { maxLength: 2 },
)
const tags = fc.array(fc.record({ Key: name, Value: fc.string({ maxLength: 6 }) }), { maxLength: 2 })
const boundary = fc.option(
  name.map((policy) => ({ PermissionsBoundaryArn: `arn:aws:iam::aws:policy/${policy}` })),
  {
    nil: undefined,
  },
)

/** Exports of arbitrary small accounts, in the CLI's JSON shape. */
const exportArbitrary = fc
  .record({
    account,
    users: fc.array(
      fc.record({
        name,
        inline: inlineList,
        attached: attachedList,
        groups: fc.array(name, { maxLength: 2 }),
        tags,
        boundary,
      }),
      { maxLength: 3 },
    ),
    roles: fc.array(
      fc.record({ name, trust: document, inline: inlineList, attached: attachedList, tags, boundary }),
      {
        maxLength: 3,
      },
    ),
    groups: fc.array(fc.record({ name, inline: inlineList, attached: attachedList }), { maxLength: 2 }),
    policies: fc.array(
      fc.record({
        name,
        versions: fc.array(document, { minLength: 1, maxLength: 3 }),
        defaultIndex: fc.nat(),
      }),
      { maxLength: 3 },
    ),
  })
  .map((raw) => ({
    AccountId: raw.account,
    UserDetailList: raw.users.map((user) => ({
      UserName: user.name,
      Arn: `arn:aws:iam::${raw.account}:user/${user.name}`,
      UserPolicyList: user.inline,
      GroupList: user.groups,
      AttachedManagedPolicies: user.attached,
      Tags: user.tags,
      ...(user.boundary ? { PermissionsBoundary: user.boundary } : {}),
    })),
    RoleDetailList: raw.roles.map((role) => ({
      RoleName: role.name,
      Arn: `arn:aws:iam::${raw.account}:role/${role.name}`,
      AssumeRolePolicyDocument: role.trust,
      RolePolicyList: role.inline,
      AttachedManagedPolicies: role.attached,
      Tags: role.tags,
      ...(role.boundary ? { PermissionsBoundary: role.boundary } : {}),
    })),
    GroupDetailList: raw.groups.map((group) => ({
      GroupName: group.name,
      Arn: `arn:aws:iam::${raw.account}:group/${group.name}`,
      GroupPolicyList: group.inline,
      AttachedManagedPolicies: group.attached,
    })),
    Policies: raw.policies.map((policy) => ({
      PolicyName: policy.name,
      Arn: `arn:aws:iam::${raw.account}:policy/${policy.name}`,
      DefaultVersionId: `v${(policy.defaultIndex % policy.versions.length) + 1}`,
      PolicyVersionList: policy.versions.map((versionDocument, index) => ({
        VersionId: `v${index + 1}`,
        IsDefaultVersion: index === policy.defaultIndex % policy.versions.length,
        Document: versionDocument,
      })),
    })),
  }))

describe('toAuthorizationDetails', () => {
  it('round-trips the example: parse, write, parse gives the same snapshot', () => {
    const snapshot = parseAccountSnapshot(EXAMPLE)
    expect(parseAccountSnapshot(writeAndRead(toAuthorizationDetails(snapshot)))).toEqual(snapshot)
  })

  it('writes the export keys the CLI and the AWS CLI use', () => {
    const written = toAuthorizationDetails(parseAccountSnapshot(EXAMPLE))
    expect(Object.keys(written).sort()).toEqual(
      [
        'AccountId',
        'GroupDetailList',
        'Policies',
        'RoleDetailList',
        'SupportAppSlackChannelConfigurations',
        'UserDetailList',
      ].sort(),
    )
  })

  it('round-trips arbitrary small accounts', () => {
    fc.assert(
      fc.property(exportArbitrary, (generated) => {
        const snapshot = parseAccountSnapshot(writeAndRead(generated))
        const again = parseAccountSnapshot(writeAndRead(toAuthorizationDetails(snapshot)))
        expect(again).toEqual(snapshot)
        expect(toAuthorizationDetails(again)).toEqual(toAuthorizationDetails(snapshot))
      }),
      { numRuns: 500 },
    )
  })
})
