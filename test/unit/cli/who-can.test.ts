import { readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { whoCanSchema } from '#shared/report/contract-schemas.ts'
import { LONG_PATH_EXPORT, PLAN_ADMINS } from '../report/long-path-account.ts'
import { EXAMPLE_ACCOUNT, ROOT, runBuiltCli, runBuiltCliJson, writeTempFiles } from './run-built-cli.ts'

const exported = JSON.parse(readFileSync(join(ROOT, EXAMPLE_ACCOUNT), 'utf8')) as {
  UserDetailList: { Arn: string; GroupList: string[] }[]
}
/** Members of the group whose policy denies support:ResolveCase. */
const denyGroupMembers = exported.UserDetailList.filter((user) =>
  user.GroupList.includes('SupportReaders'),
).map((user) => user.Arn)

async function whoCan(action: string) {
  const { result, json } = await runBuiltCliJson([
    'who-can',
    action,
    '--snapshot',
    EXAMPLE_ACCOUNT,
    '--format',
    'json',
  ])
  expect(result.stderr).toBe('')
  expect(result.status).toBe(0)
  return whoCanSchema.parse(json)
}

describe('support-guard who-can', () => {
  it('prints the action and every allowed principal with its decision and the policies granting it', async () => {
    const report = await whoCan('support:ResolveCase')
    expect(report.action).toBe('support:ResolveCase')
    const byArn = new Map(report.principals.map((entry) => [entry.principalArn, entry]))
    expect(byArn.get('arn:aws:iam::123456789012:role/SupportTeam')).toEqual({
      principalArn: 'arn:aws:iam::123456789012:role/SupportTeam',
      decision: 'allow',
      via: ['arn:aws:iam::aws:policy/AWSSupportAccess'],
    })
    expect(byArn.get('arn:aws:iam::123456789012:user/finance-analyst')?.decision).toBe('conditional')
    expect(byArn.get('arn:aws:iam::123456789012:user/ops-admin')?.via.join(' ')).toContain(
      'AdministratorAccess',
    )
    for (const entry of report.principals) expect(entry.via.length).toBeGreaterThan(0)
    expect(byArn.has('arn:aws:iam::123456789012:user/boundary-dev')).toBe(false)
    expect(byArn.has('arn:aws:iam::123456789012:user/case-scoped-user')).toBe(false)
  })

  it('keeps the members of the group with a Deny on ResolveCase out, though they hold other support actions', async () => {
    expect(denyGroupMembers).toEqual(['arn:aws:iam::123456789012:user/support-reader'])
    const [resolve, describeCases] = await Promise.all([
      whoCan('support:ResolveCase'),
      whoCan('support:DescribeCases'),
    ])
    const resolvers = resolve.principals.map((entry) => entry.principalArn)
    const describers = describeCases.principals.map((entry) => entry.principalArn)
    for (const member of denyGroupMembers) {
      expect(resolvers).not.toContain(member)
      expect(describers).toContain(member)
    }
  })

  it('accepts the action in any case and answers with the catalog spelling', async () => {
    const [canonical, shouted] = await Promise.all([
      whoCan('support:ResolveCase'),
      whoCan('SUPPORT:resolvecase'),
    ])
    expect(shouted.action).toBe('support:ResolveCase')
    expect(shouted).toEqual(canonical)
  })

  it('prints a table in text format, naming principals and policies shortly under the account', async () => {
    const result = await runBuiltCli(['who-can', 'support:ResolveCase', '--snapshot', EXAMPLE_ACCOUNT])
    expect(result.status).toBe(0)
    expect(result.stdout.split('\n')[0]).toBe('Account 123456789012 (short names; --wide prints full ARNs)')
    expect(result.stdout).toMatch(/^\d+ principal\(s\) can call support:ResolveCase$/m)
    expect(result.stdout).toMatch(/^ {2}role\/SupportTeam\s+allow\s+aws:policy\/AWSSupportAccess$/m)
    expect(result.stdout).toMatch(/^ {2}role\/ops-oncall\s+allow\s+policy\/OpsSupportCases$/m)
    expect(result.stdout).not.toContain('support-reader')
  })

  it('prints full ARNs with --wide', async () => {
    const result = await runBuiltCli([
      'who-can',
      'support:ResolveCase',
      '--snapshot',
      EXAMPLE_ACCOUNT,
      '--wide',
    ])
    expect(result.status).toBe(0)
    expect(result.stdout).toMatch(
      /^ {2}arn:aws:iam::123456789012:role\/SupportTeam\s+allow\s+arn:aws:iam::aws:policy\/AWSSupportAccess$/m,
    )
  })

  it.each([['supportauthz:CreateSupportPermit'], ['supportplans:StartSupportPlanUpdate']])(
    'answers %s, which only the administrators hold in the example',
    async (action) => {
      const report = await whoCan(action)
      expect(report.action).toBe(action)
      expect(report.principals.map((entry) => entry.principalArn.split('/').pop())).toEqual([
        'ops-admin',
        'platform-admin',
        'AdminRole',
      ])
    },
  )

  it('lists who reaches the action by assuming a role, with the path in via', async () => {
    const dir = writeTempFiles({ 'account.json': LONG_PATH_EXPORT })
    try {
      const { result, json } = await runBuiltCliJson([
        'who-can',
        'supportplans:StartSupportPlanUpdate',
        '--snapshot',
        join(dir, 'account.json'),
        '--format',
        'json',
      ])
      expect(result.status).toBe(0)
      expect(whoCanSchema.parse(json).principals).toEqual([
        {
          principalArn: 'arn:aws:iam::210987654321:user/operations/carol',
          decision: 'conditional',
          via: [`assumes ${PLAN_ADMINS}`, 'inline:PlanAndPermits'],
        },
        { principalArn: PLAN_ADMINS, decision: 'allow', via: ['inline:PlanAndPermits'] },
      ])
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
