/**
 * The CLI as a user meets it: bundled as `npm run build` bundles it, run as its own process on
 * an export file with the report written to a file; wall time from the parent, CPU and peak RSS
 * from the child itself (rusage-preload.mjs, since Node's spawn gives no child rusage).
 */
import { spawnSync } from 'node:child_process'
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { type BuildOptions, build } from 'esbuild'
import { cliBuildOptions } from '../../scripts/build.ts'

export const RUSAGE_ENV = 'SUPPORT_GUARD_BENCH_RUSAGE'
export const RUSAGE_PRELOAD = fileURLToPath(new URL('./rusage-preload.mjs', import.meta.url))
const MB = 1_048_576

/** What the preload writes: Node's `process.resourceUsage()` fields. */
export interface ChildUsage {
  /** KB. */
  readonly maxRSS: number
  /** µs. */
  readonly userCPUTime: number
  /** µs. */
  readonly systemCPUTime: number
}

export interface CliRun {
  readonly wallMs: number
  readonly userCpuMs: number
  readonly systemCpuMs: number
  readonly peakRssMb: number
  readonly reportBytes: number
  readonly exitCode: number
}

/** Reads the preload's file. @throws Error when it is missing or not the preload's JSON. */
export function readChildUsage(file: string): ChildUsage {
  if (!existsSync(file)) throw new Error(`the child wrote no resource usage to ${file}`)
  const value: unknown = JSON.parse(readFileSync(file, 'utf8'))
  const fields = ['maxRSS', 'userCPUTime', 'systemCPUTime'] as const
  if (typeof value !== 'object' || value === null) throw new Error(`${file}: not a resource usage object`)
  const record = value as Record<string, unknown>
  for (const field of fields) {
    const number = record[field]
    if (typeof number !== 'number' || !Number.isFinite(number) || number < 0)
      throw new Error(`${file}: ${field} is not a non-negative number`)
  }
  return {
    maxRSS: record.maxRSS as number,
    userCPUTime: record.userCPUTime as number,
    systemCPUTime: record.systemCPUTime as number,
  }
}

/**
 * Bundles the CLI into `dir`/bin/ exactly as scripts/build.ts does (`cliBuildOptions`: minified,
 * the live commands in a chunk of their own; `extra` only for profiling: a source map). `dir`
 * gets a `"type": "module"` package.json, as the project has.
 */
export async function bundleCli(
  root: string,
  dir: string,
  extra: Partial<BuildOptions> = {},
): Promise<string> {
  mkdirSync(join(dir, 'bin'), { recursive: true })
  writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n')
  await build({ ...cliBuildOptions(join(dir, 'bin')), absWorkingDir: root, ...extra })
  return join(dir, 'bin', 'support-guard.js')
}

export interface CliRunOptions {
  readonly cwd: string
  /** Where the report and the usage file go. */
  readonly scratchDir: string
  readonly timeoutMs: number
  /** Node flags before the CLI (e.g. `--cpu-prof`). */
  readonly nodeFlags?: readonly string[]
  /** Where stdout goes (default `scratchDir`/report.json). */
  readonly reportFile?: string
}

/**
 * `node <cli> audit --snapshot FILE --format json > report.json` once. Exit 0 (clean) and 1
 * (findings at or above --fail-on) are completed audits; anything else throws.
 */
export function runCliAudit(cli: string, file: string, options: CliRunOptions): CliRun {
  const report = options.reportFile ?? join(options.scratchDir, 'report.json')
  const usageFile = join(options.scratchDir, 'rusage.json')
  rmSync(usageFile, { force: true })
  const out = openSync(report, 'w')
  let result: ReturnType<typeof spawnSync>
  const started = performance.now()
  try {
    result = spawnSync(
      process.execPath,
      [
        ...(options.nodeFlags ?? []),
        '--import',
        pathToFileURL(RUSAGE_PRELOAD).href,
        cli,
        'audit',
        '--snapshot',
        file,
        '--format',
        'json',
      ],
      {
        cwd: options.cwd,
        stdio: ['ignore', out, 'pipe'],
        env: { ...process.env, [RUSAGE_ENV]: usageFile },
        timeout: options.timeoutMs,
        maxBuffer: 16 * MB,
      },
    )
  } finally {
    closeSync(out)
  }
  const wallMs = performance.now() - started
  const stderr = String(result.stderr ?? '').trim()
  if (result.error) throw new Error(`CLI audit of ${file}: ${result.error.message}`)
  if (result.status !== 0 && result.status !== 1)
    throw new Error(`CLI audit of ${file} ended ${result.status ?? result.signal}: ${stderr.slice(-500)}`)
  const usage = readChildUsage(usageFile)
  return {
    wallMs,
    userCpuMs: usage.userCPUTime / 1000,
    systemCpuMs: usage.systemCPUTime / 1000,
    peakRssMb: usage.maxRSS / 1024,
    reportBytes: statSync(report).size,
    exitCode: result.status,
  }
}
