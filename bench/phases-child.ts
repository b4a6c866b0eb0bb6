/**
 * Where the CLI's time goes: `audit --snapshot FILE --format json` done by the CLI's own code,
 * part by part, in a process of its own with the CLI's V8 flags. The report is written to REPORT
 * as the CLI writes it to a file, and the parent checks that it is the CLI's, byte for byte.
 * With `--documents` it times instead what compiling spends on policy documents: every distinct
 * document of the export parsed once, as compileAccount parses it, and nothing else.
 * Prints one JSON line (PhasesChildResult or DocumentsChildResult).
 * Usage: `node phases-child.mjs EXPORT REPORT` or `node phases-child.mjs EXPORT --documents`.
 */
// First, as in the CLI's entry: V8's flags must be set before the rest is loaded.
import '../bin/cli/v8-flags.ts'
import { closeSync, openSync, writeSync } from 'node:fs'
import { DEFAULT_CONFIG } from '#shared/config/guard-config.ts'
import { compileAccount } from '#shared/evaluator/compile-account.ts'
import { evaluatePrincipals } from '#shared/evaluator/evaluate-principals.ts'
import { AUDIT_QUESTIONS, servicesOf } from '#shared/evaluator/questions.ts'
import { parsePolicyDocument } from '#shared/policy/parse-policy.ts'
import type { PolicyKind } from '#shared/policy/types.ts'
import { runPostureRules } from '#shared/posture/run-posture-rules.ts'
import { auditJsonChunks } from '#shared/report/audit-json.ts'
import { auditResultOf } from '#shared/report/audit-report.ts'
import { parseAccountSnapshot } from '#shared/snapshot/parse-snapshot.ts'
import type { AccountSnapshot } from '#shared/snapshot/types.ts'
import { readExportFile } from '../bin/cli/read-json.ts'

export interface PhasesChildResult {
  /** From the process's start to this script's first line: Node's start and loading the code. */
  readonly startMs: number
  /** The export read entry by entry into records (the CLI's readExportFile). */
  readonly readMs: number
  /** parseAccountSnapshot of what was read. */
  readonly snapshotMs: number
  /** compileAccount: every document parsed, every principal's policies gathered. */
  readonly compileMs: number
  /** Every principal's decision for every question. */
  readonly evaluateMs: number
  readonly postureMs: number
  /** The report's access list, from the decisions. */
  readonly accessMs: number
  /** The report's text, written to the file piece by piece. */
  readonly writeMs: number
  readonly principals: number
  readonly findings: number
}

export interface DocumentsChildResult {
  /** Distinct identity and trust documents, as compileAccount tells them apart. */
  readonly identity: number
  readonly trust: number
  /** Parsing all of them once, cold, in this process. */
  readonly documentsMs: number
}

async function runPhases(exportFile: string, reportFile: string): Promise<PhasesChildResult> {
  const startMs = performance.now()
  const raw = await readExportFile(exportFile, 'snapshot')
  const snapshotStart = performance.now()
  const snapshot = parseAccountSnapshot(raw)
  const compileStart = performance.now()
  const account = compileAccount(snapshot, { services: servicesOf(AUDIT_QUESTIONS) })
  const evaluateStart = performance.now()
  const principals = evaluatePrincipals(account, AUDIT_QUESTIONS)
  const evaluation = { account, questions: AUDIT_QUESTIONS, principals, issues: account.issues }
  const postureStart = performance.now()
  const findings = runPostureRules(evaluation, DEFAULT_CONFIG)
  const accessStart = performance.now()
  const { report } = auditResultOf(snapshot.accountId, evaluation, findings)
  const writeStart = performance.now()
  const fd = openSync(reportFile, 'w')
  try {
    for (const piece of auditJsonChunks(report)) writeSync(fd, piece)
  } finally {
    closeSync(fd)
  }
  const end = performance.now()
  return {
    startMs,
    readMs: snapshotStart - startMs,
    snapshotMs: compileStart - snapshotStart,
    compileMs: evaluateStart - compileStart,
    evaluateMs: postureStart - evaluateStart,
    postureMs: accessStart - postureStart,
    accessMs: writeStart - accessStart,
    writeMs: end - writeStart,
    principals: principals.length,
    findings: findings.length,
  }
}

async function runDocuments(exportFile: string): Promise<DocumentsChildResult> {
  const snapshot = parseAccountSnapshot(await readExportFile(exportFile, 'snapshot'))
  const distinct = distinctDocuments(snapshot)
  const options = { services: servicesOf(AUDIT_QUESTIONS) }
  const started = performance.now()
  for (const kind of ['identity', 'trust'] as const)
    for (const document of distinct[kind].values()) parsePolicyDocument(document, '', kind, options)
  return {
    identity: distinct.identity.size,
    trust: distinct.trust.size,
    documentsMs: performance.now() - started,
  }
}

/**
 * The documents compileAccount parses, each once: managed policies' (their default version),
 * inline policies', trust policies' and SCPs', told apart by their text as its cache tells them. The
 * AWS managed documents the guard carries for attached policies an export leaves out are not counted.
 */
function distinctDocuments(snapshot: AccountSnapshot): Record<PolicyKind, Map<string, unknown>> {
  const distinct: Record<PolicyKind, Map<string, unknown>> = { identity: new Map(), trust: new Map() }
  const add = (kind: PolicyKind, document: unknown) => {
    if (document === undefined) return
    distinct[kind].set(typeof document === 'string' ? document : JSON.stringify(document), document)
  }
  for (const policy of snapshot.policies) add('identity', policy.document)
  for (const owner of [...snapshot.groups, ...snapshot.users, ...snapshot.roles])
    for (const policy of owner.inline) add('identity', policy.document)
  for (const role of snapshot.roles) add('trust', role.trustPolicy)
  for (const scp of snapshot.serviceControlPolicies ?? []) add('identity', scp.document)
  return distinct
}

async function main(args: readonly string[]): Promise<unknown> {
  const [exportFile, second] = args
  if (!exportFile || !second) throw new Error('usage: phases-child EXPORT (REPORT | --documents)')
  return second === '--documents' ? runDocuments(exportFile) : runPhases(exportFile, second)
}

try {
  process.stdout.write(`${JSON.stringify(await main(process.argv.slice(2)))}\n`)
} catch (error) {
  process.stderr.write(`bench/phases-child: ${error instanceof Error ? error.message : String(error)}\n`)
  process.exitCode = 1
}
