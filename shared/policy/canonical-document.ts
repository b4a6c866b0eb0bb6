import { decodePolicyDocumentOrKeep } from './decode-document.ts'

/**
 * A policy document as comparable text: decoded whatever its encoding (object, JSON,
 * URL-encoded JSON) and serialised with sorted keys, so equal content compares equal.
 */
export function canonicalDocument(document: unknown): string {
  return stableStringify(decodePolicyDocumentOrKeep(document))
}

function stableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) =>
      a < b ? -1 : a > b ? 1 : 0,
    )
    return `{${entries.map(([key, entry]) => `${JSON.stringify(key)}:${stableStringify(entry)}`).join(',')}}`
  }
  return JSON.stringify(value)
}
