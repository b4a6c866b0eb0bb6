import { spawn } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { expect } from 'vitest'

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url))
const CLI = join(ROOT, 'dist', 'bin', 'support-guard.js')

export const EXAMPLE_ACCOUNT = 'shared/examples/example-account.json'
export const EXAMPLE_CONFIG = 'shared/examples/example-config.json'

export interface CliResult {
  readonly status: number | null
  readonly signal: NodeJS.Signals | null
  readonly stdout: string
  readonly stderr: string
  readonly durationMs: number
}

export interface RunOptions {
  readonly env?: Readonly<Record<string, string>>
  readonly timeoutMs?: number
}

/** Spawns the bundled CLI from the repository root with stdout and stderr as pipes (not a terminal). */
export function runBuiltCli(args: readonly string[], options: RunOptions = {}): Promise<CliResult> {
  const started = performance.now()
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: ROOT,
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: options.timeoutMs ?? 15_000,
    })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk
    })
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk
    })
    child.on('error', reject)
    child.on('close', (status, signal) => {
      resolve({ status, signal, stdout, stderr, durationMs: performance.now() - started })
    })
  })
}

/** Runs the CLI and parses stdout as JSON. */
export async function runBuiltCliJson(
  args: readonly string[],
  options: RunOptions = {},
): Promise<{ result: CliResult; json: unknown }> {
  const result = await runBuiltCli(args, options)
  let json: unknown
  try {
    json = JSON.parse(result.stdout)
  } catch (error) {
    throw new Error(
      `stdout of support-guard ${args.join(' ')} is not JSON (exit ${result.status}): ${result.stderr}`,
      {
        cause: error,
      },
    )
  }
  return { result, json }
}

/** Exit code 2 with exactly one line on stderr and no stack frames: the CLI's bad-input contract. */
export function expectOneLineUsageError(result: CliResult): void {
  expect(result.signal).toBeNull()
  expect(result.status).toBe(2)
  expect(result.stderr.endsWith('\n')).toBe(true)
  const lines = result.stderr.slice(0, -1).split('\n')
  expect(lines).toHaveLength(1)
  expect(lines[0]).toMatch(/^support-guard: \S/)
  expect(result.stderr).not.toMatch(/^\s+at /m)
  expect(result.stderr).not.toMatch(/\.(?:ts|js):\d+/)
}

/** A fresh temporary directory with the given files (name → content; non-strings are written as JSON). */
export function writeTempFiles(files: Readonly<Record<string, unknown>>): string {
  const dir = mkdtempSync(join(tmpdir(), 'support-guard-cli-'))
  for (const [name, content] of Object.entries(files)) {
    writeFileSync(join(dir, name), typeof content === 'string' ? content : JSON.stringify(content))
  }
  return dir
}

/** Narrows a parsed JSON value to an object, failing the test otherwise. */
export function asRecord(value: unknown): Record<string, unknown> {
  expect(typeof value === 'object' && value !== null && !Array.isArray(value)).toBe(true)
  return value as Record<string, unknown>
}
