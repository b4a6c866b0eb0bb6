/**
 * Benchmark sections measured by the pipeline build, not by this script: the detect path per
 * event type (`dist/bench-detect.json`) and the Lambda bundles (`dist/functions`). They are
 * shown when those outputs exist and marked pending otherwise; nothing here is estimated.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { renderTable } from './bench-table.ts'

export const PENDING = 'not measured yet (pipeline pending)'

export interface BundleMeasurement {
  readonly function: string
  readonly codeBytes: number
  readonly files: number
}

export interface PipelineSections {
  /** Content of dist/bench-detect.json, as written by whoever measures the detect path. */
  readonly detect: unknown
  readonly bundles: readonly BundleMeasurement[] | null
}

function sumFiles(dir: string): { bytes: number; files: number } {
  let bytes = 0
  let files = 0
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) {
      const inner = sumFiles(path)
      bytes += inner.bytes
      files += inner.files
    } else if (!entry.name.endsWith('.map')) {
      bytes += statSync(path).size
      files++
    }
  }
  return { bytes, files }
}

/** Reads what exists under `dist/`; absent outputs come back as null. */
export function readPipelineSections(root: string): PipelineSections {
  const detectFile = join(root, 'dist', 'bench-detect.json')
  const functionsDir = join(root, 'dist', 'functions')
  const detect: unknown = existsSync(detectFile) ? JSON.parse(readFileSync(detectFile, 'utf8')) : null
  const bundles = existsSync(functionsDir)
    ? readdirSync(functionsDir, { withFileTypes: true })
        .filter((entry) => entry.isDirectory())
        .map((entry) => {
          const { bytes, files } = sumFiles(join(functionsDir, entry.name))
          return { function: entry.name, codeBytes: bytes, files }
        })
    : null
  return { detect, bundles: bundles && bundles.length > 0 ? bundles : null }
}

function isFlatRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Arrays of flat records become tables; anything else is shown as JSON. */
function renderValue(value: unknown): string[] {
  if (Array.isArray(value) && value.length > 0 && value.every(isFlatRecord)) {
    const columns = [...new Set(value.flatMap((row) => Object.keys(row)))]
    return renderTable(
      columns,
      value.map((row) => columns.map((column) => formatCell(row[column]))),
    )
  }
  return ['```json', JSON.stringify(value, null, 2), '```']
}

function formatCell(value: unknown): string {
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : value.toFixed(2)
  if (typeof value === 'string') return value
  return value === undefined || value === null ? '' : JSON.stringify(value)
}

export function renderPipelineSections(sections: PipelineSections): string[] {
  const lines = ['## Detect path per event type (pipeline)', '']
  if (sections.detect === null) lines.push(PENDING)
  else if (isFlatRecord(sections.detect)) {
    for (const [key, value] of Object.entries(sections.detect))
      lines.push(`### ${key}`, '', ...renderValue(value), '')
  } else lines.push(...renderValue(sections.detect))
  lines.push('', '## Bundle size and init time (pipeline)', '')
  if (sections.bundles === null) lines.push(PENDING)
  else {
    lines.push(
      ...renderTable(
        ['function', 'code KB (no maps)', 'files'],
        sections.bundles.map((bundle) => [
          bundle.function,
          (bundle.codeBytes / 1024).toFixed(1),
          String(bundle.files),
        ]),
      ),
      '',
      'Init time: see the detect section when measured; otherwise not measured yet (pipeline pending).',
    )
  }
  return lines
}
