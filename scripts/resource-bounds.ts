/**
 * Resource bounds: the guard's engine at the sizes IAM allows, each case in a process of its
 * own (bundled, as `npm run build` bundles the CLI) so its wall time and peak RSS are its own:
 *  1. `support-guard audit` of a large synthetic account export (50 MiB by default), after the
 *     same audit of the example account as the runtime's floor;
 *  2. documents at IAM's maximum sizes: parse, audit, and detect on a change to each;
 *  3. a group of 1,000 users losing AWSSupportAccess: detect must judge every member;
 *  4. a role at IAM's attached and inline policy quotas: audit and detect.
 * Usage: `npm run resource-bounds [-- --export-mb 50] [--seed N]`. Prints a markdown table;
 * exits 1 when a case crashed or missed what it must find.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { cpus, tmpdir } from 'node:os'
import { join } from 'node:path'
import { bundleEntry, CLI_ENTRY, ROOT } from '#test-support/bounds/bundle-entry.ts'
import type { CaseChildResult } from '#test-support/bounds/case-child.ts'
import {
  type CliAuditRun,
  cliAuditCompleted,
  runCliAudit,
  writeSyntheticExport,
} from '#test-support/bounds/cli-audit-case.ts'
import { IN_PROCESS_CASES } from '#test-support/bounds/in-process-cases.ts'
import { runMeasuredNode } from '#test-support/bounds/run-measured.ts'
import { DEFAULT_SEED } from '#test-support/synthetic/synthetic-account.ts'
import { renderTable } from '../bench/lib/table.ts'

const CASE_CHILD = join(ROOT, 'test', 'support', 'bounds', 'case-child.ts')
const EXAMPLE_ACCOUNT = join(ROOT, 'shared', 'examples', 'example-account.json')
const TIMEOUT_MS = 10 * 60_000

class UsageError extends Error {
  override readonly name = 'UsageError'
}

interface Options {
  readonly exportMb: number
  readonly seed: number
}

interface Row {
  readonly name: string
  readonly wallMs: number
  readonly peakRssMb: number
  /** Undefined for the CLI, measured from outside only. */
  readonly heapDeltaMb?: number
  /** Peak RSS before the case ran (runtime and modules); undefined for the CLI. */
  readonly rssBeforeMb?: number
  readonly ok: boolean
  readonly result: string
}

function readOptions(args: readonly string[]): Options {
  const value = (name: string) => {
    const index = args.indexOf(name)
    return index >= 0 ? args[index + 1] : undefined
  }
  const exportMb = Number(value('--export-mb') ?? 50)
  const seed = Number(value('--seed') ?? DEFAULT_SEED)
  if (!Number.isFinite(exportMb) || exportMb <= 0)
    throw new UsageError('--export-mb must be a positive number')
  if (!Number.isInteger(seed) || seed <= 0) throw new UsageError('--seed must be a positive integer')
  return { exportMb, seed }
}

function cliRow(name: string, run: CliAuditRun): Row {
  const ok = cliAuditCompleted(run)
  const result = ok
    ? `exit ${run.exitCode}: ${run.summary}; report ${(run.reportBytes / 1_048_576).toFixed(1)} MB`
    : `FAILED (exit ${run.exitCode}): ${run.stderr.split('\n').at(-1) ?? ''}`
  return { name, wallMs: run.wallMs, peakRssMb: run.peakRssMb, ok, result }
}

async function runCaseChild(child: string, name: string, title: string, scratchDir: string): Promise<Row> {
  const run = await runMeasuredNode([child, name], { cwd: ROOT, scratchDir, timeoutMs: TIMEOUT_MS })
  const line = run.stdoutHead.trim().split('\n').at(-1) ?? ''
  if (run.exitCode !== 0 || line === '') {
    return {
      name: title,
      wallMs: run.wallMs,
      peakRssMb: run.peakRssKb / 1024,
      ok: false,
      result: `CRASHED (exit ${run.exitCode ?? run.signal}): ${run.stderr.slice(-300)}`,
    }
  }
  const reported = JSON.parse(line) as CaseChildResult
  return {
    name: title,
    wallMs: reported.wallMs,
    peakRssMb: run.peakRssKb / 1024,
    heapDeltaMb: reported.heapDeltaMb,
    rssBeforeMb: reported.rssBeforeMb,
    ok: reported.ok,
    result: reported.result,
  }
}

async function main(): Promise<number> {
  const options = readOptions(process.argv.slice(2))
  const dir = mkdtempSync(join(tmpdir(), 'resource-bounds-'))
  try {
    const [cli, child] = await Promise.all([
      bundleEntry(CLI_ENTRY, dir, 'support-guard'),
      bundleEntry(CASE_CHILD, dir, 'case-child'),
    ])
    const measured = { cwd: ROOT, scratchDir: dir, timeoutMs: TIMEOUT_MS }
    const rows: Row[] = []
    rows.push(
      cliRow(
        '1. CLI audit of the example account (runtime floor)',
        await runCliAudit(cli, EXAMPLE_ACCOUNT, measured),
      ),
    )
    const exported = writeSyntheticExport(dir, options.exportMb, options.seed)
    const exportMb = (exported.bytes / 1_048_576).toFixed(1)
    const audit = await runCliAudit(cli, exported.file, measured)
    rows.push(
      cliRow(
        `1. CLI audit of a ${exportMb} MB export (${exported.principals.toLocaleString('en-US')} principals)`,
        audit,
      ),
    )
    for (const entry of IN_PROCESS_CASES) rows.push(await runCaseChild(child, entry.name, entry.title, dir))
    printReport(rows, audit.rssSource, exported.generateMs)
    return rows.every((row) => row.ok) ? 0 : 1
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

function printReport(rows: readonly Row[], rssSource: string, generateMs: number): void {
  const machine = `${cpus()[0]?.model ?? 'unknown CPU'} × ${cpus().length}, Node ${process.version}`
  const lines = [
    '## Resource bounds',
    '',
    `${machine}; peak RSS from ${rssSource === 'gnu-time' ? '/usr/bin/time -v' : 'process.resourceUsage()'} of each case's own process; the export took ${Math.round(generateMs)} ms to generate (not counted).`,
    '',
    ...renderTable(
      ['case', 'wall ms', 'peak RSS MB', 'RSS before MB', 'heap Δ MB', 'result'],
      rows.map((row) => [
        row.name,
        row.wallMs.toFixed(0),
        row.peakRssMb.toFixed(0),
        row.rssBeforeMb === undefined ? '—' : row.rssBeforeMb.toFixed(0),
        row.heapDeltaMb === undefined ? '—' : row.heapDeltaMb.toFixed(1),
        row.ok ? row.result : `FAIL: ${row.result}`,
      ]),
    ),
    '',
    'Wall time of cases 2–4 is the work itself; of case 1, the whole CLI process (start-up included).',
    'RSS before: the process with its modules loaded, before the case ran. Heap Δ: heapUsed after the case minus before (garbage not yet collected included).',
  ]
  process.stdout.write(`${lines.join('\n')}\n`)
}

try {
  process.exitCode = await main()
} catch (error) {
  process.stderr.write(`resource-bounds: ${error instanceof Error ? error.message : String(error)}\n`)
  process.exitCode = 2
}
