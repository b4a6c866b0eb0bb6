/**
 * One full audit in a process of its own, so its peak RSS is the audit's alone.
 * Usage: `node --import tsx bench/audit-child.ts SIZE [--snapshot FILE] [--seed N] [--shape NAME]`.
 * With `--snapshot` it reads the export from disk as the CLI does; otherwise it generates it
 * (of SHAPE_MATRIX's shape NAME, default baseline) and round-trips it through JSON text so no
 * document object is shared. Prints one JSON line.
 */
import { readFileSync } from 'node:fs'
import { DEFAULT_CONFIG } from '#shared/config/guard-config.ts'
import { auditAccount } from '#shared/report/audit-report.ts'
import { parseAccountSnapshot } from '#shared/snapshot/parse-snapshot.ts'
import { DEFAULT_SEED, findShape, generateAccount } from '#test-support/synthetic/synthetic-account.ts'

/** What the child reports to the parent. */
export interface AuditChildResult {
  readonly size: number
  readonly principals: number
  /** `JSON.parse` of the export text (not part of the audit time). */
  readonly jsonParseMs: number
  readonly parseMs: number
  readonly auditMs: number
  /** parseAccountSnapshot + auditAccount. */
  readonly totalMs: number
  readonly findings: number
  readonly issues: number
  /** Peak resident set size of the whole process, in KB. */
  readonly maxRssKb: number
  /** Peak RSS once the modules are loaded, before the export is read: the runtime's share. */
  readonly baselineRssKb: number
}

function readOption(args: readonly string[], name: string): string | undefined {
  const index = args.indexOf(name)
  return index >= 0 ? args[index + 1] : undefined
}

function runAuditChild(args: readonly string[]): AuditChildResult {
  const baselineRssKb = process.resourceUsage().maxRSS
  const size = Number(args[0])
  if (!Number.isInteger(size) || size <= 0) throw new Error(`SIZE must be a positive integer, got ${args[0]}`)
  const file = readOption(args, '--snapshot')
  const seed = Number(readOption(args, '--seed') ?? DEFAULT_SEED)
  const shapeName = readOption(args, '--shape') ?? 'baseline'
  const shape = findShape(shapeName)?.shape
  if (!shape) throw new Error(`no shape ${shapeName}`)
  const text = file
    ? readFileSync(file, 'utf8')
    : JSON.stringify(generateAccount({ seed, principals: size, shape }))
  const jsonStart = performance.now()
  const raw: unknown = JSON.parse(text)
  const parseStart = performance.now()
  const snapshot = parseAccountSnapshot(raw)
  const auditStart = performance.now()
  const { report, issues } = auditAccount(snapshot, DEFAULT_CONFIG)
  const end = performance.now()
  return {
    size,
    principals: report.access.length,
    jsonParseMs: parseStart - jsonStart,
    parseMs: auditStart - parseStart,
    auditMs: end - auditStart,
    totalMs: end - parseStart,
    findings: report.findings.length,
    issues: issues.length,
    maxRssKb: process.resourceUsage().maxRSS,
    baselineRssKb,
  }
}

try {
  process.stdout.write(`${JSON.stringify(runAuditChild(process.argv.slice(2)))}\n`)
} catch (error) {
  process.stderr.write(`bench/audit-child: ${error instanceof Error ? error.message : String(error)}\n`)
  process.exitCode = 1
}
