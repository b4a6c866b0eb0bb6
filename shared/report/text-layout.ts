import { type ArnParts, parseArnResource, replaceIamArnsInText } from '#shared/policy/arn.ts'

/** How text output is laid out: how wide a line may be, and how ARNs are named. */
export interface TextLayout {
  /** Most characters a line may hold; `Infinity` when there is no limit. */
  readonly width: number
  /** ARNs of this account are named shortly (`role/Name`); absent, every ARN is printed whole. */
  readonly accountId?: string
}

/** Width of text written to a file or a pipe, where no terminal says how wide it is. */
export const DEFAULT_COLUMNS = 100
/** Narrower than this, even a table header cannot be kept legible: lay out for this width. */
const NARROWEST = 20

/**
 * The layout of a report: `columns` wide with ARNs of `accountId` shortened, or, `wide`, with
 * full ARNs and no width limit.
 */
export function makeTextLayout(options: {
  readonly columns: number
  readonly wide: boolean
  readonly accountId: string
}): TextLayout {
  if (options.wide) return { width: Number.POSITIVE_INFINITY }
  const columns = Number.isFinite(options.columns) && options.columns > 0 ? options.columns : DEFAULT_COLUMNS
  return { width: Math.max(NARROWEST, Math.floor(columns)), accountId: options.accountId }
}

/** The header line that says which account the short names belong to. */
export function accountHeader(accountId: string, layout: TextLayout, title = 'Account'): string {
  return layout.accountId === undefined
    ? `${title} ${accountId}`
    : `${title} ${accountId} (short names; --wide prints full ARNs)`
}

// Names unique in an account whatever their path: the last segment is enough.
const NAMED_BY_LAST_SEGMENT = new Set(['role', 'user', 'group', 'policy', 'instance-profile'])

/**
 * Every ARN in `text` named shortly: `role/Name`, `user/Name`, `policy/Name` for ARNs of the layout's account (IAM names are
 * unique in an account whatever their path), `aws:policy/Name` for AWS managed policies,
 * `account root` for its root; other ARNs, and every ARN of a wide layout, unchanged.
 */
export function shortenArns(text: string, layout: TextLayout): string {
  const { accountId } = layout
  return accountId === undefined
    ? text
    : replaceIamArnsInText(text, (arn, parts) => shorten(arn, parts, accountId))
}

function shorten(arn: string, { service, account, resource }: ArnParts, accountId: string): string {
  const { type, name } = parseArnResource(resource)
  if (account === 'aws') return service === 'iam' && type === 'policy' && name ? `aws:policy/${name}` : arn
  if (account !== accountId) return arn
  if (resource === 'root') return 'account root'
  if (service === 'iam' && NAMED_BY_LAST_SEGMENT.has(type) && name) return `${type}/${name}`
  return resource
}

/** Characters after which a word too long for a line is best broken. */
const BREAK_AFTER = new Set(['/', ',', ':', '_', '-', '.', '@', '='])

/** Splits `word` into pieces of at most `width`, preferring to break after a separator. */
export function breakWord(word: string, width: number): string[] {
  const pieces: string[] = []
  let rest = word
  const size = Math.max(1, width)
  while (rest.length > size) {
    let at = size
    for (let index = size; index > size / 3; index--) {
      if (BREAK_AFTER.has(rest[index - 1] ?? '')) {
        at = index
        break
      }
    }
    pieces.push(rest.slice(0, at))
    rest = rest.slice(at)
  }
  pieces.push(rest)
  return pieces
}

/** Fills lines of at most `width` with the words of `text`; a word longer than a line is broken. */
export function wrapText(text: string, width: number): string[] {
  const lines: string[] = []
  let line = ''
  for (const word of text.split(/\s+/).filter((part) => part !== '')) {
    for (const piece of word.length > width ? breakWord(word, width) : [word]) {
      if (line && line.length + 1 + piece.length > width) {
        lines.push(line)
        line = piece
      } else {
        line = line ? `${line} ${piece}` : piece
      }
    }
  }
  if (line) lines.push(line)
  return lines.length > 0 ? lines : ['']
}

/** `text` wrapped to the layout, its first line after `first`, the others after `rest` (spaces). */
export function wrapIndented(text: string, layout: TextLayout, first: string, rest = first): string[] {
  const room = layout.width - Math.max(first.length, rest.length)
  if (!Number.isFinite(room)) return [`${first}${text}`]
  return wrapText(text, Math.max(1, room)).map((line, index) => `${index === 0 ? first : rest}${line}`)
}

const INDENT = '  '
const GAP = '  '

/**
 * Lays rows out as a table indented by two spaces, columns two apart, fitting the layout's
 * width: flexible columns shrink first (never below their header), then any column; a cell
 * too long for its column wraps onto further lines of its row.
 */
export function layoutTable(
  rows: readonly (readonly string[])[],
  layout: TextLayout,
  flexible: readonly boolean[] = [],
): string[] {
  const count = Math.max(0, ...rows.map((row) => row.length))
  const widths = Array.from({ length: count }, (_, column) =>
    Math.max(0, ...rows.map((row) => (row[column] ?? '').length)),
  )
  const room = layout.width - INDENT.length - GAP.length * (count - 1)
  const floor = (column: number) =>
    flexible[column] ? Math.min(widths[column] ?? 0, headerWidth(rows, column)) : 0
  const floors = widths.map((_, column) => floor(column))
  shrink(widths, room, (column) => (flexible[column] ? (floors[column] ?? 0) : Number.POSITIVE_INFINITY))
  shrink(widths, room, () => 1)
  const lines: string[] = []
  for (const row of rows) {
    const cells = widths.map((width, column) => fitCell(row[column] ?? '', width))
    const height = Math.max(...cells.map((cell) => cell.length))
    for (let line = 0; line < height; line++) {
      const text = cells.map((cell, column) => (cell[line] ?? '').padEnd(widths[column] ?? 0)).join(GAP)
      lines.push(`${INDENT}${text}`.trimEnd())
    }
  }
  return lines
}

function headerWidth(rows: readonly (readonly string[])[], column: number): number {
  return Math.max(8, (rows[0]?.[column] ?? '').length)
}

/** Narrows the widest column above its floor, one character at a time, until the row fits `room`. */
function shrink(widths: number[], room: number, floorOf: (column: number) => number): void {
  if (!Number.isFinite(room)) return
  let total = widths.reduce((sum, width) => sum + width, 0)
  while (total > room) {
    let widest = -1
    widths.forEach((width, column) => {
      if (width > floorOf(column) && (widest < 0 || width > (widths[widest] ?? 0))) widest = column
    })
    if (widest < 0) return
    widths[widest] = (widths[widest] ?? 1) - 1
    total--
  }
}

function fitCell(text: string, width: number): string[] {
  return text.length <= width ? [text] : wrapText(text, width)
}

/**
 * The last word on width: a line still wider than the layout (a token that cannot be broken
 * where it stands) is cut into pieces that fit, each continued under the line's indentation.
 */
export function fitLines(lines: readonly string[], layout: TextLayout): string[] {
  if (!Number.isFinite(layout.width)) return [...lines]
  return lines.flatMap((line) => {
    if (line.length <= layout.width) return [line]
    const indent = /^ */.exec(line)?.[0] ?? ''
    const lead = indent.length < layout.width / 2 ? indent : ''
    return breakWord(line.slice(lead.length), layout.width - lead.length).map((piece) => `${lead}${piece}`)
  })
}
