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
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { SourceMap } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
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

/** A profile and what reads it: the source maps of the bundle and of its chunks. */
interface Profiled {
  readonly profile: CpuProfile
  readonly maps: SourceMaps
}

/**
 * The source map of each file of a bundle, read on first use: the CLI's code is split into an
 * entry and chunks, and a frame of a chunk is mapped back with the chunk's own map.
 */
class SourceMaps {
  readonly #maps = new Map<string, SourceMap | undefined>()
  constructor(readonly bundle: string) {}

  mapOf(url: string): { readonly map: SourceMap; readonly file: string } | undefined {
    if (!url.startsWith('file://')) return undefined
    const file = fileURLToPath(url)
    if (!file.startsWith(dirname(this.bundle))) return undefined
    if (!this.#maps.has(file))
      this.#maps.set(
        file,
        existsSync(`${file}.map`)
          ? new SourceMap(JSON.parse(readFileSync(`${file}.map`, 'utf8')))
          : undefined,
      )
    const map = this.#maps.get(file)
    return map ? { map, file } : undefined
  }
}

function readProfile(profileDir: string, bundle: string): Profiled {
  const file = readdirSync(profileDir).find((name) => name.endsWith('.cpuprofile'))
  if (!file) throw new Error('node wrote no CPU profile')
  const profile = JSON.parse(readFileSync(join(profileDir, file), 'utf8')) as CpuProfile
  return { profile, maps: new SourceMaps(bundle) }
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

function locate(frame: CallFrame, maps: SourceMaps): string {
  const name = frame.functionName || '(anonymous)'
  const mapped = maps.mapOf(frame.url)
  if (!mapped) return `${name} ${frame.url ? frame.url.replace(/^file:\/\//, '') : '(native)'}`
  const entry = mapped.map.findEntry(frame.lineNumber, frame.columnNumber)
  if (!('originalSource' in entry)) return `${name} (bundle)`
  const source = relative(ROOT, join(dirname(mapped.file), entry.originalSource))
  return `${name} ${source}:${entry.originalLine + 1}`
}

/** Self and inclusive milliseconds per mapped frame, most expensive first. */
export function summarizeProfile(profile: CpuProfile, maps: SourceMaps) {
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
      label = node ? locate(node.callFrame, maps) : '?'
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
    const { profile, maps } = cli
      ? await profileCli(size, shape, dir, nodeFlags)
      : await profileAudit(size, shape, dir, nodeFlags)
    const { self, inclusive } = summarizeProfile(profile, maps)
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
