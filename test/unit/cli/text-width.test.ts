import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from '../../../bin/cli/run-cli.ts'
import { buildRecord, wrapInEnvelope } from '../events/build-test-event.ts'
import {
  ACCOUNT,
  LONG_PATH_CONFIG,
  LONG_PATH_EXPORT,
  SSO_ROLE,
  SUPPORT_TEAM,
  VENDOR_ROLE,
} from '../report/long-path-account.ts'
import { EXAMPLE_ACCOUNT, EXAMPLE_CONFIG, writeTempFiles } from './run-built-cli.ts'

let dir = ''
const file = (name: string) => join(dir, name)

/** The vendor role's trust replaced by one that names several partner accounts. */
const trustUpdate = buildRecord({
  eventName: 'UpdateAssumeRolePolicy',
  recipientAccountId: ACCOUNT,
  userIdentity: {
    type: 'AssumedRole',
    arn: `arn:aws:sts::${ACCOUNT}:assumed-role/AWSReservedSSO_SupportEngineeringOnCallPermissionSet_4f1e2d3c4b5a6978/someone@example.com`,
    accountId: ACCOUNT,
    sessionContext: { sessionIssuer: { type: 'Role', arn: SSO_ROLE, accountId: ACCOUNT } },
  },
  requestParameters: {
    roleName: VENDOR_ROLE.split('/').pop(),
    policyDocument: JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: {
            AWS: ['111122223333', '444455556666', '777788889999'].map((id) => `arn:aws:iam::${id}:root`),
          },
          Action: 'sts:AssumeRole',
        },
      ],
    }),
  },
})

const detachFromSupportTeam = buildRecord({
  eventName: 'DetachRolePolicy',
  recipientAccountId: ACCOUNT,
  userIdentity: trustUpdate.userIdentity,
  requestParameters: { roleName: 'SupportTeam', policyArn: 'arn:aws:iam::aws:policy/AWSSupportAccess' },
})

beforeAll(() => {
  dir = writeTempFiles({
    'account.json': LONG_PATH_EXPORT,
    'config.json': LONG_PATH_CONFIG,
    'enforce.json': { ...LONG_PATH_CONFIG, mode: 'enforce' },
    'trust-update.json': wrapInEnvelope(trustUpdate, { account: ACCOUNT }),
    'detach.json': detachFromSupportTeam,
  })
})

afterAll(() => {
  rmSync(dir, { recursive: true, force: true })
})

async function run(args: readonly string[], columns: number): Promise<{ status: number; stdout: string }> {
  let stdout = ''
  let stderr = ''
  const status = await runCli(
    args,
    {
      stdout: (text) => {
        stdout += text
      },
      stderr: (text) => {
        stderr += text
      },
      interactive: false,
      columns,
    },
    () => Promise.reject(new Error('the live account must not be read')),
  )
  expect(stderr).toBe('')
  return { status, stdout }
}

const COMMANDS: Record<string, () => string[]> = {
  audit: () => ['audit', '--snapshot', file('account.json'), '--config', file('config.json')],
  'audit of the example': () => ['audit', '--snapshot', EXAMPLE_ACCOUNT, '--config', EXAMPLE_CONFIG],
  'who-can support:CreateCase': () => ['who-can', 'support:CreateCase', '--snapshot', file('account.json')],
  'who-can supportplans:StartSupportPlanUpdate': () => [
    'who-can',
    'supportplans:StartSupportPlanUpdate',
    '--snapshot',
    file('account.json'),
  ],
  'replay of a trust update with a long document': () => [
    'replay',
    file('trust-update.json'),
    '--snapshot',
    file('account.json'),
    '--config',
    file('enforce.json'),
  ],
  'replay of the Support App trust update': () => [
    'replay',
    'events/update-assume-role-policy.json',
    '--snapshot',
    EXAMPLE_ACCOUNT,
    '--config',
    EXAMPLE_CONFIG,
  ],
  'replay of a detach by an Identity Center role': () => [
    'replay',
    file('detach.json'),
    '--snapshot',
    file('account.json'),
    '--config',
    file('config.json'),
  ],
}
const WIDTHS = [40, 60, 80, 100, 132]

describe('text output fits the terminal', () => {
  it.each(Object.keys(COMMANDS).flatMap((name) => WIDTHS.map((width) => ({ name, width }))))(
    '$name at $width columns: no line is wider',
    async ({ name, width }) => {
      const { stdout } = await run(COMMANDS[name]?.() ?? [], width)
      const lines = stdout.split('\n')
      expect(lines.length).toBeGreaterThan(3)
      for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(width)
    },
  )

  it('names principals shortly under the account header, and the Identity Center role by its name', async () => {
    const { stdout } = await run(COMMANDS['who-can support:CreateCase']?.() ?? [], 200)
    expect(stdout.split('\n')[0]).toBe(`Account ${ACCOUNT} (short names; --wide prints full ARNs)`)
    expect(stdout).toMatch(
      /^ {2}role\/AWSReservedSSO_SupportEngineeringOnCallPermissionSet_4f1e2d3c4b5a6978\s+allow\s+aws:policy\/AWSSupportAccess$/m,
    )
    expect(stdout).toMatch(
      /^ {2}user\/alice\s+allow\s+assumes role\/SupportTeam: aws:policy\/AWSSupportAccess$/m,
    )
    expect(stdout).not.toContain(`arn:aws:iam::${ACCOUNT}:`)
  })

  it('prints full ARNs and no width limit with --wide', async () => {
    const { stdout } = await run([...(COMMANDS['who-can support:CreateCase']?.() ?? []), '--wide'], 40)
    expect(stdout.split('\n')[0]).toBe(`Account ${ACCOUNT}`)
    expect(stdout).toMatch(
      new RegExp(
        `^ {2}${SSO_ROLE.replaceAll('.', '\\.')}\\s+allow\\s+arn:aws:iam::aws:policy/AWSSupportAccess$`,
        'm',
      ),
    )
    expect(stdout).toContain(`assumes ${SUPPORT_TEAM}: arn:aws:iam::aws:policy/AWSSupportAccess`)
    expect(Math.max(...stdout.split('\n').map((line) => line.length))).toBeGreaterThan(100)
  })

  it('keeps a revert command runnable when it breaks it: continuations between arguments, the document inside its quotes', async () => {
    const { stdout } = await run(COMMANDS['replay of the Support App trust update']?.() ?? [], 60)
    const start = stdout.indexOf('  aws iam update-assume-role-policy')
    expect(start).toBeGreaterThan(0)
    const command = stdout.slice(start).trimEnd()
    const joined = command.replace(/ \\\n\s*/g, ' ')
    const document = /--policy-document '([^']*)'/.exec(joined)?.[1] ?? ''
    expect(JSON.parse(document)).toMatchObject({ Version: '2012-10-17' })
    expect(joined).toContain('--role-name AWSSupportAppRole')
    expect(command.split('\n').length).toBeGreaterThan(3)
  })

  it('leaves the JSON output as it was: full ARNs, whatever the width', async () => {
    const narrow = await run([...(COMMANDS['who-can support:CreateCase']?.() ?? []), '--format', 'json'], 40)
    const broad = await run([...(COMMANDS['who-can support:CreateCase']?.() ?? []), '--format', 'json'], 200)
    expect(narrow.stdout).toBe(broad.stdout)
    expect(narrow.stdout).toContain(`"principalArn": "${SSO_ROLE}"`)
  })
})
