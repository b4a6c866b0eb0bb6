import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runBuiltCli, writeTempFiles } from './run-built-cli.ts'

const ACCOUNT = '111122223333'
let dir = ''

beforeAll(() => {
  dir = writeTempFiles({
    // A user without Arn is left out by name; the role is audited.
    'one-bad-user.json': {
      AccountId: ACCOUNT,
      UserDetailList: [{ UserName: 'half-deleted' }],
      RoleDetailList: [
        {
          RoleName: 'SupportTeam',
          Arn: `arn:aws:iam::${ACCOUNT}:role/SupportTeam`,
          AssumeRolePolicyDocument: {
            Version: '2012-10-17',
            Statement: [
              {
                Effect: 'Allow',
                Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
                Action: 'sts:AssumeRole',
              },
            ],
          },
          AttachedManagedPolicies: [
            { PolicyName: 'AWSSupportAccess', PolicyArn: 'arn:aws:iam::aws:policy/AWSSupportAccess' },
          ],
        },
      ],
    },
  })
})

afterAll(() => rmSync(dir, { recursive: true, force: true }))

const snapshot = () => join(dir, 'one-bad-user.json')

describe('entries of the export the parser leaves out', () => {
  it('audit --format text lists them in their own section and audits the rest', async () => {
    const result = await runBuiltCli(['audit', '--snapshot', snapshot()])
    expect(result.stdout).toMatch(
      /Skipped: entries of the export left out of the audit \(1\)\n {2}.*half-deleted/,
    )
    expect(result.stdout).not.toContain('Policies evaluated as granting nothing')
    expect(result.stdout).toContain('1 principals evaluated')
  })

  it('audit --format json warns on stderr without calling the entry a policy that grants nothing', async () => {
    const result = await runBuiltCli(['audit', '--snapshot', snapshot(), '--format', 'json'])
    const warnings = result.stderr.split('\n').filter((line) => line.includes('warning:'))
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toContain('half-deleted')
    expect(warnings[0]).not.toContain('evaluated as granting nothing')
  })

  it('who-can warns about them too, on stderr', async () => {
    const result = await runBuiltCli([
      'who-can',
      'support:CreateCase',
      '--snapshot',
      snapshot(),
      '--format',
      'json',
    ])
    expect(result.status).toBe(0)
    expect(result.stderr).toMatch(/warning: .*half-deleted/)
    expect(JSON.parse(result.stdout)).toMatchObject({
      principals: [{ principalArn: `arn:aws:iam::${ACCOUNT}:role/SupportTeam` }],
    })
  })
})
