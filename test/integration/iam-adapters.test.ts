import { CreatePolicyVersionCommand, GetRoleCommand, IAMClient } from '@aws-sdk/client-iam'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { IamAccountReader } from '#shared/aws/account-reader.ts'
import { readAuthorizationDetails } from '#shared/aws/authorization-details.ts'
import { countCalls } from '#shared/aws/call-counter.ts'
import { IamReader } from '#shared/aws/iam-reader.ts'
import { IamWriter } from '#shared/aws/iam-writer.ts'
import { emulatorClientConfig, type MotoServer, startMotoServer } from '#test-support/emulator/moto-server.ts'
import { type DemoAccountSummary, seedDemoAccount } from '#test-support/seed/seed-account.ts'

const ACCOUNT = '123456789012'
const SUPPORT_ACCESS = 'arn:aws:iam::aws:policy/AWSSupportAccess'
const SUPPORT_APP_FULL = 'arn:aws:iam::aws:policy/AWSSupportAppFullAccess'
const ADMIN_ACCESS = 'arn:aws:iam::aws:policy/AdministratorAccess'
const rootTrust = {
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'sts:AssumeRole' },
  ],
}

// No skip when the emulator is missing: startMotoServer throws EmulatorMissingError and every test fails.
let server: MotoServer | undefined
let iam: IAMClient
let seeded: DemoAccountSummary

beforeAll(async () => {
  server = await startMotoServer()
  iam = new IAMClient(emulatorClientConfig(server.endpoint))
  seeded = await seedDemoAccount({ iam })
})

afterAll(async () => {
  iam?.destroy()
  await server?.stop()
})

function statementActions(document: unknown): string[] {
  const statements = (document as { Statement?: { Action?: string | string[] }[] }).Statement ?? []
  return statements.flatMap((statement) => [statement.Action ?? []].flat())
}

describe('seedDemoAccount', () => {
  it('creates the demo principals and returns their ARNs', () => {
    expect(seeded).toMatchObject({
      accountId: ACCOUNT,
      roles: {
        supportTeam: `arn:aws:iam::${ACCOUNT}:role/SupportTeam`,
        supportApp: `arn:aws:iam::${ACCOUNT}:role/AWSSupportAppRole`,
        admin: `arn:aws:iam::${ACCOUNT}:role/Admin`,
      },
      users: {
        devOne: `arn:aws:iam::${ACCOUNT}:user/dev-one`,
        devTwo: `arn:aws:iam::${ACCOUNT}:user/dev-two`,
        opsAdmin: `arn:aws:iam::${ACCOUNT}:user/ops-admin`,
      },
      groups: {
        developers: `arn:aws:iam::${ACCOUNT}:group/Developers`,
        admins: `arn:aws:iam::${ACCOUNT}:group/Admins`,
      },
      policies: { supportReadonly: `arn:aws:iam::${ACCOUNT}:policy/support-readonly` },
    })
  })

  it('creates the service-linked roles under the AWS service-role path', () => {
    const prefix = `arn:aws:iam::${ACCOUNT}:role/aws-service-role/`
    expect(seeded.roles.supportServiceLinked.startsWith(`${prefix}support.amazonaws.com/`)).toBe(true)
    expect(seeded.roles.serviceQuotasServiceLinked.startsWith(`${prefix}servicequotas.amazonaws.com/`)).toBe(
      true,
    )
    // AWS names them AWSServiceRoleForSupport / AWSServiceRoleForServiceQuotas; the emulator lower-cases the suffix.
    const name = (arn: string) => arn.slice(arn.lastIndexOf('/') + 1).toLowerCase()
    expect(name(seeded.roles.supportServiceLinked)).toBe('awsserviceroleforsupport')
    expect(name(seeded.roles.serviceQuotasServiceLinked)).toBe('awsserviceroleforservicequotas')
  })

  it('returns the same summary when called again on the same account', async () => {
    await expect(seedDemoAccount({ iam })).resolves.toEqual(seeded)
  })
})

describe('readAuthorizationDetails against the emulator', () => {
  it('returns the seeded principals and their managed policies in the CLI shape', async () => {
    const details = await readAuthorizationDetails(iam, ACCOUNT)

    expect(details.AccountId).toBe(ACCOUNT)
    expect(details.RoleDetailList.map((role) => role.Arn).sort()).toEqual(
      [
        seeded.roles.admin,
        seeded.roles.supportApp,
        seeded.roles.supportTeam,
        seeded.roles.supportServiceLinked,
        seeded.roles.serviceQuotasServiceLinked,
      ].sort(),
    )
    expect(
      details.UserDetailList.map((user) => [user.UserName, user.GroupList]).sort((a, b) =>
        String(a[0]).localeCompare(String(b[0])),
      ),
    ).toEqual([
      ['dev-one', ['Developers']],
      ['dev-two', ['Developers']],
      ['ops-admin', ['Admins']],
    ])
    expect(details.GroupDetailList.map((group) => group.GroupName).sort()).toEqual(['Admins', 'Developers'])

    const supportTeam = details.RoleDetailList.find((role) => role.RoleName === 'SupportTeam')
    expect(supportTeam?.AttachedManagedPolicies).toEqual([
      { PolicyName: 'AWSSupportAccess', PolicyArn: SUPPORT_ACCESS },
    ])
    expect(typeof supportTeam?.CreateDate).toBe('string')

    const policyArns = new Set(details.Policies.map((policy) => policy.Arn))
    for (const arn of [SUPPORT_ACCESS, SUPPORT_APP_FULL, ADMIN_ACCESS, seeded.policies.supportReadonly]) {
      expect(policyArns).toContain(arn)
    }
    const supportAccess = details.Policies.find((policy) => policy.Arn === SUPPORT_ACCESS)
    expect(supportAccess?.PolicyName).toBe('AWSSupportAccess')
    const defaultVersion = supportAccess?.PolicyVersionList?.find((version) => version.IsDefaultVersion)
    expect(statementActions(JSON.parse(decodeURIComponent(defaultVersion?.Document ?? '')))).toContain(
      'support:*',
    )
    expect(JSON.parse(JSON.stringify(details))).toStrictEqual(details)
  })
})

describe('IamReader against the emulator', () => {
  it('reads SupportTeam with AWSSupportAccess attached and its trust decoded', async () => {
    const role = await new IamReader(iam).readRole('SupportTeam')

    expect(role).toMatchObject({
      kind: 'role',
      arn: seeded.roles.supportTeam,
      name: 'SupportTeam',
      path: '/',
      attached: [{ arn: SUPPORT_ACCESS, name: 'AWSSupportAccess' }],
      inline: [],
      trustPolicy: rootTrust,
    })
  })

  it('reads users, groups and a service-linked role', async () => {
    const reader = new IamReader(iam)

    await expect(reader.readUser('dev-one')).resolves.toMatchObject({ kind: 'user', groups: ['Developers'] })
    await expect(reader.readGroup('Developers')).resolves.toMatchObject({
      attached: [{ arn: seeded.policies.supportReadonly, name: 'support-readonly' }],
    })
    const slrName = seeded.roles.supportServiceLinked.slice(
      seeded.roles.supportServiceLinked.lastIndexOf('/') + 1,
    )
    await expect(reader.readRole(slrName)).resolves.toMatchObject({
      path: '/aws-service-role/support.amazonaws.com/',
      trustPolicy: { Statement: [{ Principal: { Service: ['support.amazonaws.com'] } }] },
    })
  })

  it('returns undefined for principals and policies that do not exist', async () => {
    const reader = new IamReader(iam)

    await expect(reader.readRole('NoSuchRole')).resolves.toBeUndefined()
    await expect(reader.readUser('no-such-user')).resolves.toBeUndefined()
    await expect(reader.readGroup('NoSuchGroup')).resolves.toBeUndefined()
    await expect(reader.readManagedPolicy(`arn:aws:iam::${ACCOUNT}:policy/none`)).resolves.toBeUndefined()
  })

  it('reads managed policy documents once per version', async () => {
    const reader = new IamReader(iam)
    const counter = countCalls(iam)
    try {
      const first = await reader.readManagedPolicy(SUPPORT_APP_FULL)
      await reader.readManagedPolicy(SUPPORT_APP_FULL)

      expect(statementActions(first?.document)).toContain('support:CreateCase')
      // AWS managed: the default version is reused within the TTL, the document per version.
      expect(counter.counts.get('GetPolicy')).toBe(1)
      expect(counter.counts.get('GetPolicyVersion')).toBe(1)
    } finally {
      counter.reset()
    }
  })

  it('reads a role in three IAM calls', async () => {
    const counter = countCalls(iam)
    await new IamReader(iam).readRole('SupportTeam')

    expect(Object.fromEntries(counter.counts)).toEqual({
      GetRole: 1,
      ListAttachedRolePolicies: 1,
      ListRolePolicies: 1,
    })
  })
})

describe('IamAccountReader.readAccount against the emulator', () => {
  it('reads the account in bulk as the same records the one-by-one reads give', async () => {
    const reader = new IamAccountReader(iam)
    const account = await reader.readAccount(ACCOUNT)
    const bulk = account.roles.find((role) => role.name === 'SupportTeam')
    const single = await reader.readRole('SupportTeam')
    expect(bulk?.arn).toBe(seeded.roles.supportTeam)
    expect(bulk?.attached.map((policy) => policy.arn).sort()).toEqual(
      single?.attached.map((policy) => policy.arn).sort(),
    )
    expect(account.accountId).toBe(ACCOUNT)
  })
})

describe('IamWriter against the emulator', () => {
  it('detaches and re-attaches a managed policy', async () => {
    const writer = new IamWriter(iam)
    const reader = new IamReader(iam)

    await writer.detachPolicy('role', 'SupportTeam', SUPPORT_ACCESS)
    await expect(reader.readRole('SupportTeam')).resolves.toMatchObject({ attached: [] })

    await writer.attachPolicy('role', 'SupportTeam', SUPPORT_ACCESS)
    await expect(reader.readRole('SupportTeam')).resolves.toMatchObject({
      attached: [{ arn: SUPPORT_ACCESS, name: 'AWSSupportAccess' }],
    })
  })

  it('puts an inline policy that reads back decoded, then deletes it', async () => {
    const writer = new IamWriter(iam)
    const reader = new IamReader(iam)
    const deny = {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Deny', Action: ['support:ResolveCase'], Resource: '*' }],
    }

    await writer.putInlinePolicy('role', 'SupportTeam', 'deny-resolve', deny)
    await expect(reader.readRole('SupportTeam')).resolves.toMatchObject({
      inline: [{ name: 'deny-resolve', document: deny }],
    })

    await writer.deleteInlinePolicy('role', 'SupportTeam', 'deny-resolve')
    await expect(reader.readRole('SupportTeam')).resolves.toMatchObject({ inline: [] })
  })

  it('restores a trust policy', async () => {
    const writer = new IamWriter(iam)
    const open = { ...rootTrust, Statement: [{ ...rootTrust.Statement[0], Principal: { AWS: '*' } }] }

    await writer.updateAssumeRolePolicy('SupportTeam', open)
    await expect(new IamReader(iam).readRole('SupportTeam')).resolves.toMatchObject({ trustPolicy: open })

    await writer.updateAssumeRolePolicy('SupportTeam', rootTrust)
    await expect(new IamReader(iam).readRole('SupportTeam')).resolves.toMatchObject({
      trustPolicy: rootTrust,
    })
  })

  it('restores a group membership', async () => {
    const writer = new IamWriter(iam)

    await writer.removeUserFromGroup('Developers', 'dev-two')
    await expect(new IamReader(iam).readUser('dev-two')).resolves.toMatchObject({ groups: [] })

    await writer.addUserToGroup('Developers', 'dev-two')
    await expect(new IamReader(iam).readUser('dev-two')).resolves.toMatchObject({ groups: ['Developers'] })
  })

  it('sets and removes a role permissions boundary', async () => {
    const writer = new IamWriter(iam)

    await writer.putPermissionsBoundary('role', 'Admin', seeded.policies.supportReadonly)
    await expect(new IamReader(iam).readRole('Admin')).resolves.toMatchObject({
      boundaryArn: seeded.policies.supportReadonly,
    })

    await writer.deletePermissionsBoundary('role', 'Admin')
    const admin = await new IamReader(iam).readRole('Admin')
    expect(admin?.boundaryArn).toBeUndefined()
  })

  it('rolls a customer policy back to an earlier default version', async () => {
    const arn = seeded.policies.supportReadonly
    const widened = {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 'support:*', Resource: '*' }],
    }
    await iam.send(
      new CreatePolicyVersionCommand({
        PolicyArn: arn,
        PolicyDocument: JSON.stringify(widened),
        SetAsDefault: true,
      }),
    )
    const reader = new IamReader(iam)
    await expect(reader.readManagedPolicy(arn)).resolves.toMatchObject({
      defaultVersionId: 'v2',
      document: widened,
    })

    await new IamWriter(iam).setDefaultPolicyVersion(arn, 'v1')

    const restored = await reader.readManagedPolicy(arn)
    expect(restored?.defaultVersionId).toBe('v1')
    expect(statementActions(restored?.document)).toEqual(['support:Describe*'])
    await expect(reader.listPolicyVersions(arn)).resolves.toMatchObject([
      { versionId: 'v1', isDefault: true },
      { versionId: 'v2', isDefault: false },
    ])
  })

  it('creates a service-linked role and returns its ARN', async () => {
    const arn = await new IamWriter(iam).createServiceLinkedRole('trustedadvisor.amazonaws.com')

    expect(arn).toMatch(/^arn:aws:iam::123456789012:role\/aws-service-role\/trustedadvisor\.amazonaws\.com\//)
    const name = arn?.slice(arn.lastIndexOf('/') + 1) ?? ''
    const created = await iam.send(new GetRoleCommand({ RoleName: name }))
    expect(created.Role?.Arn).toBe(arn)
  })

  it('reports a failed write as IamWriteError with the IAM error name', async () => {
    await expect(new IamWriter(iam).detachPolicy('role', 'NoSuchRole', SUPPORT_ACCESS)).rejects.toMatchObject(
      {
        name: 'IamWriteError',
        operation: 'DetachRolePolicy',
        awsErrorName: 'NoSuchEntityException',
      },
    )
  })
})
