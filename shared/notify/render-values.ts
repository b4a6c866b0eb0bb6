import { decodePolicyDocumentOrKeep } from '#shared/policy/decode-document.ts'
import { excerptDocument } from './policy-excerpt.ts'

const VALUE_LIMIT = 300
const EVIDENCE_KEYS_LIMIT = 12
/** Free text from the guard (a reason, an error) that may quote commands: bounded all the same. */
const PROSE_LIMIT = 2000

/** Parameters shown first, in this order: the ones a reader looks for to identify the change. */
const LEADING_PARAMETERS = [
  'policyArn',
  'policyName',
  'roleName',
  'userName',
  'groupName',
  'versionId',
  'setAsDefault',
  'permissionsBoundary',
  'awsServiceName',
  'channelRoleArn',
]

/** Parameters that hold a policy document: shown as an excerpt, on their own line. */
const DOCUMENT_PARAMETERS = new Set(['policyDocument', 'assumeRolePolicyDocument'])

/** Cuts `text` to `limit` characters, marking the cut with `...`. */
export function truncateText(text: string, limit: number): string {
  if (text.length <= limit) return text
  return `${text.slice(0, Math.max(0, limit - 3))}...`
}

/** One line for any value: strings as they are, everything else as compact JSON. */
export function renderValue(value: unknown, limit = VALUE_LIMIT): string {
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value))
  return truncateText(text.replace(/\s*\n\s*/g, ' '), limit)
}

/**
 * Free text for a notification line: a policy document quoted in it as a command argument
 * (`--policy-document '{…}'`) is cut to an excerpt, and the whole is bounded.
 */
export function renderProse(text: string, limit = PROSE_LIMIT): string {
  const shortened = text.replace(
    /--policy-document '([^']*)'/g,
    (_match, document: string) => `--policy-document '${excerptDocument(document)}'`,
  )
  return truncateText(shortened, limit)
}

/** The document a change wrote, decoded to a value when it can be (for undo commands). */
export function readChangedDocument(parameters: Readonly<Record<string, unknown>>): unknown {
  for (const key of DOCUMENT_PARAMETERS) {
    const value = parameters[key]
    if (value === undefined || value === null) continue
    return decodePolicyDocumentOrKeep(value)
  }
  return undefined
}

/** Request parameters as `name=value` pairs (documents excluded), the identifying ones first. */
export function renderParameters(parameters: Readonly<Record<string, unknown>>): string {
  const keys = Object.keys(parameters).filter(
    (key) => !DOCUMENT_PARAMETERS.has(key) && parameters[key] !== undefined && parameters[key] !== null,
  )
  const ordered = [
    ...LEADING_PARAMETERS.filter((key) => keys.includes(key)),
    ...keys.filter((key) => !LEADING_PARAMETERS.includes(key)).sort(),
  ]
  return ordered.map((key) => `${key}=${renderValue(parameters[key])}`).join(', ')
}

/** Documents among the request parameters, each as an excerpt of its compact JSON (see `excerptDocument`). */
export function listParameterDocuments(
  parameters: Readonly<Record<string, unknown>>,
): readonly { readonly name: string; readonly excerpt: string }[] {
  return [...DOCUMENT_PARAMETERS]
    .filter((key) => parameters[key] !== undefined && parameters[key] !== null)
    .map((key) => ({ name: key, excerpt: excerptDocument(parameters[key]) }))
}

/** Evidence as `key: value` lines, bounded so one finding cannot blow the SNS size limit. */
export function renderEvidence(evidence: Readonly<Record<string, unknown>>): readonly string[] {
  const entries = Object.entries(evidence).filter(([, value]) => value !== undefined)
  const lines = entries.slice(0, EVIDENCE_KEYS_LIMIT).map(([key, value]) => `${key}: ${renderValue(value)}`)
  if (entries.length > EVIDENCE_KEYS_LIMIT)
    lines.push(`(${entries.length - EVIDENCE_KEYS_LIMIT} more fields)`)
  return lines
}
