import { parseArgs } from 'node:util'
import { READER_ROLE_NAME } from '#shared/catalog/guard-roles.ts'
import {
  ConfigError,
  DEFAULT_CONFIG,
  type GuardConfig,
  parseGuardConfig,
} from '#shared/config/guard-config.ts'
import { isSeverity, isSeverityAtLeast, type Severity } from '#shared/config/rules.ts'
import { InputError } from '#shared/errors/input-error.ts'
import { evaluateAccount } from '#shared/evaluator/evaluate-account.ts'
import type { ExternalRole } from '#shared/evaluator/reachability.ts'
import { locateCloudTrailRecord } from '#shared/events/locate-cloudtrail-record.ts'
import { AccountMismatchError, replayEvent } from '#shared/pipeline/replay-event.ts'
import type { PolicyIssue } from '#shared/policy/types.ts'
import { externalRolesFor, findCrossAccountSupportRoles } from '#shared/posture/cross-account.ts'
import { auditJsonChunks } from '#shared/report/audit-json.ts'
import { auditAccount } from '#shared/report/audit-report.ts'
import { formatReplayText } from '#shared/report/format-replay-text.ts'
import { AUDIT_WHO_CAN_ACTIONS, formatAuditText, formatWhoCanText } from '#shared/report/format-text.ts'
import { makeTextLayout, type TextLayout } from '#shared/report/text-layout.ts'
import { UnknownActionError, whoCan, whoCanEach } from '#shared/report/who-can.ts'
import { type OrganizationFile, parseOrganization } from '#shared/snapshot/organization.ts'
import { parseAccountSnapshot } from '#shared/snapshot/parse-snapshot.ts'
import { isSkippedEntry } from '#shared/snapshot/skipped-entries.ts'
import type { AccountSnapshot } from '#shared/snapshot/types.ts'
import { InputFileError, UsageError } from './errors.ts'
import { readExportFile, readJsonFile } from './read-json.ts'
import { ORGANIZATION_FILE, resolveSnapshotSources, type SnapshotSources } from './snapshot-sources.ts'

/** Where the CLI writes; injected so tests run it in-process. */
export interface CliIo {
  /** `false` (as a stream's `write` says it) asks the CLI to wait for `drained` before writing more. */
  readonly stdout: (text: string) => unknown
  /** Resolves once stdout has taken what it buffered (a pipe read slower than the CLI writes). */
  readonly drained?: () => Promise<void>
  /** True once stdout can take nothing more (its reader went away): what is left is not made. */
  readonly closed?: () => boolean
  readonly stderr: (text: string) => void
  /** Progress lines are shown only on an interactive terminal. */
  readonly interactive: boolean
  /** Width of text output: the terminal's when stdout is one, else 100 (DEFAULT_COLUMNS). */
  readonly columns: number
}

/** Commands that need the AWS SDK live in their own module, loaded only when used. */
export interface LiveCommands {
  readonly readLiveSnapshot: (options: { region?: string; endpointUrl?: string }) => Promise<AccountSnapshot>
  readonly readOrganizationSnapshots: (options: {
    region?: string
    endpointUrl?: string
    memberRole: string
  }) => AsyncGenerator<OrganizationSnapshotItem>
}

/** What `snapshot --org` reads, in order: the organisation, then each account or why it failed. */
export type OrganizationSnapshotItem =
  | { readonly kind: 'organization'; readonly organization: OrganizationFile }
  | {
      readonly kind: 'account'
      readonly accountId: string
      readonly name?: string
      readonly snapshot: AccountSnapshot
    }
  | { readonly kind: 'failed'; readonly accountId: string; readonly name?: string; readonly reason: string }

type Format = 'text' | 'json'

/** Reading the live account failed (credentials, network, IAM error): exit code 2. */
class LiveAccountError extends Error {
  override readonly name = 'LiveAccountError'
}

export const USAGE = `usage:
  support-guard audit (--snapshot FILE|DIR [--snapshot FILE]... | --live [--region R]
        [--endpoint-url URL]) [--org FILE] [--config FILE] [--format text|json]
        [--fail-on SEVERITY] [--wide]
  support-guard who-can ACTION --snapshot FILE [--org FILE] [--format text|json] [--wide]
  support-guard replay EVENT_FILE --snapshot FILE [--org FILE] [--config FILE]
        [--format text|json] [--fail-on SEVERITY] [--wide]
  support-guard snapshot --out FILE [--region R] [--endpoint-url URL]
  support-guard snapshot --org --out DIR [--member-role NAME] [--region R] [--endpoint-url URL]
Several exports, or a directory of them (one per account, with organization.json),
give one report over the accounts. Text output fits the terminal and names the
account's ARNs shortly (role/Name); --wide prints full ARNs at any width.`

/** The exit codes of every command (docs/contracts.md#exit-codes). */
export const EXIT_CODES = {
  /** Nothing at or above `--fail-on`; `--help`; who-can and snapshot when they finish. */
  clean: 0,
  /** audit and replay: a finding at or above `--fail-on`. */
  findings: 1,
  /** Bad usage or bad input: one line on stderr, no stack trace. */
  error: 2,
} as const

/** The `--fail-on` threshold when none is given. */
export const DEFAULT_FAIL_ON: Severity = 'high'

const OPTIONS = {
  snapshot: { type: 'string', multiple: true },
  org: { type: 'string' },
  config: { type: 'string' },
  format: { type: 'string' },
  'fail-on': { type: 'string' },
  live: { type: 'boolean' },
  region: { type: 'string' },
  'endpoint-url': { type: 'string' },
  out: { type: 'string' },
  'member-role': { type: 'string' },
  wide: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const

type OptionName = keyof typeof OPTIONS

/**
 * The options each command takes; any other is a usage error, never silently ignored. A map:
 * the command name comes from the command line (`constructor` is no command).
 */
export const COMMAND_OPTIONS: ReadonlyMap<string, readonly OptionName[]> = new Map([
  [
    'audit',
    ['snapshot', 'live', 'region', 'endpoint-url', 'org', 'config', 'format', 'fail-on', 'wide', 'help'],
  ],
  ['who-can', ['snapshot', 'org', 'format', 'wide', 'help']],
  ['replay', ['snapshot', 'org', 'config', 'format', 'fail-on', 'wide', 'help']],
  ['snapshot', ['out', 'org', 'member-role', 'region', 'endpoint-url', 'help']],
])

/**
 * Runs one CLI command. Exit codes: 0 nothing at or above --fail-on, 1 findings at or
 * above it, 2 bad usage or bad input (one line on stderr, no stack trace).
 */
export async function runCli(
  argv: readonly string[],
  io: CliIo,
  live: () => Promise<LiveCommands>,
): Promise<number> {
  try {
    return await dispatch(argv, io, live)
  } catch (error) {
    if (isExpected(error)) {
      const hint = error instanceof UsageError ? ' (see support-guard --help)' : ''
      io.stderr(`support-guard: ${toOneLine(error.message)}${hint}\n`)
      return EXIT_CODES.error
    }
    const message = error instanceof Error ? error.message : String(error)
    io.stderr(`support-guard: unexpected error: ${toOneLine(message)}\n`)
    return EXIT_CODES.error
  }
}

function isExpected(error: unknown): error is Error {
  // InputError: an unreadable file, export, config or event (InputFileError, SnapshotError, ...).
  return [UsageError, InputError, UnknownActionError, AccountMismatchError, LiveAccountError].some(
    (type) => error instanceof type,
  )
}

/** Messages quote input (JSON.parse echoes the text it choked on): keep the promised single line. */
export function toOneLine(message: string): string {
  return message.replace(/\s+/g, ' ').trim()
}

async function dispatch(
  argv: readonly string[],
  io: CliIo,
  live: () => Promise<LiveCommands>,
): Promise<number> {
  const { values, positionals, tokens } = parseCommandLine(argv)
  const [command, ...rest] = positionals
  if (values.help || command === undefined) {
    io.stdout(`${USAGE}\n`)
    return command === undefined && !values.help ? EXIT_CODES.error : EXIT_CODES.clean
  }
  const accepted = COMMAND_OPTIONS.get(command)
  if (!accepted) throw new UsageError(`unknown command ${command}`)
  for (const token of tokens) {
    if (token.kind === 'option' && !accepted.includes(token.name as OptionName))
      throw new UsageError(`${command} does not take ${token.rawName}`)
  }
  const format = readFormat(values.format)
  if (values.wide && format === 'json') throw new UsageError('--wide is for text output, not --format json')
  const text = (accountId: string): TextLayout =>
    makeTextLayout({ columns: io.columns, wide: values.wide === true, accountId })
  switch (command) {
    case 'audit': {
      expectPositionals(rest, 0, 'audit')
      if (values.live && values.snapshot)
        throw new UsageError('audit takes --snapshot FILE or --live, not both')
      if (!values.live && (values.region || values['endpoint-url']))
        throw new UsageError(`audit takes ${values.region ? '--region' : '--endpoint-url'} only with --live`)
      // Cheap checks first: a bad flag or config must not wait for a slow live read.
      const failOn = readFailOn(values['fail-on'])
      const config = await loadConfig(values.config)
      const audit = { config, format, io, layout: text }
      if (values.live) {
        const snapshot = await withOrganization(await readLiveSnapshot(live, liveOptions(values)), values.org)
        return exitCodeFor(await writeAccountAudit(snapshot, audit), failOn)
      }
      const sources = await resolveSnapshotSources(values.snapshot ?? [], values.org)
      if (!sources.many) {
        const snapshot = await withOrganization(
          await loadSnapshot(sources.exports[0] ?? '', io, false),
          values.org,
        )
        return exitCodeFor(await writeAccountAudit(snapshot, audit), failOn)
      }
      return exitCodeFor(await writeOrganizationAudit(sources, audit), failOn)
    }
    case 'who-can': {
      expectPositionals(rest, 1, 'who-can ACTION')
      const snapshot = await withOrganization(
        await loadSnapshot(oneSnapshot(values.snapshot, 'who-can'), io),
        values.org,
      )
      const report = whoCan(snapshot, rest[0] ?? '')
      io.stdout(
        format === 'json'
          ? `${JSON.stringify(report, null, 2)}\n`
          : formatWhoCanText(report, snapshot.accountId, text(snapshot.accountId)),
      )
      return EXIT_CODES.clean
    }
    case 'replay': {
      expectPositionals(rest, 1, 'replay EVENT_FILE')
      const failOn = readFailOn(values['fail-on'])
      const config = await loadConfig(values.config)
      const snapshot = await withOrganization(
        await loadSnapshot(oneSnapshot(values.snapshot, 'replay'), io),
        values.org,
      )
      const file = rest[0] ?? ''
      const event = await readJsonFile(file, 'event')
      if (locateCloudTrailRecord(event).status === 'ignored')
        throw new InputFileError(
          `event ${file} is not a CloudTrail record, an "AWS API Call via CloudTrail" event or lookup-events output`,
        )
      const report = await replayEvent(event, snapshot, config)
      io.stdout(
        format === 'json'
          ? `${JSON.stringify(report, null, 2)}\n`
          : formatReplayText(report, snapshot.accountId, text(snapshot.accountId)),
      )
      return report.findings.some((finding) => isSeverityAtLeast(finding.severity, failOn))
        ? EXIT_CODES.findings
        : EXIT_CODES.clean
    }
    case 'snapshot': {
      expectPositionals(rest, 0, 'snapshot')
      const out = requireOption(values.out, '--out', 'snapshot')
      if (values.org !== undefined) {
        if (values.org !== '')
          throw new UsageError('snapshot takes --org alone: it reads the organisation itself')
        return snapshotOrganization(
          out,
          values['member-role'] ?? READER_ROLE_NAME,
          live,
          liveOptions(values),
          io,
        )
      }
      if (values['member-role']) throw new UsageError('snapshot takes --member-role only with --org')
      const { writeSnapshotFile } = await import('./write-snapshot.ts')
      await writeSnapshotFile(out, await readLiveSnapshot(live, liveOptions(values)))
      io.stderr(`snapshot written to ${out}\n`)
      return EXIT_CODES.clean
    }
    default:
      throw new UsageError(`unknown command ${command}`)
  }
}

function parseCommandLine(argv: readonly string[]) {
  // `snapshot --org` is a flag (the organisation is read, not given): an empty value stands for it.
  const args = argv[0] === 'snapshot' ? argv.map((arg) => (arg === '--org' ? '--org=' : arg)) : [...argv]
  try {
    return parseArgs({
      args,
      options: OPTIONS,
      allowPositionals: true,
      strict: true,
      tokens: true,
    })
  } catch (error) {
    // parseArgs reports bad usage with an ERR_PARSE_ARGS_* code; anything else is no usage error.
    if (isErrnoLike(error) && error.code.startsWith('ERR_PARSE_ARGS_'))
      throw new UsageError(error.message, { cause: error })
    throw error
  }
}

function isErrnoLike(error: unknown): error is Error & { readonly code: string } {
  return error instanceof Error && typeof (error as { code?: unknown }).code === 'string'
}

function liveOptions(values: { region?: string | undefined; 'endpoint-url'?: string | undefined }) {
  return {
    ...(values.region ? { region: values.region } : {}),
    ...(values['endpoint-url'] ? { endpointUrl: values['endpoint-url'] } : {}),
  }
}

async function readLiveSnapshot(
  live: () => Promise<LiveCommands>,
  options: { region?: string; endpointUrl?: string },
): Promise<AccountSnapshot> {
  // The SDK prints a multi-line Node.js support notice on stderr when it runs on Node < 22.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true'
  const commands = await live()
  try {
    return await commands.readLiveSnapshot(options)
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error)
    throw new LiveAccountError(`cannot read the live account: ${reason}`, { cause: error })
  }
}

/**
 * Reads and validates a snapshot. Entries the parser had to leave out are warned about here
 * unless the command reports them itself (`audit` lists them with the unreadable policies).
 */
async function loadSnapshot(path: string, io: CliIo, warnSkipped = true): Promise<AccountSnapshot> {
  const snapshot = parseAccountSnapshot(await readExportFile(path, 'snapshot'))
  if (warnSkipped)
    for (const issue of snapshot.issues ?? []) io.stderr(`support-guard: warning: ${describeIssue(issue)}\n`)
  const size = snapshot.users.length + snapshot.roles.length
  if (io.interactive && size >= 2000) io.stderr(`evaluating ${size} principals…\n`)
  return snapshot
}

/**
 * The snapshot with the organisation file `path` (docs/contracts.md#organization-file) as its
 * `Organization`: its SCPs are then evaluated level by level along the account's path.
 */
async function withOrganization(
  snapshot: AccountSnapshot,
  path: string | undefined,
): Promise<AccountSnapshot> {
  if (path === undefined) return snapshot
  return withOrganizationData(
    snapshot,
    parseOrganization(await readJsonFile(path, 'organization'), path),
    path,
  )
}

function withOrganizationData(
  snapshot: AccountSnapshot,
  organization: OrganizationFile,
  path: string,
): AccountSnapshot {
  if (snapshot.organization || snapshot.serviceControlPolicies)
    throw new UsageError(
      `the snapshot of account ${snapshot.accountId} already carries ${snapshot.organization ? 'Organization' : 'ServiceControlPolicies'}: give its SCPs there or with ${path}, not both`,
    )
  return { ...snapshot, organization }
}

/**
 * `snapshot --org --out DIR`: the organisation file, then one export per account read through
 * the member role, as `audit --snapshot DIR` reads them. An account that cannot be read is named
 * on stderr and the others are written; the exit code is then 2.
 */
async function snapshotOrganization(
  out: string,
  memberRole: string,
  live: () => Promise<LiveCommands>,
  options: { region?: string; endpointUrl?: string },
  io: CliIo,
): Promise<number> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true'
  const [{ mkdir, writeFile }, { join }, { writeSnapshotFile }, commands] = await Promise.all([
    import('node:fs/promises'),
    import('node:path'),
    import('./write-snapshot.ts'),
    live(),
  ])
  await mkdir(out, { recursive: true })
  let written = 0
  let failed = 0
  try {
    for await (const item of commands.readOrganizationSnapshots({ ...options, memberRole })) {
      if (item.kind === 'organization') {
        await writeFile(join(out, ORGANIZATION_FILE), `${JSON.stringify(item.organization, null, 2)}\n`)
      } else if (item.kind === 'account') {
        await writeSnapshotFile(join(out, `${item.accountId}.json`), item.snapshot)
        written++
      } else {
        failed++
        io.stderr(
          `support-guard: warning: account ${item.accountId}${item.name ? ` (${item.name})` : ''} not read through role ${memberRole}: ${toOneLine(item.reason)}\n`,
        )
      }
    }
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error)
    throw new LiveAccountError(`cannot read the organisation: ${reason}`, { cause: error })
  }
  io.stderr(
    `organisation snapshot written to ${out}: ${written} account(s)${failed > 0 ? `, ${failed} not read` : ''}\n`,
  )
  return failed > 0 ? EXIT_CODES.error : EXIT_CODES.clean
}

async function loadConfig(path: string | undefined): Promise<GuardConfig> {
  if (!path) return DEFAULT_CONFIG
  const raw = await readJsonFile(path, 'config')
  try {
    return parseGuardConfig(raw)
  } catch (error) {
    if (error instanceof ConfigError)
      throw new ConfigError(`${path}: ${error.message}`, error.issues, { cause: error })
    throw error
  }
}

function readFormat(value: string | undefined): Format {
  if (value === undefined || value === 'text' || value === 'json') return value ?? 'text'
  throw new UsageError(`--format must be text or json, got ${value}`)
}

function readFailOn(value: string | undefined): Severity {
  if (value === undefined) return DEFAULT_FAIL_ON
  if (isSeverity(value)) return value
  throw new UsageError(`--fail-on must be one of critical, high, medium, low, info; got ${value}`)
}

/** who-can and replay read one export. */
function oneSnapshot(values: readonly string[] | undefined, command: string): string {
  const [only, ...more] = values ?? []
  if (only === undefined) throw new UsageError(`${command} needs --snapshot`)
  if (more.length > 0) throw new UsageError(`${command} takes one --snapshot FILE`)
  return only
}

interface AuditOutput {
  readonly config: GuardConfig
  readonly format: Format
  readonly io: CliIo
  readonly layout: (accountId: string) => TextLayout
}

/** The severities of an audit's findings, for the exit code. */
type Severities = readonly Severity[]

function exitCodeFor(severities: Severities, failOn: Severity): number {
  return severities.some((severity) => isSeverityAtLeast(severity, failOn))
    ? EXIT_CODES.findings
    : EXIT_CODES.clean
}

/** Writes text as pieces, waiting whenever stdout asks to (a pipe read slower than the CLI writes). */
async function writePieces(io: CliIo, pieces: Iterable<string>): Promise<void> {
  for (const piece of pieces) {
    if (io.closed?.()) return
    if (io.stdout(piece) === false) await io.drained?.()
  }
}

/** Audits one account and writes its report (docs/contracts.md#audit-json, or text). */
async function writeAccountAudit(
  snapshot: AccountSnapshot,
  output: AuditOutput,
  externalSupportRoles: readonly ExternalRole[] = [],
): Promise<Severities> {
  const { report, issues } = auditAccount(snapshot, output.config, { externalSupportRoles })
  if (output.format === 'json') {
    // A pipe takes the report as fast as its reader reads: wait rather than buffer 40 MB.
    await writePieces(output.io, auditJsonChunks(report))
    // The JSON report keeps its contract's exact keys (docs/contracts.md#audit-json);
    // unreadable policies are said on stderr.
    for (const issue of issues) output.io.stderr(`support-guard: warning: ${describeIssue(issue)}\n`)
  } else {
    const answers = whoCanEach(snapshot, AUDIT_WHO_CAN_ACTIONS)
    output.io.stdout(
      formatAuditText(report, issues, { layout: output.layout(snapshot.accountId), whoCan: answers }),
    )
  }
  return report.findings.map((finding) => finding.severity)
}

/**
 * Audits each account of several exports in turn, one in memory at a time, with the
 * organisation's SCPs when an organisation file goes with them, and writes one report: in JSON
 * an object whose `accounts` are the accounts' reports (docs/contracts.md#organization-audit-json),
 * in text the accounts' reports one after another.
 */
async function writeOrganizationAudit(sources: SnapshotSources, output: AuditOutput): Promise<Severities> {
  const organization =
    sources.organizationFile === undefined
      ? undefined
      : parseOrganization(
          await readJsonFile(sources.organizationFile, 'organization'),
          sources.organizationFile,
        )
  const names = new Map(organization?.Accounts.map((account) => [account.Id, account.Name]) ?? [])
  const withOrg = (snapshot: AccountSnapshot) =>
    organization ? withOrganizationData(snapshot, organization, sources.organizationFile ?? '') : snapshot
  // A first pass finds the support roles that let other accounts in: each account is then
  // audited with the roles of the others it can reach.
  // Two exports of one account are refused here, before anything is written.
  const crossAccount = new Map<string, ExternalRole[]>()
  const seen = new Map<string, string>()
  for (const file of sources.exports) {
    const snapshot = withOrg(await loadSnapshot(file, output.io, false))
    const earlier = seen.get(snapshot.accountId)
    if (earlier !== undefined)
      throw new UsageError(`${file} and ${earlier} are both exports of account ${snapshot.accountId}`)
    seen.set(snapshot.accountId, file)
    for (const [account, roles] of findCrossAccountSupportRoles(evaluateAccount(snapshot), output.config))
      crossAccount.set(account, [...(crossAccount.get(account) ?? []), ...roles])
  }
  const json = output.format === 'json'
  const severities: Severity[] = []
  const audited = new Map<string, string>()
  if (json) {
    const id = organization ? `  "organizationId": ${JSON.stringify(organization.Organization.Id)},\n` : ''
    await writePieces(output.io, [`{\n  "schemaVersion": 1,\n${id}  "accounts": [`])
  }
  for (const file of sources.exports) {
    const snapshot = withOrg(await loadSnapshot(file, output.io, false))
    const externalSupportRoles = externalRolesFor(crossAccount, snapshot.accountId)
    if (json) {
      await writePieces(output.io, [audited.size === 0 ? '\n    ' : ',\n    '])
      const { report, issues } = auditAccount(snapshot, output.config, { externalSupportRoles })
      // Each account's report, nested one level down: every line moves four spaces in.
      await writePieces(output.io, nested(auditJsonChunks(report)))
      for (const issue of issues)
        output.io.stderr(`support-guard: warning: account ${snapshot.accountId}: ${describeIssue(issue)}\n`)
      severities.push(...report.findings.map((finding) => finding.severity))
    } else {
      const name = names.get(snapshot.accountId)
      if (audited.size > 0) output.io.stdout('\n')
      if (name) output.io.stdout(`Account ${name} (${snapshot.accountId})\n`)
      severities.push(...(await writeAccountAudit(snapshot, output, externalSupportRoles)))
    }
    audited.set(snapshot.accountId, file)
  }
  if (json) await writePieces(output.io, ['\n  ]\n}\n'])
  for (const account of organization?.Accounts ?? []) {
    if (!audited.has(account.Id))
      output.io.stderr(
        `support-guard: warning: account ${account.Id}${account.Name ? ` (${account.Name})` : ''} of the organisation has no export: not audited\n`,
      )
  }
  return severities
}

/** Report text moved one level in (JSON strings hold no raw line break), its final newline dropped. */
function* nested(pieces: Iterable<string>): Generator<string> {
  let held: string | undefined
  for (const piece of pieces) {
    if (held !== undefined) yield held.replaceAll('\n', '\n    ')
    held = piece
  }
  if (held !== undefined) yield held.replace(/\n$/, '').replaceAll('\n', '\n    ')
}

function requireOption(value: string | undefined, name: string, command: string): string {
  if (!value) throw new UsageError(`${command} needs ${name}`)
  return value
}

function expectPositionals(rest: readonly string[], count: number, form: string): void {
  if (rest.length !== count) throw new UsageError(`expected: support-guard ${form}`)
}

function describeIssue(issue: PolicyIssue): string {
  const where = `${issue.policy}${issue.path ? ` at ${issue.path}` : ''}: ${issue.message}`
  // A skipped entry's message already says it was left out; a policy is read as granting nothing.
  return isSkippedEntry(issue) ? where : `${where} (evaluated as granting nothing)`
}
