/**
 * Performance benchmark on synthetic accounts: full audit time and peak memory per size (each
 * run in a child process), and a per-question comparison with @cloud-copilot/iam-simulate;
 * then the pipeline: the detect path per sample event (needs moto_server) and the Lambda
 * bundles' size and init time; then a burst of IAM changes with and without detect's reserved
 * concurrency (needs moto_server).
 * Usage: `npm run bench -- [--sizes 1000,5000,12000] [--peer-sample 200] [--runs 3] [--seed N] [--no-burst]`.
 * Prints a markdown report and writes dist/bench.json and dist/bench-detect.json.
 */
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import { SUPPORT_ACTIONS } from '#shared/catalog/support-actions.ts'
import { DEFAULT_SEED, generateAccount } from '#test-support/synthetic/synthetic-account.ts'
import { nodeScriptOptions } from '../scripts/build.ts'
import type { AuditChildResult } from './audit-child.ts'
import { type BurstComparison, measureBurst, renderBurst } from './lib/burst.ts'
import { comparePeer, median, type PeerComparison } from './lib/peer-compare.ts'
import {
  checkPipelineTargets,
  measurePipelineSections,
  renderPipelineSections,
} from './lib/pipeline-sections.ts'
import { formatMs, renderTable } from './lib/table.ts'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const CHILD = join(ROOT, 'bench', 'audit-child.ts')
const CHILD_TIMEOUT_MS = 120_000
const PEER_ACCOUNT_SIZE = 1000
const TARGETS = { auditMs: 1000, auditSize: 12_000, rssMb: 200, speedup: 100 }

interface BenchOptions {
  readonly sizes: readonly number[]
  readonly peerSample: number
  readonly runs: number
  readonly seed: number
  /** Run the burst section (two runs of about 80 s each on the emulator). */
  readonly burst: boolean
}

interface AuditMeasurement {
  readonly size: number
  readonly generateMs: number
  readonly exportMb: number
  readonly runs: readonly AuditChildResult[]
  readonly bestMs: number
  readonly medianMs: number
  readonly peakRssMb: number
  /** Peak RSS of the child before it read the export (Node, tsx and the modules). */
  readonly baselineRssMb: number
  /** Best time / (principals × support actions). */
  readonly perQuestionUs: number
}

class UsageError extends Error {
  override readonly name = 'UsageError'
}

function readOptions(args: readonly string[]): BenchOptions {
  const value = (name: string) => {
    const index = args.indexOf(name)
    return index >= 0 ? args[index + 1] : undefined
  }
  const positive = (name: string, text: string | undefined, fallback: number) => {
    const number = text === undefined ? fallback : Number(text)
    if (!Number.isInteger(number) || number <= 0) throw new UsageError(`${name} must be a positive integer`)
    return number
  }
  const sizes = (value('--sizes') ?? '1000,5000,12000').split(',').map((text) => positive('--sizes', text, 0))
  return {
    sizes,
    peerSample: positive('--peer-sample', value('--peer-sample'), 200),
    runs: positive('--runs', value('--runs'), 3),
    seed: positive('--seed', value('--seed'), DEFAULT_SEED),
    burst: !args.includes('--no-burst'),
  }
}

/**
 * The audit child runs as a minified bundle, like the Lambda functions, so its peak RSS is
 * the engine's and not the TypeScript loader's.
 */
async function bundleChild(dir: string): Promise<string> {
  const outfile = join(dir, 'audit-child.mjs')
  await build(nodeScriptOptions(CHILD, outfile, { minify: true }))
  return outfile
}

function runChild(child: string, size: number, file: string): AuditChildResult {
  const result = spawnSync(process.execPath, [child, String(size), '--snapshot', file], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: CHILD_TIMEOUT_MS,
  })
  if (result.status !== 0) {
    throw new Error(
      `audit child for ${size} failed (${result.status ?? result.signal}): ${result.stderr.trim()}`,
    )
  }
  return JSON.parse(result.stdout) as AuditChildResult
}

function measureAudit(child: string, size: number, options: BenchOptions, dir: string): AuditMeasurement {
  const start = performance.now()
  const raw = generateAccount({ seed: options.seed, principals: size })
  const generateMs = performance.now() - start
  const text = JSON.stringify(raw)
  const file = join(dir, `account-${size}.json`)
  writeFileSync(file, text)
  const runs: AuditChildResult[] = []
  for (let run = 0; run < options.runs; run++) runs.push(runChild(child, size, file))
  const times = runs.map((run) => run.totalMs)
  const bestMs = Math.min(...times)
  return {
    size,
    generateMs,
    exportMb: Buffer.byteLength(text) / 1_048_576,
    runs,
    bestMs,
    medianMs: median(times),
    peakRssMb: Math.max(...runs.map((run) => run.maxRssKb)) / 1024,
    baselineRssMb: Math.min(...runs.map((run) => run.baselineRssKb)) / 1024,
    perQuestionUs: (bestMs * 1000) / (size * SUPPORT_ACTIONS.length),
  }
}

function describeMachine() {
  const list = cpus()
  return {
    cpu: list[0]?.model ?? 'unknown',
    cores: list.length,
    node: process.version,
    platform: `${process.platform}/${process.arch}`,
  }
}

function renderAudit(measurements: readonly AuditMeasurement[]): string[] {
  return renderTable(
    [
      'principals',
      'generate ms',
      'export MB',
      'audit best ms',
      'audit median ms',
      'of which parse ms (best run)',
      'peak RSS MB',
      'RSS before reading MB',
      'µs / question',
      'findings',
    ],
    measurements.map((entry) => {
      const best = entry.runs.find((run) => run.totalMs === entry.bestMs)
      return [
        String(entry.size),
        formatMs(entry.generateMs),
        entry.exportMb.toFixed(1),
        formatMs(entry.bestMs),
        formatMs(entry.medianMs),
        best ? formatMs(best.parseMs) : '',
        entry.peakRssMb.toFixed(0),
        entry.baselineRssMb.toFixed(0),
        entry.perQuestionUs.toFixed(2),
        String(best?.findings ?? ''),
      ]
    }),
  )
}

function renderPeer(peer: PeerComparison, sampleOf: number): string[] {
  const lines = renderTable(
    [
      'sampled principals',
      'questions',
      'agree',
      'ours conditional (peer allowed / denied)',
      'peer errors',
      'disagreements',
      'ours µs / question (best)',
      'peer µs / question',
      'ours faster by',
    ],
    [
      [
        `${peer.principals} of ${sampleOf}`,
        String(peer.questions),
        String(peer.agreements),
        `${peer.conditional.total} (${peer.conditional.peerAllowed} / ${peer.conditional.peerDenied})`,
        String(peer.peerErrors),
        String(peer.disagreements.length),
        peer.oursPerQuestionUs.toFixed(2),
        peer.peerPerQuestionUs.toFixed(1),
        `${peer.speedup.toFixed(0)}×`,
      ],
    ],
  )
  lines.push(
    '',
    `Ours: evaluateAccount over the sampled principals for all ${peer.actions} support actions: best ${formatMs(peer.oursBestMs)} ms, median ${formatMs(peer.oursMedianMs)} ms over ${peer.oursRunsMs.length} warm runs. Peer: one runSimulation per question, Strict mode, resource \`*\`, no request context, ${formatMs(peer.peerTotalMs)} ms in total.`,
  )
  if (peer.peerErrorExamples.length > 0) lines.push('', `Peer errors: ${peer.peerErrorExamples.join('; ')}`)
  lines.push('', `### Disagreements (${peer.disagreements.length}, at most 20 shown)`, '')
  if (peer.disagreements.length === 0) lines.push('none')
  else {
    lines.push(
      ...renderTable(
        ['principal', 'action', 'ours', 'peer', 'policies'],
        peer.disagreements
          .slice(0, 20)
          .map((entry) => [entry.principalArn, entry.action, entry.ours, entry.peer, entry.policies]),
      ),
    )
  }
  return lines
}

function checkTargets(measurements: readonly AuditMeasurement[], peer: PeerComparison) {
  const largest = measurements.find((entry) => entry.size === TARGETS.auditSize)
  const peakRss = Math.max(...measurements.map((entry) => entry.peakRssMb))
  return [
    {
      target: `${TARGETS.auditSize} principals audited in ≤ ${TARGETS.auditMs} ms`,
      actual: largest ? `${formatMs(largest.bestMs)} ms` : 'size not run',
      met: largest ? largest.bestMs <= TARGETS.auditMs : null,
    },
    {
      target: `peak RSS ≤ ${TARGETS.rssMb} MB`,
      actual: `${peakRss.toFixed(0)} MB`,
      met: peakRss <= TARGETS.rssMb,
    },
    {
      target: `≥ ${TARGETS.speedup}× faster per question than the peer`,
      actual: `${peer.speedup.toFixed(0)}×`,
      met: peer.speedup >= TARGETS.speedup,
    },
    {
      target: '0 disagreements with the peer',
      actual: String(peer.disagreements.length + peer.peerErrors),
      met: peer.disagreements.length === 0 && peer.peerErrors === 0,
    },
  ]
}

async function main(): Promise<void> {
  const options = readOptions(process.argv.slice(2))
  const machine = describeMachine()
  const dir = mkdtempSync(join(tmpdir(), 'support-guard-bench-'))
  try {
    const child = await bundleChild(dir)
    const measurements = options.sizes.map((size) => measureAudit(child, size, options, dir))
    const peerRaw = generateAccount({ seed: options.seed, principals: PEER_ACCOUNT_SIZE })
    const peer = await comparePeer({ raw: peerRaw, sample: options.peerSample, seed: options.seed })
    const pipeline = await measurePipelineSections(ROOT)
    const burst: BurstComparison | undefined = options.burst ? await measureBurst(options.seed) : undefined
    const targets = [...checkTargets(measurements, peer), ...checkPipelineTargets(pipeline)]
    const lines = [
      '# Support Access Guard benchmark',
      '',
      `Machine: ${machine.cpu}, ${machine.cores} cores, Node ${machine.node}, ${machine.platform}. Seed ${options.seed}.`,
      '',
      `## Full audit (parseAccountSnapshot + auditAccount; ${options.runs} child processes per size)`,
      '',
      ...renderAudit(measurements),
      '',
      `µs / question = best time / (principals × ${SUPPORT_ACTIONS.length} support actions). Peak RSS is the child's maxRSS (reading and JSON-parsing the export included).`,
      '',
      `## Peer comparison (@cloud-copilot/iam-simulate, ${PEER_ACCOUNT_SIZE}-principal account)`,
      '',
      ...renderPeer(peer, PEER_ACCOUNT_SIZE),
      '',
      ...renderPipelineSections(pipeline),
      '',
      ...(burst ? [...renderBurst(burst), ''] : []),
      '## Targets',
      '',
      ...renderTable(
        ['target', 'actual', 'met'],
        targets.map((entry) => [
          entry.target,
          entry.actual,
          entry.met === null ? 'n/a' : entry.met ? 'yes' : 'NO',
        ]),
      ),
    ]
    console.log(lines.join('\n'))
    if (pipeline.detect.status === 'not-measured') process.exitCode = 1
    mkdirSync(join(ROOT, 'dist'), { recursive: true })
    writeFileSync(
      join(ROOT, 'dist', 'bench.json'),
      `${JSON.stringify({ schemaVersion: 1, generatedAt: new Date().toISOString(), machine, options, audit: measurements, peer, targets, pipeline, burst }, null, 2)}\n`,
    )
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

main().catch((error: unknown) => {
  console.error(`bench: ${error instanceof Error ? error.message : String(error)}`)
  process.exitCode = error instanceof UsageError ? 2 : 1
})
