/**
 * Turns a policy document as IAM hands it out into a plain value: objects pass through,
 * JSON strings are parsed, and URL-encoded JSON strings (what IAM's Get* APIs return) are
 * decoded first. Returns an error message instead of throwing.
 */
export function decodePolicyDocument(
  input: unknown,
): { ok: true; value: unknown } | { ok: false; message: string } {
  if (typeof input !== 'string') return { ok: true, value: input }
  // Most documents have no surrounding space: trimming would copy each of them.
  const text = hasSurroundingSpace(input) ? input.trim() : input
  // IAM's Get* APIs return `%7B…`: skip the JSON attempt that would fail anyway.
  const direct = text.startsWith('%') ? { ok: false as const } : tryParseJson(text)
  if (direct.ok) return direct
  if (!text.includes('%')) return { ok: false, message: 'not valid JSON' }
  // IAM encodes spaces as %20; form encoding (`+`) is tried second so a literal `+` survives.
  for (const candidate of [text, text.replace(/\+/g, '%20')]) {
    const decoded = tryDecodeUri(candidate)
    if (decoded === undefined) return { ok: false, message: 'not valid JSON and not valid URL encoding' }
    const parsed = tryParseJson(decoded)
    if (parsed.ok) return parsed
  }
  return { ok: false, message: 'URL-decoded text is not valid JSON' }
}

/**
 * A policy document as a value where it decodes (see decodePolicyDocument), else as it was
 * given, so that the evaluator reports unreadable text by name instead of losing it.
 */
export function decodePolicyDocumentOrKeep(input: unknown): unknown {
  const decoded = decodePolicyDocument(input)
  return decoded.ok ? decoded.value : input
}

function tryDecodeUri(text: string): string | undefined {
  try {
    return decodeURIComponent(text)
  } catch {
    return undefined
  }
}

function tryParseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown }
  } catch {
    return { ok: false }
  }
}

function hasSurroundingSpace(text: string): boolean {
  return text.length > 0 && (isSpace(text.charCodeAt(0)) || isSpace(text.charCodeAt(text.length - 1)))
}

/** Every character `trim` removes is a control or space character, or beyond ASCII. */
function isSpace(code: number): boolean {
  return code <= 0x20 || code >= 0x7f
}
