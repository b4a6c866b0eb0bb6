import type { AuditReport } from './audit-report.ts'

/**
 * Text is handed to `write` in pieces of about this many characters: small enough that each
 * piece is an ordinary young object, collected as soon as it is written (a piece of a
 * megabyte would go to the large-object space and stay until a full collection).
 */
const CHUNK_CHARS = 1 << 15

/**
 * Writes `report` as `JSON.stringify(report, null, 2)` followed by a newline, to the byte,
 * without ever holding the whole text: a 12,000-principal report is some 40 MB.
 *
 * The findings are written in small batches. Principals share a few decision records (auditAccount
 * freezes one per pattern), so each record is serialised once and reused for every principal
 * holding it.
 */
export function writeAuditJson(report: AuditReport, write: (text: string) => void): void {
  for (const chunk of auditJsonChunks(report)) write(chunk)
}

/** The text writeAuditJson writes, piece by piece, for a writer that may have to wait between pieces. */
export function* auditJsonChunks(report: AuditReport): Generator<string, void, undefined> {
  const out = new ChunkBuffer()
  out.push(`{\n  "schemaVersion": ${JSON.stringify(report.schemaVersion)},\n`)
  out.push(`  "accountId": ${JSON.stringify(report.accountId)},\n`)
  out.push('  "findings": ')
  yield* writeFindings(out, report.findings)
  out.push(',\n  "access": ')
  const shared = new Map<object, string>()
  if (report.access.length === 0) out.push('[]')
  else {
    out.push('[')
    for (const [index, entry] of report.access.entries()) {
      out.push(index === 0 ? '\n    ' : ',\n    ')
      out.push(accessEntryJson(entry, shared))
      if (out.full) yield out.take()
    }
    out.push('\n  ]')
  }
  out.push('\n}\n')
  yield out.take()
}

/** Findings stringified at once: a few kilobytes each, so a batch stays a small young object too. */
export const FINDINGS_PER_BATCH = 25
/** What JSON.stringify writes around a list held by the key `findings` of an object. */
const LIST_OPEN = '{\n  "findings": [\n'
const LIST_CLOSE = '\n  ]\n}'

/**
 * The findings, in batches that JSON.stringify indents itself: a batch is stringified as the
 * `findings` list of an object, which puts its items exactly where the report puts them.
 */
function* writeFindings(
  out: ChunkBuffer,
  findings: AuditReport['findings'],
): Generator<string, void, undefined> {
  if (findings.length === 0) {
    out.push('[]')
    return
  }
  out.push('[\n')
  for (let start = 0; start < findings.length; start += FINDINGS_PER_BATCH) {
    const batch = findings.slice(start, start + FINDINGS_PER_BATCH)
    const text = JSON.stringify({ findings: batch }, null, 2)
    if (start > 0) out.push(',\n')
    out.push(text.slice(LIST_OPEN.length, text.length - LIST_CLOSE.length))
    if (out.full) yield out.take()
  }
  out.push('\n  ]')
}

/**
 * One entry of the access list, at the report's depth: plain values as JSON.stringify writes
 * them, object values (the decision record many principals share) serialised once per object.
 */
function accessEntryJson(entry: object, shared: Map<object, string>): string {
  let text = ''
  for (const key of Object.keys(entry)) {
    const field: unknown = (entry as Record<string, unknown>)[key]
    if (field === undefined || typeof field === 'function' || typeof field === 'symbol') continue
    let rendered: string
    if (typeof field === 'object' && field !== null) {
      rendered = shared.get(field) ?? (JSON.stringify(field, null, 2) ?? 'null').replaceAll('\n', '\n      ')
      if (!('toJSON' in field)) shared.set(field, rendered)
    } else rendered = JSON.stringify(field)
    text += `${text === '' ? '' : ','}\n      ${JSON.stringify(key)}: ${rendered}`
  }
  return text === '' ? '{}' : `{${text}\n    }`
}

/** Text collected until it makes a piece of about CHUNK_CHARS. */
class ChunkBuffer {
  #parts: string[] = []
  #length = 0
  get full(): boolean {
    return this.#length >= CHUNK_CHARS
  }
  push(text: string): void {
    this.#parts.push(text)
    this.#length += text.length
  }
  take(): string {
    const text = this.#parts.join('')
    this.#parts = []
    this.#length = 0
    return text
  }
}
