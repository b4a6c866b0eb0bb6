import { spawn } from 'node:child_process'
import { closeSync, openSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { RULE_IDS } from '#shared/config/rules.ts'
import { generateAccount } from '#test-support/synthetic/synthetic-account.ts'
import { ROOT, runBuiltCli, writeTempFiles } from './run-built-cli.ts'

const CLI = join(ROOT, 'dist', 'bin', 'support-guard.js')
let dir = ''
// Its JSON report is megabytes: far more than a pipe holds, so the CLI is still writing when the reader goes.
const account = () => join(dir, 'account.json')

beforeAll(() => {
  dir = writeTempFiles({
    'account.json': generateAccount({ seed: 8, principals: 1500 }),
    // Every rule at low: nothing reaches --fail-on high, so the whole run exits 0.
    'all-low.json': { severityOverrides: Object.fromEntries(RULE_IDS.map((rule) => [rule, 'low'])) },
  })
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

interface Ended {
  readonly status: number | null
  readonly stderr: string
  readonly read: number
}

/** Runs the CLI and stops reading its stdout (closes the pipe) after `keep` bytes. */
function runAndStopReading(args: readonly string[], keep: number): Promise<Ended> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] })
    let read = 0
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => {
      read += chunk.length
      if (read >= keep) child.stdout.destroy()
    })
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk
    })
    child.on('error', reject)
    child.on('close', (status) => resolve({ status, stderr, read }))
  })
}

/** Runs the CLI with stdout on a file descriptor of its own (e.g. /dev/full). */
function runWithStdout(path: string, args: readonly string[]): Promise<Ended> {
  const fd = openSync(path, 'w')
  return new Promise<Ended>((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, stdio: ['ignore', fd, 'pipe'] })
    let stderr = ''
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk
    })
    child.on('error', reject)
    child.on('close', (status) => resolve({ status, stderr, read: 0 }))
  }).finally(() => closeSync(fd))
}

describe('a reader that stops reading stdout', () => {
  it.each([
    ['json, findings at --fail-on', ['--format', 'json', '--fail-on', 'high']],
    ['json, nothing at --fail-on', ['--format', 'json', '--config', 'all-low.json']],
    ['text', ['--fail-on', 'high']],
  ])('ends the output quietly with the verdict the whole run gives (%s)', async (_name, options) => {
    const args = [
      'audit',
      '--snapshot',
      account(),
      ...options.map((option) => (option.endsWith('.json') ? join(dir, option) : option)),
    ]
    const whole = await runBuiltCli(args, { timeoutMs: 30_000 })
    expect(whole.stderr).toBe('')
    expect(whole.status).toBe(options.includes('--config') ? 0 : 1)
    const ended = await runAndStopReading(args, 1)
    expect(ended.stderr).toBe('')
    expect(ended.status).toBe(whole.status)
    // The run really was cut short: the reader took less than the whole output.
    expect(ended.read).toBeLessThan(Buffer.byteLength(whole.stdout))
  })
})

// /dev/full (Linux) fails every write with ENOSPC, as a full disk does.
describe('stdout that cannot be written', () => {
  it('is one line on stderr and exit code 2, whatever the findings', async () => {
    for (const failOn of ['high', 'critical']) {
      const ended = await runWithStdout('/dev/full', [
        'audit',
        '--snapshot',
        account(),
        '--format',
        'json',
        '--fail-on',
        failOn,
      ])
      expect(ended.status).toBe(2)
      expect(ended.stderr).toMatch(/^support-guard: cannot write the output: ENOSPC[^\n]*\n$/)
    }
  })
})
