/**
 * The floor of an audit on this machine: the same input and output, and nothing between them.
 * In a process of its own, it reads an export and `JSON.parse`s it, then serialises a report as
 * the CLI writes it (`JSON.stringify(report, null, 2)`) and writes it to a file. Reading and
 * parsing the report it is given is not timed, nor is comparing the text it serialised with that
 * report's. Prints one JSON line (FloorChildResult).
 * Usage: `node floor-child.mjs EXPORT REPORT OUT`.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs'

export interface FloorChildResult {
  /** From the process's start to this script's first line: Node's own start. */
  readonly startMs: number
  readonly readMs: number
  readonly parseMs: number
  readonly serializeMs: number
  readonly writeMs: number
  readonly exportBytes: number
  readonly reportBytes: number
  /** Whether the text serialised is the report's, byte for byte, as the CLI's contract says. */
  readonly matchesReport: boolean
}

function runFloorChild(args: readonly string[]): FloorChildResult {
  const startMs = performance.now()
  const [exportFile, reportFile, outFile] = args
  if (!exportFile || !reportFile || !outFile) throw new Error('usage: floor-child EXPORT REPORT OUT')
  const readStart = performance.now()
  const bytes = readFileSync(exportFile)
  const parseStart = performance.now()
  const account: unknown = JSON.parse(bytes.toString('utf8'))
  const parseEnd = performance.now()
  if (typeof account !== 'object' || account === null) throw new Error(`${exportFile} is not a JSON object`)
  const reportText = readFileSync(reportFile, 'utf8')
  const report: unknown = JSON.parse(reportText)
  const serializeStart = performance.now()
  const text = `${JSON.stringify(report, null, 2)}\n`
  const writeStart = performance.now()
  writeFileSync(outFile, text)
  const writeEnd = performance.now()
  rmSync(outFile)
  return {
    startMs,
    readMs: parseStart - readStart,
    parseMs: parseEnd - parseStart,
    serializeMs: writeStart - serializeStart,
    writeMs: writeEnd - writeStart,
    exportBytes: bytes.length,
    reportBytes: Buffer.byteLength(text),
    matchesReport: text === reportText,
  }
}

try {
  process.stdout.write(`${JSON.stringify(runFloorChild(process.argv.slice(2)))}\n`)
} catch (error) {
  process.stderr.write(`bench/floor-child: ${error instanceof Error ? error.message : String(error)}\n`)
  process.exitCode = 1
}
