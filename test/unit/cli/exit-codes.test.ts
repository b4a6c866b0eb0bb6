import { rmSync, truncateSync } from 'node:fs'
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
    // One malformed user is skipped with a warning; an export of two accounts is unreadable.
    'two-accounts.json': {
      AccountId: '111122223333',
      UserDetailList: [{ UserName: 'alice', Arn: 'arn:aws:iam::444455556666:user/alice' }],
    },
    'config-unknown-key.json': { mode: 'monitor', colour: 'blue' },
    'config-bad-severity.json': { severityOverrides: { NO_SUPPORT_ROLE: 'urgent' } },
    'config-not-json.json': 'mode = monitor',
    'config-approves-team.json': { supportPrincipals: { approved: ['arn:aws:iam::*:role/SupportTeam'] } },
    'empty.json': '',
    'huge.json': '',
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

beforeAll(() => {
  // Sparse: 630 MB long, no disk space used.
  truncateSync(file('huge.json'), 630 * 1_048_576)
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
      name: 'snapshot whose AccountId contradicts its ARNs',
      args: () => ['who-can', 'support:CreateCase', '--snapshot', file('two-accounts.json')],
      mentions:
        /AccountId: is 111122223333, but 1 of its entries is in account 444455556666 \(such as user alice/,
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
    {
      name: 'unknown command named like an object key',
      args: () => ['constructor', '--snapshot', EXAMPLE_ACCOUNT],
      mentions: /unknown command constructor/,
    },
    {
      name: 'who-can with --config, which it does not take',
      args: () => [
        'who-can',
        'support:CreateCase',
        '--snapshot',
        EXAMPLE_ACCOUNT,
        '--config',
        EXAMPLE_CONFIG,
      ],
      mentions: /who-can does not take --config/,
    },
    {
      name: 'who-can with --fail-on',
      args: () => ['who-can', 'support:CreateCase', '--snapshot', EXAMPLE_ACCOUNT, '--fail-on', 'high'],
      mentions: /who-can does not take --fail-on/,
    },
    {
      name: 'who-can with --live',
      args: () => ['who-can', 'support:CreateCase', '--live'],
      mentions: /who-can does not take --live/,
    },
    {
      name: 'replay with --live',
      args: () => ['replay', 'events/delete-role.json', '--snapshot', EXAMPLE_ACCOUNT, '--live'],
      mentions: /replay does not take --live/,
    },
    {
      name: 'snapshot with --format',
      args: () => ['snapshot', '--out', file('out.json'), '--format', 'json'],
      mentions: /snapshot does not take --format/,
    },
    {
      name: 'audit with --out',
      args: () => ['audit', '--snapshot', EXAMPLE_ACCOUNT, '--out', file('out.json')],
      mentions: /audit does not take --out/,
    },
    {
      name: 'audit of a snapshot with --region, which only --live reads',
      args: () => ['audit', '--snapshot', EXAMPLE_ACCOUNT, '--region', 'eu-west-1'],
      mentions: /--region only with --live/,
    },
    {
      name: '--wide with --format json',
      args: () => [
        'who-can',
        'support:CreateCase',
        '--snapshot',
        EXAMPLE_ACCOUNT,
        '--format',
        'json',
        '--wide',
      ],
      mentions: /--wide is for text output/,
    },
    {
      name: 'who-can of a wildcard',
      args: () => ['who-can', 'support:*', '--snapshot', EXAMPLE_ACCOUNT],
      mentions: /one action, not a pattern/,
    },
    {
      name: 'snapshot larger than the limit, refused before it is read',
      args: () => ['audit', '--snapshot', file('huge.json')],
      mentions: /snapshot \S+huge\.json is 630 MB; the limit is 512 MB$/m,
    },
    {
      name: 'snapshot that is a directory',
      args: () => ['who-can', 'support:CreateCase', '--snapshot', dir],
      mentions: /is a directory, not a file/,
    },
    {
      name: 'empty snapshot file',
      args: () => ['audit', '--snapshot', file('empty.json')],
      mentions: /is empty/,
    },
    {
      name: 'event file larger than the limit',
      args: () => ['replay', file('huge.json'), '--snapshot', EXAMPLE_ACCOUNT],
      mentions: /event \S+huge\.json is 630 MB/,
    },
  ]

  it.each(cases)('$name', async ({ args, mentions }) => {
    const result = await runBuiltCli(args())
    expectOneLineUsageError(result)
    expect(result.stderr).toMatch(mentions)
    expect(result.stdout).toBe('')
  })
})
