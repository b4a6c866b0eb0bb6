import { existsSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { expectOneLineUsageError, runBuiltCli, writeTempFiles } from './run-built-cli.ts'

// Port 9 (discard) has no listener here: the SDK's request is refused at once.
const UNREACHABLE = 'http://127.0.0.1:9'

/** Static credentials and a single attempt, nothing read from the machine's AWS profile. */
const OFFLINE_ENV = {
  AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
  AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  AWS_MAX_ATTEMPTS: '1',
  AWS_EC2_METADATA_DISABLED: 'true',
  AWS_PROFILE: '',
  AWS_CONFIG_FILE: '/nonexistent/aws-config',
  AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/aws-credentials',
}

let dir = ''
beforeAll(() => {
  dir = writeTempFiles({})
})
afterAll(() => {
  rmSync(dir, { recursive: true, force: true })
})

describe('support-guard live commands without a reachable endpoint', () => {
  it('snapshot --out exits 2 with one line and writes no file', async () => {
    const out = join(dir, 'snapshot.json')
    const result = await runBuiltCli(['snapshot', '--out', out, '--endpoint-url', UNREACHABLE], {
      env: OFFLINE_ENV,
    })
    expectOneLineUsageError(result)
    expect(result.stderr).toMatch(/cannot read the live account: .*GetAccountAuthorizationDetails/)
    expect(existsSync(out)).toBe(false)
  })

  it.each(['json', 'text'])(
    'audit --live --format %s exits 2 with one line and prints no report',
    async (format) => {
      const result = await runBuiltCli(
        ['audit', '--live', '--endpoint-url', UNREACHABLE, '--format', format],
        {
          env: OFFLINE_ENV,
        },
      )
      expectOneLineUsageError(result)
      expect(result.stderr).toMatch(/cannot read the live account/)
      expect(result.stdout).toBe('')
    },
  )

  it('audit --live without credentials exits 2 with one line', async () => {
    const result = await runBuiltCli(
      ['audit', '--live', '--endpoint-url', UNREACHABLE, '--region', 'eu-west-1'],
      {
        env: { ...OFFLINE_ENV, AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '' },
      },
    )
    expectOneLineUsageError(result)
    expect(result.stderr).toMatch(/cannot read the live account/)
  })

  it('checks the config before reading the account', async () => {
    const result = await runBuiltCli(
      ['audit', '--live', '--endpoint-url', UNREACHABLE, '--config', join(dir, 'absent-config.json')],
      { env: OFFLINE_ENV },
    )
    expectOneLineUsageError(result)
    expect(result.stderr).toMatch(/cannot read config .*absent-config\.json: no such file/)
  })

  it('checks --fail-on before reading the account', async () => {
    const result = await runBuiltCli(
      ['audit', '--live', '--endpoint-url', UNREACHABLE, '--fail-on', 'severe'],
      {
        env: OFFLINE_ENV,
      },
    )
    expectOneLineUsageError(result)
    expect(result.stderr).toMatch(/--fail-on/)
  })
})
