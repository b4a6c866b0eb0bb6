/**
 * CPU hotspots of one full audit, by source file and line. tsx strips line breaks, so the
 * child is bundled with esbuild and a source map instead, profiled with `--cpu-prof`, and
 * each sampled frame is mapped back. Usage: `npx tsx bench/profile.ts [SIZE] [TOP]`.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { SourceMap } from 'node:module'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'

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

/** Bundles the audit child, profiles one run and returns the profile with the map to read it. */
async function profileAudit(size: number, dir: string): Promise<{ profile: CpuProfile; map: SourceMap }> {
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
  execFileSync(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${dir}`, outfile, String(size)], {
    stdio: ['ignore', 'inherit', 'inherit'],
  })
  const file = readdirSync(dir).find((name) => name.endsWith('.cpuprofile'))
  if (!file) throw new Error('node wrote no CPU profile')
  const profile = JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile
  const map = new SourceMap(JSON.parse(readFileSync(`${outfile}.map`, 'utf8')))
  return { profile, map }
}

function locate(frame: CallFrame, map: SourceMap, dir: string): string {
  const name = frame.functionName || '(anonymous)'
  if (!frame.url.includes(dir))
    return `${name} ${frame.url ? frame.url.replace(/^file:\/\//, '') : '(native)'}`
  const entry = map.findEntry(frame.lineNumber, frame.columnNumber)
  if (!('originalSource' in entry)) return `${name} (bundle)`
  const source = relative(ROOT, join(dir, entry.originalSource))
  return `${name} ${source}:${entry.originalLine + 1}`
}

/** Self and inclusive milliseconds per mapped frame, most expensive first. */
export function summarizeProfile(profile: CpuProfile, map: SourceMap, dir: string) {
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
      label = node ? locate(node.callFrame, map, dir) : '?'
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

async function main(): Promise<void> {
  const size = Number(process.argv[2] ?? 12_000)
  const top = Number(process.argv[3] ?? 25)
  const dir = mkdtempSync(join(tmpdir(), 'bench-profile-'))
  try {
    const { profile, map } = await profileAudit(size, dir)
    const { self, inclusive } = summarizeProfile(profile, map, dir)
    console.log(`\n## Self time (top ${top})\n`)
    for (const [label, ms] of self.slice(0, top)) console.log(`${ms.toFixed(0).padStart(7)} ms  ${label}`)
    console.log(`\n## Inclusive time, shared/ only (top ${top})\n`)
    const ours = inclusive.filter(([label]) => label.includes(' shared/'))
    for (const [label, ms] of ours.slice(0, top)) console.log(`${ms.toFixed(0).padStart(7)} ms  ${label}`)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

main().catch((error: unknown) => {
  console.error(`bench/profile: ${error instanceof Error ? error.message : String(error)}`)
  process.exitCode = 1
})
