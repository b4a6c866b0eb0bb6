/**
 * Bundles every esbuild function of template.yaml to dist/functions/<LogicalId>/ exactly as its
 * Metadata.BuildProperties say (the template is the only build definition), and the CLI to
 * dist/bin/support-guard.js. Usage: `npx tsx scripts/build.ts [--quiet]`.
 */
import { chmodSync, readFileSync, rmSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { type BuildOptions, build, type Metafile } from 'esbuild'
import { nodeScriptOptions, toEsbuildOptions } from './lib/esbuild-options.ts'
import { readTemplateFunctions } from './lib/template.ts'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const CLI_ENTRY = 'bin/support-guard.ts'
const CLI_OUTFILE = 'dist/bin/support-guard.js'

interface BundleSize {
  readonly name: string
  readonly entry: string
  readonly codeBytes: number
  readonly mapBytes: number
}

function measureOutputs(name: string, entry: string, metafile: Metafile): BundleSize {
  let codeBytes = 0
  let mapBytes = 0
  for (const [file, output] of Object.entries(metafile.outputs)) {
    if (file.endsWith('.map')) mapBytes += output.bytes
    else codeBytes += output.bytes
  }
  return { name, entry, codeBytes, mapBytes }
}

async function bundle(name: string, entry: string, options: BuildOptions): Promise<BundleSize> {
  const result = await build({ ...options, absWorkingDir: ROOT, metafile: true, logLevel: 'warning' })
  if (result.metafile === undefined) throw new Error(`esbuild returned no metafile for ${name}`)
  return measureOutputs(name, entry, result.metafile)
}

async function bundleFunctions(): Promise<BundleSize[]> {
  const functions = readTemplateFunctions(join(ROOT, 'template.yaml')).filter(
    (fn) => fn.buildMethod === 'esbuild',
  )
  const builds = functions.map((fn) => {
    const outdir = join(ROOT, 'dist', 'functions', fn.logicalId)
    rmSync(outdir, { recursive: true, force: true })
    const options = toEsbuildOptions(fn.buildProperties, {
      logicalId: fn.logicalId,
      entryPoints: fn.entryPoints,
      outdir,
    })
    return bundle(fn.logicalId, fn.entryPoints.join(', '), options)
  })
  return Promise.all(builds)
}

async function bundleCli(): Promise<BundleSize | undefined> {
  // esbuild keeps an entry's own hashbang; a second one from the banner would be a syntax error.
  const hasHashbang = readFileSync(join(ROOT, CLI_ENTRY), 'utf8').startsWith('#!')
  const outfile = join(ROOT, CLI_OUTFILE)
  const size = await bundle(
    'cli',
    CLI_ENTRY,
    nodeScriptOptions(CLI_ENTRY, outfile, { bannerPrefix: hasHashbang ? '' : '#!/usr/bin/env node\n' }),
  )
  chmodSync(outfile, 0o755)
  return size
}

function formatKb(bytes: number): string {
  return (bytes / 1024).toFixed(1)
}

function printSizes(sizes: readonly BundleSize[]): void {
  const rows = [
    ['bundle', 'entry', 'code KB', 'map KB'],
    ...sizes.map((size) => [size.name, size.entry, formatKb(size.codeBytes), formatKb(size.mapBytes)]),
  ]
  const widths = [0, 1, 2, 3].map((column) => Math.max(...rows.map((row) => (row[column] ?? '').length)))
  for (const row of rows) {
    const cells = row.map((cell, column) => {
      const width = widths[column] ?? 0
      return column >= 2 ? cell.padStart(width) : cell.padEnd(width)
    })
    console.log(cells.join('  '))
  }
}

async function main(): Promise<void> {
  const quiet = process.argv.includes('--quiet')
  const [functionSizes, cliSize] = await Promise.all([bundleFunctions(), bundleCli()])
  const sizes = cliSize === undefined ? functionSizes : [...functionSizes, cliSize]
  if (!quiet) {
    printSizes(sizes)
    console.log(`output: ${relative(process.cwd(), join(ROOT, 'dist')) || '.'}`)
  }
}

main().catch((error: unknown) => {
  console.error(`build failed: ${error instanceof Error ? error.message : String(error)}`)
  process.exitCode = 1
})
