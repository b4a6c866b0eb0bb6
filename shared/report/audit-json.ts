import type { AuditReport } from './audit-report.ts'

/** Text is handed to `write` in pieces of about this many characters. */
const CHUNK_CHARS = 1 << 20

/**
 * Writes `report` as `JSON.stringify(report, null, 2)` followed by a newline, to the byte,
 * without ever holding the whole text: a 12,000-principal report is some 40 MB.
 *
 * The findings are written one by one. Principals share a few decision records (auditAccount
 * freezes one per pattern), so each record is serialised once and reused for every principal
 * holding it.
 */
export function writeAuditJson(report: AuditReport, write: (text: string) => void): void {
  const out = new ChunkedWriter(write)
  out.push(`{\n  "schemaVersion": ${JSON.stringify(report.schemaVersion)},\n`)
  out.push(`  "accountId": ${JSON.stringify(report.accountId)},\n`)
  out.push('  "findings": ')
  writeList(out, report.findings, (finding) => indentJson(finding, '    '))
  out.push(',\n  "access": ')
  const shared = new Map<object, string>()
  writeList(out, report.access, (entry) => indentObject(entry, '    ', shared))
  out.push('\n}\n')
  out.flush()
}

/** A list at the report's second level, its items at `    ` as JSON.stringify indents them. */
function writeList<T>(out: ChunkedWriter, items: readonly T[], render: (item: T) => string): void {
  if (items.length === 0) {
    out.push('[]')
    return
  }
  out.push('[')
  items.forEach((item, index) => {
    out.push(index === 0 ? '\n    ' : ',\n    ')
    out.push(render(item))
  })
  out.push('\n  ]')
}

/** JSON.stringify(value, null, 2) as it reads nested at `indent`. */
function indentJson(value: unknown, indent: string): string {
  return (JSON.stringify(value, null, 2) ?? 'null').replaceAll('\n', `\n${indent}`)
}

/**
 * An object of the access list: its plain values written as JSON.stringify would, its object
 * values looked up by identity in `shared` first.
 */
function indentObject(value: object, indent: string, shared: Map<object, string>): string {
  const inner = `${indent}  `
  let text = ''
  for (const [key, field] of Object.entries(value)) {
    if (field === undefined || typeof field === 'function' || typeof field === 'symbol') continue
    let rendered: string
    if (typeof field === 'object' && field !== null && !('toJSON' in field)) {
      rendered = shared.get(field) ?? indentJson(field, inner)
      shared.set(field, rendered)
    } else rendered = indentJson(field, inner)
    text += `${text === '' ? '' : ','}\n${inner}${JSON.stringify(key)}: ${rendered}`
  }
  return text === '' ? '{}' : `{${text}\n${indent}}`
}

class ChunkedWriter {
  #parts: string[] = []
  #length = 0
  constructor(private readonly write: (text: string) => void) {}
  push(text: string): void {
    this.#parts.push(text)
    this.#length += text.length
    if (this.#length >= CHUNK_CHARS) this.flush()
  }
  flush(): void {
    if (this.#parts.length === 0) return
    this.write(this.#parts.join(''))
    this.#parts = []
    this.#length = 0
  }
}
