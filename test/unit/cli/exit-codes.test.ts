import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  EXAMPLE_ACCOUNT,
  EXAMPLE_CONFIG,
  expectOneLineUsageError,
  runBuiltCli,
  writeTempFiles,
} from './run-built-cli.ts'

let dir = ''
const file = (name: string) => join(dir, name)

beforeAll(() => {
  dir = writeTempFiles({
    'not-json.json': '{"UserDetailList": [\n  oops\n',
    'array.json': [],
    'empty-object.json': {},
    'role-list-number.json': { RoleDetailList: 5 },
    'user-without-arn.json': { UserDetailList: [{ UserName: 'alice' }] },
    'config-unknown-key.json': { mode: 'monitor', colour: 'blue' },
    'config-bad-severity.json': { severityOverrides: { NO_SUPPORT_ROLE: 'urgent' } },
    'config-not-json.json': 'mode = monitor',
    'config-approves-team.json': { supportPrincipals: { approved: ['arn:aws:iam::*:role/SupportTeam'] } },
    // An approved support role and the Support service-linked role: no finding at all.
    'clean-account.json': {
      AccountId: '111122223333',
      RoleDetailList: [
        {
          RoleName: 'SupportTeam',
          Arn: 'arn:aws:iam::111122223333:role/SupportTeam',
          AssumeRolePolicyDocument: {
            Version: '2012-10-17',
            Statement: [
              {
                Effect: 'Allow',
                Principal: { AWS: 'arn:aws:iam::111122223333:root' },
                Action: 'sts:AssumeRole',
              },
            ],
          },
          AttachedManagedPolicies: [
            { PolicyName: 'AWSSupportAccess', PolicyArn: 'arn:aws:iam::aws:policy/AWSSupportAccess' },
          ],
        },
        {
          RoleName: 'AWSServiceRoleForSupport',
          Path: '/aws-service-role/support.amazonaws.com/',
          Arn: 'arn:aws:iam::111122223333:role/aws-service-role/support.amazonaws.com/AWSServiceRoleForSupport',
          AssumeRolePolicyDocument: {
            Version: '2012-10-17',
            Statement: [
              { Effect: 'Allow', Principal: { Service: 'support.amazonaws.com' }, Action: 'sts:AssumeRole' },
            ],
          },
        },
      ],
    },
  })
})

afterAll(() => {
  rmSync(dir, { recursive: true, force: true })
})

describe('support-guard exit codes 0 and 1', () => {
  it.each([
    { failOn: undefined, status: 1 },
    { failOn: 'critical', status: 0 },
    { failOn: 'high', status: 1 },
    { failOn: 'info', status: 1 },
  ])('audit of the example with --fail-on $failOn exits $status', async ({ failOn, status }) => {
    const flags = failOn === undefined ? [] : ['--fail-on', failOn]
    const result = await runBuiltCli(['audit', '--snapshot', EXAMPLE_ACCOUNT, '--format', 'json', ...flags])
    expect(result.stderr).toBe('')
    expect(result.status).toBe(status)
  })

  it('exits 0 for an account with no finding, even at --fail-on info', async () => {
    const result = await runBuiltCli([
      'audit',
      '--snapshot',
      file('clean-account.json'),
      '--config',
      file('config-approves-team.json'),
      '--fail-on',
      'info',
    ])
    expect(result.stderr).toBe('')
    expect(result.stdout).toContain(' 0 findings')
    expect(result.status).toBe(0)
  })
})

describe('support-guard exit code 2: one line on stderr, no stack trace', () => {
  const cases: { name: string; args: () => string[]; mentions: RegExp }[] = [
    {
      name: 'missing snapshot file',
      args: () => ['audit', '--snapshot', file('absent.json')],
      mentions: /no such file/,
    },
    {
      name: 'snapshot that is not JSON (the parser quotes a line break)',
      args: () => ['audit', '--snapshot', file('not-json.json')],
      mentions: /not valid JSON/,
    },
    { name: 'snapshot []', args: () => ['audit', '--snapshot', file('array.json')], mentions: /JSON object/ },
    {
      name: 'snapshot {}',
      args: () => ['audit', '--snapshot', file('empty-object.json')],
      mentions: /UserDetailList/,
    },
    {
      name: 'snapshot with RoleDetailList 5',
      args: () => ['audit', '--snapshot', file('role-list-number.json')],
      mentions: /RoleDetailList/,
    },
    {
      name: 'snapshot user without Arn',
      args: () => ['who-can', 'support:CreateCase', '--snapshot', file('user-without-arn.json')],
      mentions: /UserDetailList\[0\]\.Arn/,
    },
    {
      name: 'config with an unknown key',
      args: () => ['audit', '--snapshot', EXAMPLE_ACCOUNT, '--config', file('config-unknown-key.json')],
      mentions: /config\.colour/,
    },
    {
      name: 'config with a bad severity',
      args: () => ['audit', '--snapshot', EXAMPLE_ACCOUNT, '--config', file('config-bad-severity.json')],
      mentions: /config\.severityOverrides\.NO_SUPPORT_ROLE/,
    },
    {
      name: 'config that is not JSON',
      args: () => ['audit', '--snapshot', EXAMPLE_ACCOUNT, '--config', file('config-not-json.json')],
      mentions: /not valid JSON/,
    },
    {
      name: 'missing config file',
      args: () => [
        'replay',
        'events/delete-role.json',
        '--snapshot',
        EXAMPLE_ACCOUNT,
        '--config',
        file('no.json'),
      ],
      mentions: /no such file/,
    },
    {
      name: 'unknown command',
      args: () => ['scan', '--snapshot', EXAMPLE_ACCOUNT],
      mentions: /unknown command scan/,
    },
    {
      name: 'unknown flag',
      args: () => ['audit', '--snapshot', EXAMPLE_ACCOUNT, '--verbose'],
      mentions: /--verbose/,
    },
    {
      name: 'bad --format',
      args: () => ['audit', '--snapshot', EXAMPLE_ACCOUNT, '--format', 'yaml'],
      mentions: /--format/,
    },
    {
      name: 'bad --fail-on',
      args: () => ['audit', '--snapshot', EXAMPLE_ACCOUNT, '--fail-on', 'urgent'],
      mentions: /--fail-on/,
    },
    {
      name: 'audit without --snapshot or --live',
      args: () => ['audit', '--config', EXAMPLE_CONFIG],
      mentions: /--snapshot/,
    },
    {
      name: 'audit with both --snapshot and --live',
      args: () => ['audit', '--snapshot', EXAMPLE_ACCOUNT, '--live'],
      mentions: /not both/,
    },
    {
      name: 'unknown action for who-can',
      args: () => ['who-can', 'support:OpenTicket', '--snapshot', EXAMPLE_ACCOUNT],
      mentions: /unknown action support:OpenTicket/,
    },
    {
      name: 'who-can without an action',
      args: () => ['who-can', '--snapshot', EXAMPLE_ACCOUNT],
      mentions: /ACTION/,
    },
    {
      name: 'replay of a missing event file',
      args: () => ['replay', file('absent-event.json'), '--snapshot', EXAMPLE_ACCOUNT],
      mentions: /no such file/,
    },
    { name: 'snapshot without --out', args: () => ['snapshot'], mentions: /--out/ },
  ]

  it.each(cases)('$name', async ({ args, mentions }) => {
    const result = await runBuiltCli(args())
    expectOneLineUsageError(result)
    expect(result.stderr).toMatch(mentions)
    expect(result.stdout).toBe('')
  })
})
