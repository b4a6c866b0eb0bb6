/**
 * Performance benchmark on synthetic accounts of several shapes (SHAPE_MATRIX): for each, the
 * CLI as a whole process (`audit --snapshot FILE --format json > report.json`: wall, CPU, peak
 * RSS; on the compact export, and on the same export indented as the AWS CLI writes it), the
 * in-process parse+audit, the peer (@cloud-copilot/iam-simulate) per question on a
 * sample of the same shape, and the CLI across sizes; then the pipeline: the detect path per
 * sample event (needs moto_server) and the Lambda bundles' size and init time; then a burst of
 * IAM changes with and without detect's reserved concurrency (needs moto_server).
 * Usage: `npm run bench -- [--size 12000] [--sizes 1000,5000,12000,50000] [--shapes a,b]
 * [--peer-sample 200] [--runs 3] [--seed N] [--no-scaling] [--no-burst] [--org-accounts 50]
 * [--org-principals 2000] [--no-org] [--fanout-members 5] [--fanout-principals 500] [--no-fanout]`. The organisation section audits a directory of that many
 * synthetic accounts with an organisation file (SCPs by level) through the CLI.
 * Runs: `--runs` at the matrix size and smaller scaling sizes, two above it. With the defaults,
 * `--no-burst` takes about 3 minutes on a 2-core machine, most of it the shapes'
 * 50,000-principal runs.
 * Prints a markdown report and writes dist/bench.json and dist/bench-detect.json.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { REPORT_ACTIONS } from '#shared/report/audit-report.ts'
import { findShape } from '#test-support/synthetic/synthetic-account.ts'
import { type BurstComparison, measureBurst, renderBurst } from './lib/burst.ts'
import { bundleCli } from './lib/cli-run.ts'
import { readOptions, runsAt, UsageError } from './lib/options.ts'
import { measureOrganization, renderOrganization } from './lib/organization.ts'
import { measureFanout, renderFanout } from './lib/organization-fanout.ts'
import {
  checkPipelineTargets,
  measurePipelineSections,
  renderPipelineSections,
} from './lib/pipeline-sections.ts'
import { AWS_CLI_INDENT, bundleChildScript, measureShape, PEER_ACCOUNT_SIZE } from './lib/shape-matrix.ts'
import {
  checkShapeTargets,
  metCell,
  renderFloor,
  renderIndented,
  renderPhases,
  renderScaling,
  renderShapeMatrix,
  renderShapePeers,
  renderShapeTargets,
  type ShapeResult,
} from './lib/shape-report.ts'
import { renderTable } from './lib/table.ts'

const ROOT = fileURLToPath(new URL('..', import.meta.url))

function describeMachine() {
  const list = cpus()
  return {
    cpu: list[0]?.model ?? 'unknown',
    cores: list.length,
    node: process.version,
    platform: `${process.platform}/${process.arch}`,
  }
}

function describeShapes(results: readonly ShapeResult[]): string[] {
  return results.map((result) => `- ${result.name}: ${result.summary}.`)
}

async function main(): Promise<void> {
  // The SDK prints a multi-line notice on stderr when it runs on Node < 22; Lambda runs nodejs22.x.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true'
  const options = readOptions(process.argv.slice(2))
  const machine = describeMachine()
  const dir = mkdtempSync(join(tmpdir(), 'support-guard-bench-'))
  const log = (line: string) => process.stderr.write(`bench: ${line}\n`)
  try {
    const cli = await bundleCli(ROOT, join(dir, 'cli'))
    const child = await bundleChildScript(ROOT, dir, 'audit-child')
    const floorChild = await bundleChildScript(ROOT, dir, 'floor-child')
    const phasesChild = await bundleChildScript(ROOT, dir, 'phases-child')
    const context = { root: ROOT, dir, cli, child, floorChild, phasesChild, options, log }
    const shapes: ShapeResult[] = []
    for (const name of options.shapes) {
      const entry = findShape(name)
      if (entry) shapes.push(await measureShape(context, entry))
    }
    const shapeTargets = shapes.map(checkShapeTargets)
    // The shape sections print before the pipeline's run, so a failure there keeps them.
    console.log(
      [
        '# Support Access Guard benchmark',
        '',
        `Machine: ${machine.cpu}, ${machine.cores} cores, Node ${machine.node}, ${machine.platform}. Seed ${options.seed}.`,
        '',
        `## Shape matrix (${options.size} principals)`,
        '',
        ...describeShapes(shapes),
        '',
        ...renderShapeMatrix(shapes),
        '',
        `CLI: the bundle \`npm run build\` makes, \`node support-guard.js audit --snapshot FILE --format json > report.json\`, ${options.runs} run(s); wall measured by the parent (process start to exit), CPU (user + system) and peak RSS reported by the child on exit. In-process: bench/audit-child.ts, parseAccountSnapshot + auditAccount of the same file (JSON.parse not included), best of ${options.runs}. Peer and ours µs / q: ${options.peerSample} principals of a ${PEER_ACCOUNT_SIZE}-principal account of the same shape, every one of the ${REPORT_ACTIONS.length} actions the report holds (\`support:\` and \`support-console:\`). In-process × = peer µs / q ÷ ours µs / q; end-to-end × = peer µs / q × principals × ${REPORT_ACTIONS.length} ÷ CLI best wall.`,
        '',
        `### Exports as the AWS CLI writes them (indented by ${AWS_CLI_INDENT})`,
        '',
        ...renderIndented(shapes),
        '',
        '### The floor: the same files, and nothing between reading and writing them',
        '',
        ...renderFloor(shapes),
        '',
        `Floor: bench/floor-child.ts in a process of its own, best of ${options.runs}: Node's start (to the script's first line), \`readFileSync\` and \`JSON.parse\` of the export, then \`JSON.stringify(report, null, 2)\` of the report the CLI wrote for it (checked to be that text, byte for byte) and \`writeFileSync\` to a file. It evaluates nothing: CLI ÷ floor is what the audit costs over plain input and output. It is not a hard lower bound: the CLI writes its report for less (it serialises the parts many principals share once), though it reads for more (it checks every entry and makes its records).`,
        '',
        "### Where the CLI's time goes",
        '',
        ...renderPhases(shapes),
        '',
        `bench/phases-child.ts: the CLI's own code for \`audit --snapshot FILE --format json\`, with its V8 flags, timed part by part in a process of its own; its report is checked to be the CLI's, byte for byte. Median of ${options.runs} runs per part. Start: Node's start and loading the code, to the first line of the audit. Read: the export entry by entry into records. Compile: every distinct document parsed and every principal's policies gathered; "documents alone" is the parsing of the distinct documents (their number in brackets) timed in runs of their own. Write: the report's text written to a file. The CLI's wall time also holds its exit.`,
        '',
        '### Peer per shape',
        '',
        ...renderShapePeers(shapes),
        '',
        ...(options.scaling
          ? [
              `## Scaling (CLI wall and peak RSS by size; ${options.runs} run(s) up to ${options.size}, ${runsAt(options.size + 1, options)} above)`,
              '',
              ...renderScaling(shapes, options.size),
              '',
            ]
          : []),
        '## Targets per shape',
        '',
        ...renderShapeTargets(shapeTargets),
        '',
      ].join('\n'),
    )
    const organization = options.orgAccounts > 0 ? measureOrganization(context, options) : undefined
    if (organization)
      console.log(
        [
          `## Organisation audit (${organization.accounts} accounts × ${organization.principalsPerAccount} principals, SCPs by level)`,
          '',
          ...renderOrganization(organization),
          '',
        ].join('\n'),
      )
    const fanout =
      options.fanoutMembers > 0
        ? await measureFanout(options.fanoutMembers, options.fanoutPrincipals, options.seed)
        : undefined
    if (fanout)
      console.log(
        [
          `## Organisation audit fan-out on the emulator (${fanout.members} members × ${fanout.principalsPerMember} principals)`,
          '',
          ...renderFanout(fanout),
          '',
        ].join('\n'),
      )
    log('pipeline sections')
    const pipeline = await measurePipelineSections(ROOT)
    const burst: BurstComparison | undefined = options.burst ? await measureBurst(options.seed) : undefined
    const pipelineTargets = checkPipelineTargets(pipeline)
    const lines = [
      ...renderPipelineSections(pipeline),
      '',
      ...(burst ? [...renderBurst(burst), ''] : []),
      '## Pipeline targets',
      '',
      ...renderTable(
        ['target', 'actual', 'met'],
        pipelineTargets.map((entry) => [entry.target, entry.actual, metCell(entry.met)]),
      ),
    ]
    console.log(lines.join('\n'))
    if (pipeline.detect.status === 'not-measured') process.exitCode = 1
    mkdirSync(join(ROOT, 'dist'), { recursive: true })
    writeFileSync(
      join(ROOT, 'dist', 'bench.json'),
      `${JSON.stringify(
        {
          schemaVersion: 2,
          generatedAt: new Date().toISOString(),
          machine,
          options,
          reportActions: REPORT_ACTIONS.length,
          shapes,
          organization,
          fanout,
          targets: { shapes: shapeTargets, pipeline: pipelineTargets },
          pipeline,
          burst,
        },
        null,
        2,
      )}\n`,
    )
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

main().catch((error: unknown) => {
  console.error(`bench: ${error instanceof Error ? error.message : String(error)}`)
  process.exitCode = error instanceof UsageError ? 2 : 1
})
