import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts'
import { mockClient } from 'aws-sdk-client-mock'
import { beforeEach, describe, expect, it } from 'vitest'
import {
  AccountClients,
  MemberSessionError,
  MemberSessions,
  READ_ONLY_SESSION_POLICY,
  renewing,
} from '#shared/aws/member-sessions.ts'

const sts = mockClient(STSClient)
const MEMBER = '210987654321'
const HOUR = 3_600_000
const OWN = { accountId: '123456789012', partition: 'aws' }

function answer(expiresAt: number, key = 'ASIAEXAMPLE') {
  return {
    Credentials: {
      AccessKeyId: key,
      SecretAccessKey: 'secret',
      SessionToken: 'token',
      Expiration: new Date(expiresAt),
    },
  }
}

beforeEach(() => sts.reset())

describe('MemberSessions', () => {
  it('assumes the member role of the account with a read-only session policy for a reading function', async () => {
    sts.on(AssumeRoleCommand).resolves(answer(Date.now() + HOUR))
    const sessions = new MemberSessions({
      sts: new STSClient({}),
      sessionName: 'support-guard-detect',
      access: 'read',
    })
    const credentials = await sessions.credentials(MEMBER)()
    expect(credentials).toMatchObject({ accessKeyId: 'ASIAEXAMPLE', sessionToken: 'token' })
    expect(sts.commandCalls(AssumeRoleCommand)[0]?.args[0].input).toEqual({
      RoleArn: `arn:aws:iam::${MEMBER}:role/SupportAccessGuardMember`,
      RoleSessionName: 'support-guard-detect',
      Policy: READ_ONLY_SESSION_POLICY,
    })
    const policy = JSON.parse(READ_ONLY_SESSION_POLICY)
    expect(policy.Statement.flatMap((statement: { Action: string[] }) => statement.Action)).toEqual([
      'iam:Get*',
      'iam:List*',
      'supportapp:List*',
    ])
  })

  it("gives the remediate session the role's own permissions (no session policy) in the function's partition", async () => {
    sts.on(AssumeRoleCommand).resolves(answer(Date.now() + HOUR))
    const sessions = new MemberSessions({
      sts: new STSClient({}),
      sessionName: 'support-guard-remediate',
      access: 'write',
    })
    await sessions.credentials(MEMBER, 'aws-us-gov')()
    expect(sts.commandCalls(AssumeRoleCommand)[0]?.args[0].input).toEqual({
      RoleArn: `arn:aws-us-gov:iam::${MEMBER}:role/SupportAccessGuardMember`,
      RoleSessionName: 'support-guard-remediate',
    })
  })

  it('keeps the credentials of an account until five minutes before they expire', async () => {
    let now = 1_000_000
    sts
      .on(AssumeRoleCommand)
      .resolvesOnce(answer(now + HOUR, 'FIRST'))
      .resolvesOnce(answer(now + 2 * HOUR, 'SECOND'))
    const sessions = new MemberSessions({
      sts: new STSClient({}),
      sessionName: 'support-guard-detect',
      access: 'read',
      now: () => now,
    })
    const provider = sessions.credentials(MEMBER)
    expect(sessions.credentials(MEMBER)).toBe(provider)
    expect((await provider()).accessKeyId).toBe('FIRST')
    now += HOUR - 6 * 60_000
    expect((await provider()).accessKeyId).toBe('FIRST')
    expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(1)
    now += 2 * 60_000
    expect((await provider()).accessKeyId).toBe('SECOND')
    expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(2)
  })

  it('never assumes a role from something that is not an account ID', () => {
    const sessions = new MemberSessions({
      sts: new STSClient({}),
      sessionName: 'support-guard-detect',
      access: 'read',
    })
    for (const bad of ['', '12345678901', '1234567890123', '123456789012/role', 'x'.repeat(12)])
      expect(() => sessions.credentials(bad)).toThrow(MemberSessionError)
    expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(0)
  })

  it('names the role when AssumeRole is refused, and tries again on the next call', async () => {
    sts
      .on(AssumeRoleCommand)
      .rejectsOnce(new Error('not authorized to perform sts:AssumeRole'))
      .resolves(answer(Date.now() + HOUR))
    const sessions = new MemberSessions({
      sts: new STSClient({}),
      sessionName: 'support-guard-audit',
      access: 'read',
    })
    const provider = sessions.credentials(MEMBER)
    await expect(provider()).rejects.toThrow(
      `could not assume arn:aws:iam::${MEMBER}:role/SupportAccessGuardMember: not authorized`,
    )
    await expect(provider()).resolves.toMatchObject({ accessKeyId: 'ASIAEXAMPLE' })
  })

  it('refuses an answer without credentials', async () => {
    sts.on(AssumeRoleCommand).resolves({})
    const sessions = new MemberSessions({
      sts: new STSClient({}),
      sessionName: 'support-guard-audit',
      access: 'read',
    })
    await expect(sessions.credentials(MEMBER)()).rejects.toThrow(/returned no credentials/)
  })
})

describe('renewing', () => {
  it('shares one fetch among callers that ask while it is under way', async () => {
    let fetches = 0
    const provider = renewing(async () => {
      fetches++
      await new Promise((resolve) => setTimeout(resolve, 5))
      return { accessKeyId: 'A', secretAccessKey: 'B' }
    })
    const all = await Promise.all([provider(), provider(), provider()])
    expect(all.map((credentials) => credentials.accessKeyId)).toEqual(['A', 'A', 'A'])
    expect(fetches).toBe(1)
    await provider()
    expect(fetches).toBe(1)
  })
})

describe('AccountClients', () => {
  it("uses the function's own client for its own account and one member client per other account", () => {
    const sessions = new MemberSessions({
      sts: new STSClient({}),
      sessionName: 'support-guard-detect',
      access: 'read',
    })
    const made: string[] = []
    const clients = new AccountClients({ name: 'own' }, sessions, () => {
      made.push('member')
      return { name: `member-${made.length}` }
    })
    expect(clients.for('123456789012', OWN)).toEqual({ name: 'own' })
    const member = clients.for(MEMBER, OWN)
    expect(member).toEqual({ name: 'member-1' })
    expect(clients.for(MEMBER, OWN)).toBe(member)
    expect(made).toHaveLength(1)
  })

  it('has no client for another account when no organisation is configured', () => {
    const clients = new AccountClients({ name: 'own' }, undefined, () => ({ name: 'member' }))
    expect(clients.for(MEMBER, OWN)).toBeUndefined()
    expect(clients.for('123456789012', OWN)).toEqual({ name: 'own' })
  })
})
