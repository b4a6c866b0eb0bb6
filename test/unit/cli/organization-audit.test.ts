import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { auditReportSchema, organizationAuditReportSchema } from '#shared/report/contract-schemas.ts'
import { generateAccount } from '#test-support/synthetic/synthetic-account.ts'
import {
  EXAMPLE_ACCOUNT,
  expectOneLineUsageError,
  ROOT,
  runBuiltCli,
  runBuiltCliJson,
  writeTempFiles,
} from './run-built-cli.ts'
import { FULL_ACCESS_TEXT as ALL, DENY_SUPPORT_TEXT as DENY_SUPPORT } from './scp-texts.ts'

const EXAMPLE_ID = '123456789012'
const OTHER_ID = '210987654321'

/** The example account under OU Sandbox, which denies support; the synthetic one under Workloads. */
const organization = {
  Organization: { Id: 'o-abc123def4', MasterAccountId: '999999999999' },
  Roots: [{ Id: 'r-1', Name: 'Root' }],
  OrganizationalUnits: [
    { Id: 'ou-1', Name: 'Workloads', ParentId: 'r-1' },
    { Id: 'ou-2', Name: 'Sandbox', ParentId: 'r-1' },
  ],
  Accounts: [
    { Id: EXAMPLE_ID, Name: 'example', ParentId: 'ou-2' },
    { Id: OTHER_ID, Name: 'workload', ParentId: 'ou-1' },
    { Id: '333333333333', Name: 'no-export', ParentId: 'ou-1' },
  ],
  ServiceControlPolicies: [
    {
      Id: 'p-FullAWSAccess',
      Name: 'FullAWSAccess',
      Content: ALL,
      Targets: ['r-1', 'ou-1', 'ou-2', EXAMPLE_ID, OTHER_ID],
    },
    { Id: 'p-deny', Name: 'DenySupport', Content: DENY_SUPPORT, Targets: ['ou-2'] },
  ],
}

const example = readFileSync(join(ROOT, EXAMPLE_ACCOUNT), 'utf8')
const other = generateAccount({ seed: 4, principals: 60, accountId: OTHER_ID })
const dir = writeTempFiles({ 'org.json': organization, 'a-example.json': example, 'b-other.json': other })
const exportsDir = join(dir, 'exports')
mkdirSync(exportsDir)
writeFileSync(join(exportsDir, 'organization.json'), JSON.stringify(organization))
writeFileSync(join(exportsDir, `${EXAMPLE_ID}.json`), example)
writeFileSync(join(exportsDir, `${OTHER_ID}.json`), JSON.stringify(other))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const files = ['--snapshot', join(dir, 'a-example.json'), '--snapshot', join(dir, 'b-other.json')]

async function single(file: string) {
  const { json } = await runBuiltCliJson([
    'audit',
    '--snapshot',
    file,
    '--org',
    join(dir, 'org.json'),
    '--format',
    'json',
  ])
  return auditReportSchema.parse(json)
}

describe('support-guard audit over several accounts', () => {
  it('prints one report whose accounts are each account audited alone with the organisation', async () => {
    const { result, json } = await runBuiltCliJson([
      'audit',
      ...files,
      '--org',
      join(dir, 'org.json'),
      '--format',
      'json',
    ])
    expect(result.status).toBe(1)
    const report = organizationAuditReportSchema.parse(json)
    expect(report.organizationId).toBe('o-abc123def4')
    expect(report.accounts.map((account) => account.accountId)).toEqual([EXAMPLE_ID, OTHER_ID])
    expect(report.accounts[0]).toEqual(await single(join(dir, 'a-example.json')))
    expect(report.accounts[1]).toEqual(await single(join(dir, 'b-other.json')))
    // The SCP at Sandbox takes support from the example account only.
    const allowed = (index: number) =>
      report.accounts[index]?.access.filter((entry) => entry.decisions['support:CreateCase'] !== 'deny')
        .length
    expect(allowed(0)).toBe(0)
    expect(allowed(1)).toBeGreaterThan(0)
    expect(result.stderr).toMatch(
      /^support-guard: warning: account 333333333333 \(no-export\) of the organisation has no export: not audited$/m,
    )
  })

  it('reads a directory of exports with its organization.json as the same report', async () => {
    const fromFiles = await runBuiltCli([
      'audit',
      ...files,
      '--org',
      join(dir, 'org.json'),
      '--format',
      'json',
    ])
    const fromDir = await runBuiltCli(['audit', '--snapshot', exportsDir, '--format', 'json'])
    expect(fromDir.status).toBe(fromFiles.status)
    expect(fromDir.stdout).toBe(fromFiles.stdout)
  })

  it('groups the text report by account, named as the organisation names them', async () => {
    const { stdout, status } = await runBuiltCli(['audit', '--snapshot', exportsDir, '--wide'])
    expect(status).toBe(1)
    const example = stdout.indexOf(`Account example (${EXAMPLE_ID})`)
    const workload = stdout.indexOf(`Account workload (${OTHER_ID})`)
    expect(example).toBeGreaterThanOrEqual(0)
    expect(workload).toBeGreaterThan(example)
  })

  it('refuses two exports of one account, and several snapshots for who-can and replay', async () => {
    const twice = await runBuiltCli([
      'audit',
      '--snapshot',
      join(dir, 'a-example.json'),
      '--snapshot',
      join(dir, 'a-example.json'),
    ])
    expectOneLineUsageError(twice)
    expect(twice.stderr).toMatch(/are both exports of account 123456789012/)
    // Refused before any report is written: no half a JSON document on stdout.
    const twiceJson = await runBuiltCli([
      'audit',
      '--snapshot',
      join(dir, 'b-other.json'),
      '--snapshot',
      join(dir, 'b-other.json'),
      '--format',
      'json',
    ])
    expectOneLineUsageError(twiceJson)
    expect(twiceJson.stdout).toBe('')
    expectOneLineUsageError(await runBuiltCli(['who-can', 'support:CreateCase', ...files]))
  })
})

describe('support roles reached across accounts', () => {
  const A = '111100001111'
  const B = '222200002222'
  const doc = (...Statement: object[]) => ({ Version: '2012-10-17', Statement })
  const accountA = {
    AccountId: A,
    UserDetailList: [
      {
        UserName: 'alice',
        Arn: `arn:aws:iam::${A}:user/alice`,
        UserPolicyList: [
          {
            PolicyName: 'assume-support',
            PolicyDocument: doc({
              Effect: 'Allow',
              Action: 'sts:AssumeRole',
              Resource: `arn:aws:iam::${B}:role/*`,
            }),
          },
        ],
      },
      { UserName: 'bob', Arn: `arn:aws:iam::${A}:user/bob` },
    ],
  }
  const accountB = {
    AccountId: B,
    RoleDetailList: [
      {
        RoleName: 'SupportOps',
        Arn: `arn:aws:iam::${B}:role/SupportOps`,
        AssumeRolePolicyDocument: doc({
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${A}:root` },
          Action: 'sts:AssumeRole',
        }),
        RolePolicyList: [
          {
            PolicyName: 'support',
            PolicyDocument: doc({ Effect: 'Allow', Action: 'support:*', Resource: '*' }),
          },
        ],
      },
    ],
  }
  const reachDir = writeTempFiles({ 'a.json': accountA, 'b.json': accountB })
  afterAll(() => rmSync(reachDir, { recursive: true, force: true }))

  async function grantsIn(files: string[]) {
    const args = [
      'audit',
      ...files.flatMap((file) => ['--snapshot', join(reachDir, file)]),
      '--format',
      'json',
    ]
    const { json } = await runBuiltCliJson(args)
    const parsed =
      files.length > 1 ? organizationAuditReportSchema.parse(json).accounts : [auditReportSchema.parse(json)]
    return parsed.flatMap((report) =>
      report.findings
        .filter((finding) => finding.rule === 'SUPPORT_ACCESS_GRANTED')
        .map((finding) => ({
          principal: finding.principalArn,
          roles: finding.evidence.assumableSupportRoles,
        })),
    )
  }

  it('reports a principal that can assume a support role of another audited account, with the role', async () => {
    expect(await grantsIn(['a.json', 'b.json'])).toEqual(
      expect.arrayContaining([
        { principal: `arn:aws:iam::${A}:user/alice`, roles: [`arn:aws:iam::${B}:role/SupportOps`] },
      ]),
    )
    const principals = (await grantsIn(['a.json', 'b.json'])).map((entry) => entry.principal)
    expect(principals).not.toContain(`arn:aws:iam::${A}:user/bob`)
  })

  it('does not report it when the other account is not audited', async () => {
    expect((await grantsIn(['a.json'])).map((entry) => entry.principal)).not.toContain(
      `arn:aws:iam::${A}:user/alice`,
    )
  })
})
