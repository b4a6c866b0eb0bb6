/**
 * The shape matrix: for each account shape, the CLI as a whole process, the in-process audit
 * (bench/audit-child.ts), the peer on a sample of the same shape, and the CLI across sizes.
 */
import { spawnSync } from 'node:child_process'
import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { build } from 'esbuild'
import { REPORT_ACTIONS } from '#shared/report/audit-report.ts'
import {
  generateAccount,
  type NamedShape,
  type RawAuthorizationDetails,
} from '#test-support/synthetic/synthetic-account.ts'
import { nodeScriptOptions } from '../../scripts/build.ts'
import type { AuditChildResult } from '../audit-child.ts'
import type { FloorChildResult } from '../floor-child.ts'
import type { DocumentsChildResult, PhasesChildResult } from '../phases-child.ts'
import { type CliRun, runCliAudit } from './cli-run.ts'
import { type BenchOptions, runsAt } from './options.ts'
import { comparePeer } from './peer-compare.ts'
import {
  type AccountCounts,
  type CliMeasurement,
  endToEndRatio,
  type FloorMeasurement,
  type InProcessMeasurement,
  type PhasesMeasurement,
  perPrincipalGrowth,
  type ShapeResult,
  summarizeCliRuns,
  summarizeFloor,
  summarizeInProcess,
  summarizePhases,
} from './shape-report.ts'

const CHILD_TIMEOUT_MS = 300_000
/** The peer is asked about a sample of an account of this size, of the same shape. */
export const PEER_ACCOUNT_SIZE = 1000

export interface ShapeBenchContext {
  readonly root: string
  /** Scratch directory for exports and reports. */
  readonly dir: string
  /** The bundled CLI, audit child, floor child and phases child. */
  readonly cli: string
  readonly child: string
  readonly floorChild: string
  readonly phasesChild: string
  readonly options: BenchOptions
  /** Progress lines (stderr), so a long run shows where it is. */
  readonly log: (line: string) => void
}

/**
 * Bundles the bench's child script bench/NAME.ts into `dir`/NAME.mjs, minified, like the Lambda
 * functions: a child's peak RSS is then the engine's and not the TypeScript loader's.
 */
export async function bundleChildScript(
  root: string,
  dir: string,
  name: 'audit-child' | 'floor-child' | 'phases-child',
): Promise<string> {
  const outfile = join(dir, `${name}.mjs`)
  await build(nodeScriptOptions(join(root, 'bench', `${name}.ts`), outfile, { minify: true }))
  return outfile
}

/** Runs a bundled child script with `args` and reads the one JSON line it prints. */
function runChildScript<T>(
  context: ShapeBenchContext,
  script: string,
  args: readonly string[],
  what: string,
): T {
  const result = spawnSync(process.execPath, [script, ...args], {
    cwd: context.root,
    encoding: 'utf8',
    timeout: CHILD_TIMEOUT_MS,
  })
  if (result.status !== 0)
    throw new Error(`${what} failed (${result.status ?? result.signal}): ${result.stderr.trim()}`)
  return JSON.parse(result.stdout) as T
}

/**
 * The floor of the export `file` and the report the CLI wrote for it, `runs` times. The floor
 * serialises that report as the contract says the CLI writes it: a text that differs from the
 * CLI's stops the run.
 */
function measureFloor(context: ShapeBenchContext, file: string): FloorMeasurement {
  const args = [file, join(context.dir, 'report.json'), join(context.dir, 'floor-report.json')]
  const runs: FloorChildResult[] = []
  for (let run = 0; run < context.options.runs; run++) {
    const floor = runChildScript<FloorChildResult>(context, context.floorChild, args, 'floor child')
    if (!floor.matchesReport)
      throw new Error(`the CLI's report for ${file} is not JSON.stringify(report, null, 2) of itself`)
    runs.push(floor)
  }
  return summarizeFloor(runs)
}

/**
 * The CLI's audit of `file` part by part, `runs` times, and its documents parsed alone as many
 * times. The phases child writes the report as the CLI does: a text other than the CLI's report
 * (written by its last run on `file`) would time other work, and stops the run.
 */
function measurePhases(context: ShapeBenchContext, file: string): PhasesMeasurement {
  const cliReport = readFileSync(join(context.dir, 'report.json'))
  const report = join(context.dir, 'phases-report.json')
  const runs: PhasesChildResult[] = []
  const documentRuns: DocumentsChildResult[] = []
  for (let run = 0; run < context.options.runs; run++) {
    runs.push(runChildScript(context, context.phasesChild, [file, report], 'phases child'))
    if (!readFileSync(report).equals(cliReport))
      throw new Error(`the phases child's report for ${file} is not the CLI's`)
    documentRuns.push(runChildScript(context, context.phasesChild, [file, '--documents'], 'documents child'))
  }
  rmSync(report)
  return summarizePhases(runs, documentRuns)
}

function runChild(context: ShapeBenchContext, size: number, file: string): AuditChildResult {
  return runChildScript(context, context.child, [String(size), '--snapshot', file], `audit child for ${size}`)
}

export function countAccount(raw: RawAuthorizationDetails): AccountCounts {
  const principals = raw.UserDetailList.length + raw.RoleDetailList.length
  const per = (total: number) => (principals === 0 ? 0 : total / principals)
  const sum = (values: readonly number[]) => values.reduce((total, value) => total + value, 0)
  const holders = [...raw.UserDetailList, ...raw.RoleDetailList]
  return {
    roles: raw.RoleDetailList.length,
    users: raw.UserDetailList.length,
    customerPolicies: raw.Policies.filter(
      (policy) => !policy.Arn.startsWith('arn:aws:iam::aws:') && policy.Path !== '/boundaries/',
    ).length,
    groups: raw.GroupDetailList.length,
    inlinePerPrincipal: per(
      sum(raw.UserDetailList.map((user) => user.UserPolicyList.length)) +
        sum(raw.RoleDetailList.map((role) => role.RolePolicyList.length)),
    ),
    managedPerPrincipal: per(sum(holders.map((holder) => holder.AttachedManagedPolicies.length))),
    groupsPerUser:
      raw.UserDetailList.length === 0
        ? 0
        : sum(raw.UserDetailList.map((user) => user.GroupList.length)) / raw.UserDetailList.length,
    boundedShare: per(holders.filter((holder) => holder.PermissionsBoundary).length),
  }
}

interface WrittenExport {
  readonly file: string
  readonly bytes: number
  readonly generateMs: number
  readonly counts: AccountCounts
  /** The same export indented as the AWS CLI writes it, when asked for. */
  readonly indented?: { readonly file: string; readonly bytes: number }
}

/** What `aws iam get-account-authorization-details` writes: JSON indented by 4 spaces. */
export const AWS_CLI_INDENT = 4

/**
 * Generates the shape's export at `size` and writes it as one compact JSON text; with
 * `indented`, also as the AWS CLI writes it.
 */
function writeExport(
  context: ShapeBenchContext,
  entry: NamedShape,
  size: number,
  indented = false,
): WrittenExport {
  const started = performance.now()
  const raw = generateAccount({ seed: context.options.seed, principals: size, shape: entry.shape })
  const generateMs = performance.now() - started
  const write = (name: string, text: string) => {
    const file = join(context.dir, name)
    writeFileSync(file, text)
    return { file, bytes: Buffer.byteLength(text) }
  }
  const compact = write(`${entry.name}-${size}.json`, JSON.stringify(raw))
  return {
    ...compact,
    generateMs,
    counts: countAccount(raw),
    ...(indented
      ? { indented: write(`${entry.name}-${size}-indented.json`, JSON.stringify(raw, null, AWS_CLI_INDENT)) }
      : {}),
  }
}

function measureCli(
  context: ShapeBenchContext,
  written: { readonly file: string; readonly bytes: number; readonly generateMs: number },
  size: number,
  runs: number,
) {
  const list: CliRun[] = []
  for (let run = 0; run < runs; run++) {
    list.push(
      runCliAudit(context.cli, written.file, {
        cwd: context.root,
        scratchDir: context.dir,
        timeoutMs: CHILD_TIMEOUT_MS,
      }),
    )
  }
  return summarizeCliRuns(size, written.bytes, written.generateMs, list)
}

export async function measureShape(context: ShapeBenchContext, entry: NamedShape): Promise<ShapeResult> {
  const { options } = context
  context.log(`${entry.name}: ${options.size} principals`)
  const matrixExport = writeExport(context, entry, options.size, true)
  const cli = measureCli(context, matrixExport, options.size, options.runs)
  // Before the indented export's runs: the report the floor serialises, and the phases child
  // must match, is the compact export's.
  const floor = measureFloor(context, matrixExport.file)
  const phases = measurePhases(context, matrixExport.file)
  const indentedExport = matrixExport.indented
  const indented =
    indentedExport && measureCli(context, { ...indentedExport, generateMs: 0 }, options.size, options.runs)
  if (indentedExport) rmSync(indentedExport.file)
  const childRuns: AuditChildResult[] = []
  for (let run = 0; run < options.runs; run++)
    childRuns.push(runChild(context, options.size, matrixExport.file))
  const inProcess: InProcessMeasurement = summarizeInProcess(childRuns)
  rmSync(matrixExport.file)

  context.log(`${entry.name}: peer on ${options.peerSample} of ${PEER_ACCOUNT_SIZE} principals`)
  const peer = await comparePeer({
    raw: generateAccount({ seed: options.seed, principals: PEER_ACCOUNT_SIZE, shape: entry.shape }),
    sample: options.peerSample,
    seed: options.seed,
    actions: REPORT_ACTIONS,
  })

  const scaling: CliMeasurement[] = []
  if (options.scaling) {
    for (const size of options.sizes) {
      if (size === options.size) {
        scaling.push(cli)
        continue
      }
      context.log(`${entry.name}: scaling at ${size}`)
      const written = writeExport(context, entry, size)
      scaling.push(measureCli(context, written, size, runsAt(size, options)))
      rmSync(written.file)
    }
  }
  return {
    name: entry.name,
    summary: entry.summary,
    shape: entry.shape,
    counts: matrixExport.counts,
    cli,
    ...(indented ? { indented } : {}),
    floor,
    phases,
    inProcess,
    peer,
    peerAccountSize: PEER_ACCOUNT_SIZE,
    ratios: {
      inProcess: peer.speedup,
      endToEnd: endToEndRatio(peer.peerPerQuestionUs, options.size, REPORT_ACTIONS.length, cli.bestWallMs),
    },
    scaling,
    growth: perPrincipalGrowth(scaling, options.size),
  }
}
