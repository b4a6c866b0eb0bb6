/**
 * Bounds case: `support-guard audit --snapshot FILE` on a large account export, as a whole
 * child process (the bundled CLI): wall time and peak RSS from outside, the report's summary
 * line as the result.
 */
import { statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { DEFAULT_SEED, generateAccount } from '../synthetic/synthetic-account.ts'
import { runMeasuredNode } from './run-measured.ts'

const MB = 1_048_576
/** Principals of the sample that sets the export's size per principal. */
const SAMPLE_PRINCIPALS = 1000

export interface SyntheticExport {
  readonly file: string
  readonly principals: number
  readonly bytes: number
  readonly generateMs: number
}

/**
 * Writes a synthetic `get-account-authorization-details` export of about `targetMb` MiB
 * (the principal count scaled from a sample) to `dir`.
 */
export function writeSyntheticExport(dir: string, targetMb: number, seed = DEFAULT_SEED): SyntheticExport {
  const started = performance.now()
  const sample = Buffer.byteLength(JSON.stringify(generateAccount({ seed, principals: SAMPLE_PRINCIPALS })))
  const principals = Math.max(10, Math.round((targetMb * MB * SAMPLE_PRINCIPALS) / sample))
  const text = JSON.stringify(generateAccount({ seed, principals }))
  const file = join(dir, `account-${targetMb}mb.json`)
  writeFileSync(file, text)
  return { file, principals, bytes: Buffer.byteLength(text), generateMs: performance.now() - started }
}

export interface CliAuditRun {
  readonly exportMb: number
  readonly wallMs: number
  readonly peakRssMb: number
  readonly rssSource: string
  /** 0 or 1 is a completed audit (1: findings at or above --fail-on); anything else is a failure. */
  readonly exitCode: number | null
  /** `N principals evaluated, M findings (…)`, the report's second line. */
  readonly summary: string
  readonly reportBytes: number
  readonly stderr: string
}

/** Runs the bundled CLI's text audit of `file` with the default config. */
export async function runCliAudit(
  cli: string,
  file: string,
  options: { readonly cwd: string; readonly scratchDir: string; readonly timeoutMs: number },
): Promise<CliAuditRun> {
  const run = await runMeasuredNode([cli, 'audit', '--snapshot', file, '--format', 'text'], options)
  const summary = run.stdoutHead.split('\n').find((line) => / principals evaluated, /.test(line)) ?? ''
  return {
    exportMb: statSync(file).size / MB,
    wallMs: run.wallMs,
    peakRssMb: run.peakRssKb / 1024,
    rssSource: run.rssSource,
    exitCode: run.exitCode,
    summary,
    reportBytes: run.stdoutBytes,
    stderr: run.stderr,
  }
}

/** True when the CLI completed the audit and printed its summary. */
export function cliAuditCompleted(run: CliAuditRun): boolean {
  return (run.exitCode === 0 || run.exitCode === 1) && run.summary !== ''
}
