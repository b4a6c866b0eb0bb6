import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parseAccountSnapshot } from '#shared/snapshot/parse-snapshot.ts'
import { SnapshotReader } from '#shared/snapshot/snapshot-reader.ts'

const snapshot = parseAccountSnapshot(
  JSON.parse(readFileSync(new URL('../../../shared/examples/example-account.json', import.meta.url), 'utf8')),
)
const reader = new SnapshotReader(snapshot)
const ACCOUNT = '123456789012'

describe('SnapshotReader', () => {
  it.each(['SupportTeam', 'supportteam', 'SUPPORTTEAM'])(
    'reads role %s regardless of case, as IAM does',
    async (name) => {
      const role = await reader.readRole(name)
      expect(role?.arn).toBe(`arn:aws:iam::${ACCOUNT}:role/SupportTeam`)
      expect(role?.kind).toBe('role')
    },
  )

  it('reads users and groups by name, undefined when absent', async () => {
    expect((await reader.readUser('Support-Reader'))?.groups).toEqual(['SupportReaders'])
    expect((await reader.readGroup('admins'))?.arn).toBe(`arn:aws:iam::${ACCOUNT}:group/Admins`)
    expect(await reader.readRole('NoSuchRole')).toBeUndefined()
    expect(await reader.readUser('nobody')).toBeUndefined()
    expect(await reader.readGroup('Nobody')).toBeUndefined()
  })

  it('does not mix users, roles and groups of the same name', async () => {
    expect(await reader.readUser('SupportTeam')).toBeUndefined()
    expect(await reader.readRole('ops-admin')).toBeUndefined()
  })

  it('lists the members of a group by user name', async () => {
    expect(await reader.listGroupMembers('Admins')).toEqual(['ops-admin', 'platform-admin'])
    expect(await reader.listGroupMembers('supportreaders')).toEqual(['support-reader'])
    expect(await reader.listGroupMembers('Nobody')).toEqual([])
  })

  it('reads a managed policy of the snapshot with its default document', async () => {
    const policy = await reader.readManagedPolicy(`arn:aws:iam::${ACCOUNT}:policy/SupportReadersPolicy`)
    expect(policy?.defaultVersionId).toBe('v2')
    expect(policy?.document).toBe(
      snapshot.policies.find((entry) => entry.name === 'SupportReadersPolicy')?.document,
    )
  })

  it('falls back to the published document of a known AWS managed policy missing from the snapshot', async () => {
    const empty = new SnapshotReader({ ...snapshot, policies: [] })
    const policy = await empty.readManagedPolicy('arn:aws:iam::aws:policy/AWSSupportAccess')
    expect(policy).toMatchObject({
      arn: 'arn:aws:iam::aws:policy/AWSSupportAccess',
      name: 'AWSSupportAccess',
      defaultVersionId: 'v1',
    })
    expect(JSON.stringify(policy?.document)).toContain('support:*')
    expect(policy?.versions).toEqual([{ versionId: 'v1', isDefault: true, document: policy?.document }])
    expect(await empty.readManagedPolicy('arn:aws:iam::aws:policy/NoSuchPolicy')).toBeUndefined()
    expect(
      await empty.readManagedPolicy(`arn:aws:iam::${ACCOUNT}:policy/SupportReadersPolicy`),
    ).toBeUndefined()
  })

  it('prefers the snapshot copy of an AWS managed policy to the published one', async () => {
    const copy = snapshot.policies.find((entry) => entry.name === 'AWSSupportAccess')
    expect(copy).toBeDefined()
    expect(await reader.readManagedPolicy('arn:aws:iam::aws:policy/AWSSupportAccess')).toBe(copy)
  })

  it('reads a given version of a policy, undefined for an unknown version or policy', async () => {
    const arn = `arn:aws:iam::${ACCOUNT}:policy/SupportReadersPolicy`
    const policy = snapshot.policies.find((entry) => entry.arn === arn)
    expect(await reader.readPolicyVersion(arn, 'v1')).toBe(
      policy?.versions.find((v) => v.versionId === 'v1')?.document,
    )
    expect(await reader.readPolicyVersion(arn, 'v1')).not.toBe(await reader.readPolicyVersion(arn, 'v2'))
    expect(await reader.readPolicyVersion(arn, 'v9')).toBeUndefined()
    expect(await reader.readPolicyVersion(`arn:aws:iam::${ACCOUNT}:policy/Nope`, 'v1')).toBeUndefined()
  })

  it('lists who holds a managed policy', async () => {
    expect(await reader.listPolicyHolders('arn:aws:iam::aws:policy/AWSSupportAccess')).toEqual({
      roles: ['SupportTeam', 'SupportAppIncidentsRole', 'VendorSupportAccess'],
      users: ['boundary-dev'],
      groups: [],
    })
    expect(await reader.listPolicyHolders('arn:aws:iam::aws:policy/AdministratorAccess')).toEqual({
      roles: ['AdminRole'],
      users: [],
      groups: ['Admins'],
    })
    expect(await reader.listPolicyHolders('arn:aws:iam::aws:policy/Nothing')).toEqual({
      roles: [],
      users: [],
      groups: [],
    })
  })
})
