/**
 * CPU hotspots of one full audit, by source file and line. tsx strips line breaks, so the code
 * is bundled with esbuild and a source map instead, profiled with `--cpu-prof`, and each sampled
 * frame is mapped back. Two modes:
 * - `npx tsx bench/profile.ts [--shape NAME] [SIZE] [TOP]`: the in-process audit (audit-child.ts);
 * - `npx tsx bench/profile.ts --cli [--shape NAME] [SIZE] [TOP]`: the CLI process itself,
 *   `audit --snapshot FILE --format json` on the shape's export, stdout to /dev/null.
 * NAME is a SHAPE_MATRIX shape (default baseline), SIZE principals (default 12000). With
 * `--no-inlining`, V8 inlines no function into another (`--no-turbo-inlining`): slower, but each
 * function's own time is its own instead of its caller's.
 */
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { SourceMap } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { build } from 'esbuild'
import { DEFAULT_SEED, findShape, generateAccount } from '#test-support/synthetic/synthetic-account.ts'
import { bundleCli, runCliAudit } from './lib/cli-run.ts'

const ROOT = fileURLToPath(new URL('..', import.meta.url))

interface CallFrame {
  functionName: string
  url: string
  lineNumber: number
  columnNumber: number
}
interface ProfileNode {
  id: number
  callFrame: CallFrame
  children?: number[]
}
interface CpuProfile {
  nodes: ProfileNode[]
  samples: number[]
  timeDeltas: number[]
}

/** A profile and what reads it: the source map of `bundle`. */
interface Profiled {
  readonly profile: CpuProfile
  readonly map: SourceMap
  readonly bundle: string
}

function readProfile(profileDir: string, bundle: string): Profiled {
  const file = readdirSync(profileDir).find((name) => name.endsWith('.cpuprofile'))
  if (!file) throw new Error('node wrote no CPU profile')
  const profile = JSON.parse(readFileSync(join(profileDir, file), 'utf8')) as CpuProfile
  const map = new SourceMap(JSON.parse(readFileSync(`${bundle}.map`, 'utf8')))
  return { profile, map, bundle }
}

/** Bundles the audit child, profiles one run and returns the profile with the map to read it. */
async function profileAudit(
  size: number,
  shape: string,
  dir: string,
  nodeFlags: readonly string[],
): Promise<Profiled> {
  const outfile = join(dir, 'audit-child.mjs')
  await build({
    entryPoints: [join(ROOT, 'bench/audit-child.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: 'external',
    keepNames: true,
    packages: 'bundle',
    banner: {
      js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
    },
    logLevel: 'warning',
  })
  const profileDir = join(dir, 'profile')
  mkdirSync(profileDir)
  execFileSync(
    process.execPath,
    ['--cpu-prof', `--cpu-prof-dir=${profileDir}`, ...nodeFlags, outfile, String(size), '--shape', shape],
    { stdio: ['ignore', 'inherit', 'inherit'] },
  )
  return readProfile(profileDir, outfile)
}

/** Bundles the CLI as the build does plus a source map, and profiles one audit of the shape's export. */
async function profileCli(
  size: number,
  shapeName: string,
  dir: string,
  nodeFlags: readonly string[],
): Promise<Profiled> {
  const shape = findShape(shapeName)?.shape
  if (!shape) throw new Error(`no shape ${shapeName}`)
  const cli = await bundleCli(ROOT, join(dir, 'cli'), { sourcemap: 'external', keepNames: true })
  const file = join(dir, `${shapeName}-${size}.json`)
  writeFileSync(file, JSON.stringify(generateAccount({ seed: DEFAULT_SEED, principals: size, shape })))
  const profileDir = join(dir, 'profile')
  mkdirSync(profileDir)
  const run = runCliAudit(cli, file, {
    cwd: ROOT,
    scratchDir: dir,
    timeoutMs: 300_000,
    nodeFlags: ['--cpu-prof', `--cpu-prof-dir=${profileDir}`, ...nodeFlags],
    reportFile: '/dev/null',
  })
  console.log(
    `CLI audit of ${shapeName} at ${size} (profiled, so slower): wall ${run.wallMs.toFixed(0)} ms, CPU ${(run.userCpuMs + run.systemCpuMs).toFixed(0)} ms, peak RSS ${run.peakRssMb.toFixed(0)} MB`,
  )
  return readProfile(profileDir, cli)
}

function locate(frame: CallFrame, map: SourceMap, bundle: string): string {
  const name = frame.functionName || '(anonymous)'
  if (frame.url !== pathToFileURL(bundle).href && frame.url !== bundle)
    return `${name} ${frame.url ? frame.url.replace(/^file:\/\//, '') : '(native)'}`
  const entry = map.findEntry(frame.lineNumber, frame.columnNumber)
  if (!('originalSource' in entry)) return `${name} (bundle)`
  const source = relative(ROOT, join(dirname(bundle), entry.originalSource))
  return `${name} ${source}:${entry.originalLine + 1}`
}

/** Self and inclusive milliseconds per mapped frame, most expensive first. */
export function summarizeProfile(profile: CpuProfile, map: SourceMap, bundle: string) {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]))
  const parentOf = new Map<number, number>()
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id)
  const ticks = new Map<number, number>()
  profile.samples.forEach((id, index) => {
    ticks.set(id, (ticks.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0))
  })
  const labels = new Map<number, string>()
  const labelOf = (id: number): string => {
    let label = labels.get(id)
    if (label === undefined) {
      const node = byId.get(id)
      label = node ? locate(node.callFrame, map, bundle) : '?'
      labels.set(id, label)
    }
    return label
  }
  const self = new Map<string, number>()
  const inclusive = new Map<string, number>()
  for (const [id, micros] of ticks) {
    self.set(labelOf(id), (self.get(labelOf(id)) ?? 0) + micros / 1000)
    const seen = new Set<string>()
    for (let current: number | undefined = id; current !== undefined; current = parentOf.get(current)) {
      const label = labelOf(current)
      if (seen.has(label)) continue
      seen.add(label)
      inclusive.set(label, (inclusive.get(label) ?? 0) + micros / 1000)
    }
  }
  const sorted = (table: Map<string, number>) => [...table].sort((left, right) => right[1] - left[1])
  return { self: sorted(self), inclusive: sorted(inclusive) }
}

function readArgs(args: readonly string[]) {
  const cli = args.includes('--cli')
  const nodeFlags = args.includes('--no-inlining') ? ['--no-turbo-inlining'] : []
  const shapeIndex = args.indexOf('--shape')
  const shape = shapeIndex >= 0 ? args[shapeIndex + 1] : 'baseline'
  if (shape === undefined || !findShape(shape)) throw new Error(`--shape needs a SHAPE_MATRIX name`)
  const positional = args.filter((arg, index) => !arg.startsWith('--') && index !== shapeIndex + 1)
  return { cli, nodeFlags, shape, size: Number(positional[0] ?? 12_000), top: Number(positional[1] ?? 25) }
}

async function main(): Promise<void> {
  const { cli, nodeFlags, shape, size, top } = readArgs(process.argv.slice(2))
  const dir = mkdtempSync(join(tmpdir(), 'bench-profile-'))
  try {
    const { profile, map, bundle } = cli
      ? await profileCli(size, shape, dir, nodeFlags)
      : await profileAudit(size, shape, dir, nodeFlags)
    const { self, inclusive } = summarizeProfile(profile, map, bundle)
    console.log(`\n## Self time (top ${top})\n`)
    for (const [label, ms] of self.slice(0, top)) console.log(`${ms.toFixed(0).padStart(7)} ms  ${label}`)
    console.log(`\n## Inclusive time, shared/ and bin/ only (top ${top})\n`)
    const ours = inclusive.filter(([label]) => label.includes(' shared/') || label.includes(' bin/'))
    for (const [label, ms] of ours.slice(0, top)) console.log(`${ms.toFixed(0).padStart(7)} ms  ${label}`)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

main().catch((error: unknown) => {
  console.error(`bench/profile: ${error instanceof Error ? error.message : String(error)}`)
  process.exitCode = 1
})
