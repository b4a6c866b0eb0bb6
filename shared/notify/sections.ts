/** A block of a notification: a heading and its lines, rendered as text for email or as chat markdown. */
export interface Section {
  readonly heading: string
  readonly lines: readonly string[]
}

/**
 * SNS rejects messages over 256 KiB (262,144 bytes, attributes included); the body stays under
 * this with room for the subject and the message attributes (`severity`, `rule`, `outcome`,
 * `notificationId` and, on a possible repeat, `possibleRepeat`; see SnsNotifier).
 */
export const MAX_BODY_BYTES = 240 * 1024

/** Chat messages stay short enough to read in a channel; the full detail is in the text body. */
const MAX_CHAT_DESCRIPTION = 4000

/** Plain text: the subject, then each section as a heading with indented lines. */
export function renderTextBody(subject: string, sections: readonly Section[]): string {
  const blocks = sections.map((section) => [section.heading, ...indent(section.lines)].join('\n'))
  return truncateUtf8([subject, ...blocks].join('\n\n'), MAX_BODY_BYTES)
}

/** Chat markdown: each section as a heading line followed by its lines. */
export function renderChatDescription(sections: readonly Section[]): string {
  const text = sections
    .map((section) => [`${section.heading}:`, ...section.lines.map(unpadLabel)].join('\n'))
    .join('\n\n')
  return text.length <= MAX_CHAT_DESCRIPTION ? text : `${text.slice(0, MAX_CHAT_DESCRIPTION - 3)}...`
}

/** `- item` bullets, nested under the line before them when `depth` is 1. */
export function bullets(items: readonly string[], depth = 0): readonly string[] {
  return items.map((item) => `${'  '.repeat(depth)}- ${item}`)
}

// Chat fonts are proportional: the padding that aligns `Label:` values in text only adds gaps there.
function unpadLabel(line: string): string {
  return line.replace(/^([A-Za-z][\w ]*:) {2,}/, '$1 ')
}

function indent(lines: readonly string[]): readonly string[] {
  return lines.map((line) => (line === '' ? line : `  ${line}`))
}

/** Cuts text to at most `maxBytes` of UTF-8 without splitting a character, marking the cut. */
export function truncateUtf8(text: string, maxBytes: number): string {
  const encoded = new TextEncoder().encode(text)
  if (encoded.length <= maxBytes) return text
  const marker = '\n[truncated]'
  const cut = new TextDecoder().decode(encoded.slice(0, maxBytes - marker.length))
  return `${cut.replace(/\uFFFD+$/u, '')}${marker}`
}
