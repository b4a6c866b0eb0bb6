import { GetRoleCommand, GetUserCommand, IAMClient } from '@aws-sdk/client-iam'
import { describe, expect, it } from 'vitest'
import type { AccountSnapshot } from '#shared/snapshot/types.ts'
import { SeedError } from '#test-support/seed/seed-account.ts'
import {
  ACCOUNT_ID,
  allowDocument,
  makeGroup,
  makePolicy,
  makeRole,
  makeUser,
  SUPPORT_ACCESS,
} from '../../test/unit/helpers/example-account.ts'
import { addUserBoundaries, documentText, seedSnapshot } from '../lib/seed-snapshot.ts'

const BOUNDARY = `arn:aws:iam::${ACCOUNT_ID}:policy/DeveloperBoundary`

/** A real client that records each command and answers it from `answer`, without a network. */
function offlineClient(answer: (command: string, input: Record<string, unknown>) => object = () => ({})) {
  const sent: string[] = []
  const client = new IAMClient({
    region: 'us-east-1',
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
  })
  client.middlewareStack.add(
    (_next, context) => async (args) => {
      const command = (context.commandName ?? '').replace(/Command$/, '')
      const input = args.input as Record<string, unknown>
      const detail = ['VersionId', 'GroupName', 'UserName', 'RoleName', 'PolicyName']
        .filter((key) => input[key] !== undefined)
        .map((key) => String(input[key]))
      sent.push([command, ...detail].join(' '))
      return { output: { $metadata: {}, ...answer(command, input) }, response: {} }
    },
    { step: 'build', name: 'recordAndAnswer' },
  )
  return { client, sent }
}

function snapshot(parts: Partial<AccountSnapshot>): AccountSnapshot {
  return {
    accountId: ACCOUNT_ID,
    users: [],
    groups: [],
    roles: [],
    policies: [],
    slackChannelConfigurations: [],
    ...parts,
  }
}

const createdArn = (command: string, input: Record<string, unknown>) =>
  command === 'CreatePolicy'
    ? { Policy: { Arn: `arn:aws:iam::${ACCOUNT_ID}:policy${String(input.Path)}${String(input.PolicyName)}` } }
    : {}

describe('seedSnapshot', () => {
  it('creates every version number up to the highest, sets the default and deletes the gaps', async () => {
    const policy = makePolicy(
      'Cases',
      { v2: allowDocument('support:*'), v4: allowDocument('support:Describe*') },
      'v2',
    )
    const { client, sent } = offlineClient(createdArn)
    await seedSnapshot(client, snapshot({ policies: [policy] }))
    expect(sent).toEqual([
      'CreatePolicy Cases',
      'CreatePolicyVersion',
      'CreatePolicyVersion',
      'CreatePolicyVersion',
      'SetDefaultPolicyVersion v2',
      'DeletePolicyVersion v1',
      'DeletePolicyVersion v3',
    ])
  })

  it('attaches AWS managed policies without creating them and skips memberships of absent groups', async () => {
    const { client, sent } = offlineClient(createdArn)
    await seedSnapshot(
      client,
      snapshot({
        policies: [makePolicy('AWSSupportAccess', { v1: allowDocument('support:*') }, 'v1')].map((entry) => ({
          ...entry,
          arn: SUPPORT_ACCESS,
        })),
        groups: [makeGroup('Engineers', { attached: [SUPPORT_ACCESS] })],
        users: [makeUser('dev', { groups: ['Engineers', 'Gone'] })],
      }),
    )
    expect(sent).toEqual([
      'CreateGroup Engineers',
      'AttachGroupPolicy Engineers',
      'CreateUser dev',
      'AddUserToGroup Engineers dev',
    ])
  })

  it('refuses when IAM names a created policy differently from the snapshot', async () => {
    const { client } = offlineClient(() => ({ Policy: { Arn: 'arn:aws:iam::111111111111:policy/Cases' } }))
    const policy = makePolicy('Cases', { v1: allowDocument('support:*') }, 'v1')
    await expect(seedSnapshot(client, snapshot({ policies: [policy] }))).rejects.toThrow(SeedError)
  })
})

describe('documentText', () => {
  it('turns objects and URL-encoded documents into JSON text', () => {
    const document = allowDocument('support:*')
    expect(JSON.parse(documentText(document, 'x'))).toEqual(document)
    expect(JSON.parse(documentText(encodeURIComponent(JSON.stringify(document)), 'x'))).toEqual(document)
  })

  it('names the entity of a document that is not JSON', () => {
    expect(() => documentText('not a policy', 'role R trust policy')).toThrow(/role R trust policy/)
  })
})

describe('addUserBoundaries', () => {
  const answer = (command: string, input: Record<string, unknown>) =>
    command === 'GetUser'
      ? {
          User: {
            UserName: input.UserName,
            Arn: `arn:aws:iam::${ACCOUNT_ID}:user/${String(input.UserName)}`,
          },
        }
      : { Role: { RoleName: input.RoleName } }
  const state = snapshot({
    users: [makeUser('bounded', { boundaryArn: BOUNDARY }), makeUser('free')],
    roles: [makeRole('SupportTeam', { boundaryArn: BOUNDARY })],
  })

  it('adds the seeded boundary to GetUser answers of that user only', async () => {
    const { client } = offlineClient(answer)
    addUserBoundaries(client, state)
    const bounded = await client.send(new GetUserCommand({ UserName: 'bounded' }))
    const free = await client.send(new GetUserCommand({ UserName: 'free' }))
    const role = await client.send(new GetRoleCommand({ RoleName: 'SupportTeam' }))
    expect(bounded.User?.PermissionsBoundary?.PermissionsBoundaryArn).toBe(BOUNDARY)
    expect(free.User?.PermissionsBoundary).toBeUndefined()
    expect(role.Role?.PermissionsBoundary).toBeUndefined()
  })

  it('follows the latest state when called again on the same client', async () => {
    const { client } = offlineClient(answer)
    addUserBoundaries(client, state)
    addUserBoundaries(client, snapshot({ users: [makeUser('bounded')] }))
    const bounded = await client.send(new GetUserCommand({ UserName: 'bounded' }))
    expect(bounded.User?.PermissionsBoundary).toBeUndefined()
  })
})
