import { readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { auditReportSchema, whoCanSchema } from '#shared/report/contract-schemas.ts'
import {
  EXAMPLE_ACCOUNT,
  expectOneLineUsageError,
  ROOT,
  runBuiltCli,
  runBuiltCliJson,
  writeTempFiles,
} from './run-built-cli.ts'
import { FULL_ACCESS_TEXT as ALL, DENY_SUPPORT_TEXT as DENY_SUPPORT } from './scp-texts.ts'

/** The example account (123456789012) in OU Workloads; `denyAt` gets a Deny of support:*. */
function organization(denyAt?: string) {
  return {
    Organization: { Id: 'o-abc123def4', MasterAccountId: '999999999999' },
    Roots: [{ Id: 'r-1', Name: 'Root' }],
    OrganizationalUnits: [{ Id: 'ou-1', Name: 'Workloads', ParentId: 'r-1' }],
    Accounts: [{ Id: '123456789012', Name: 'example', ParentId: 'ou-1' }],
    ServiceControlPolicies: [
      {
        Id: 'p-FullAWSAccess',
        Name: 'FullAWSAccess',
        Content: ALL,
        Targets: ['r-1', 'ou-1', '123456789012'],
      },
      ...(denyAt ? [{ Id: 'p-deny', Name: 'DenySupport', Content: DENY_SUPPORT, Targets: [denyAt] }] : []),
    ],
  }
}

const exported = JSON.parse(readFileSync(join(ROOT, EXAMPLE_ACCOUNT), 'utf8')) as Record<string, unknown>
const dir = writeTempFiles({
  'open.json': organization(),
  'deny-at-ou.json': organization('ou-1'),
  'broken.json': { Organization: { Id: 'o-abc123def4' }, Roots: [] },
  'with-org.json': { ...exported, Organization: organization() },
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

async function decisions(org: string) {
  const { result, json } = await runBuiltCliJson([
    'audit',
    '--snapshot',
    EXAMPLE_ACCOUNT,
    '--org',
    join(dir, org),
    '--format',
    'json',
    '--fail-on',
    'critical',
  ])
  expect(result.status).toBe(0)
  const report = auditReportSchema.parse(json)
  return new Map(report.access.map((entry) => [entry.principalArn, entry.decisions['support:CreateCase']]))
}

describe('support-guard --org FILE', () => {
  it('evaluates the organisation SCPs by level: a Deny at the OU takes support from every user and role', async () => {
    const open = await decisions('open.json')
    const denied = await decisions('deny-at-ou.json')
    const allowedBefore = [...open].filter(([, decision]) => decision !== 'deny').map(([arn]) => arn)
    expect(allowedBefore.length).toBeGreaterThan(3)
    expect([...denied].filter(([, decision]) => decision !== 'deny')).toEqual([])
    expect([...denied.keys()]).toEqual([...open.keys()])
  })

  it('takes the organisation in who-can too', async () => {
    const allowed = async (org: string) => {
      const { result, json } = await runBuiltCliJson([
        'who-can',
        'support:CreateCase',
        '--snapshot',
        EXAMPLE_ACCOUNT,
        '--org',
        join(dir, org),
        '--format',
        'json',
      ])
      expect(result.status).toBe(0)
      return whoCanSchema.parse(json).principals
    }
    expect((await allowed('open.json')).length).toBeGreaterThan(3)
    expect(await allowed('deny-at-ou.json')).toEqual([])
  })

  it('refuses a malformed organisation file with one line naming the field', async () => {
    const result = await runBuiltCli([
      'audit',
      '--snapshot',
      EXAMPLE_ACCOUNT,
      '--org',
      join(dir, 'broken.json'),
    ])
    expectOneLineUsageError(result)
    expect(result.stderr).toMatch(/broken\.json\.Roots: /)
  })

  it('refuses --org for a snapshot that carries its own organisation, and for the snapshot command', async () => {
    const twice = await runBuiltCli([
      'audit',
      '--snapshot',
      join(dir, 'with-org.json'),
      '--org',
      join(dir, 'open.json'),
    ])
    expectOneLineUsageError(twice)
    expect(twice.stderr).toMatch(/already carries Organization/)
  })

  it('takes --org on snapshot as a flag, and --member-role only with it', async () => {
    const valued = await runBuiltCli(['snapshot', '--out', join(dir, 'x'), '--org=o.json'])
    expectOneLineUsageError(valued)
    expect(valued.stderr).toMatch(/snapshot takes --org alone/)
    const role = await runBuiltCli(['snapshot', '--out', join(dir, 'x.json'), '--member-role', 'Reader'])
    expectOneLineUsageError(role)
    expect(role.stderr).toMatch(/--member-role only with --org/)
  })
})
