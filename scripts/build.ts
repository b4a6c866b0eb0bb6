/**
 * Bundles every esbuild function of template.yaml to dist/functions/<LogicalId>/ exactly as its
 * Metadata.BuildProperties say (the template is the only build definition), and the CLI to
 * dist/bin/support-guard.js. Usage: `npx tsx scripts/build.ts [--quiet]`.
 * Importing this file only gives the esbuild options (`toEsbuildOptions`, `nodeScriptOptions`);
 * the build runs when it is the process's entry point.
 */
import { chmodSync, existsSync, readdirSync, readFileSync, realpathSync, rmSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { type BuildOptions, build, type Format, type Loader, type Metafile } from 'esbuild'
import { readTemplateFunctions, TemplateError } from '#test-support/template/template.ts'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const CLI_ENTRY = 'bin/support-guard.ts'
const CLI_OUTDIR = 'dist/bin'
const CLI_OUTFILE = `${CLI_OUTDIR}/support-guard.js`

/**
 * The esbuild BuildProperties SAM understands, and the defaults SAM applies when one is absent
 * (aws-lambda-builders, nodejs_npm_esbuild workflow). SAM always bundles for platform node.
 */
export const SAM_ESBUILD_PROPERTIES = [
  'Banner',
  'EntryPoints',
  'External',
  'Format',
  'Loader',
  'MainFields',
  'Minify',
  'OutExtension',
  'Sourcemap',
  'SourcesContent',
  'Target',
] as const

const SAM_DEFAULTS = { Format: 'cjs', Minify: true, Target: 'es2020' } as const

const FORMATS: readonly Format[] = ['cjs', 'esm', 'iife']

function readString(
  props: Readonly<Record<string, unknown>>,
  name: string,
  where: string,
): string | undefined {
  const value = props[name]
  if (value === undefined) return undefined
  if (typeof value !== 'string') throw new TemplateError(`${where}.${name} must be a string`)
  return value
}

function readBoolean(
  props: Readonly<Record<string, unknown>>,
  name: string,
  where: string,
): boolean | undefined {
  const value = props[name]
  if (value === undefined) return undefined
  if (value === true || value === 'true') return true
  if (value === false || value === 'false') return false
  throw new TemplateError(`${where}.${name} must be true or false`)
}

function readList(props: Readonly<Record<string, unknown>>, name: string, where: string): string[] {
  const value = props[name]
  if (value === undefined) return []
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) {
    throw new TemplateError(`${where}.${name} must be a list of strings`)
  }
  return value
}

/** SAM passes `KEY=VALUE` list items to esbuild as `--flag:KEY=VALUE`; this is the API form of that. */
function readKeyValueList(
  props: Readonly<Record<string, unknown>>,
  name: string,
  where: string,
): Record<string, string> | undefined {
  if (props[name] === undefined) return undefined
  const entries = readList(props, name, where).map((item): [string, string] => {
    const equals = item.indexOf('=')
    if (equals <= 0) throw new TemplateError(`${where}.${name}: '${item}' is not KEY=VALUE`)
    return [item.slice(0, equals), item.slice(equals + 1)]
  })
  return Object.fromEntries(entries)
}

function readFormat(props: Readonly<Record<string, unknown>>, where: string): Format {
  const format = readString(props, 'Format', where) ?? SAM_DEFAULTS.Format
  const known = FORMATS.find((candidate) => candidate === format)
  if (known === undefined)
    throw new TemplateError(`${where}.Format '${format}' is not one of ${FORMATS.join(', ')}`)
  return known
}

/**
 * Turns one function's `Metadata.BuildProperties` into esbuild options that produce what `sam build`
 * produces: every property is applied, absent ones take SAM's defaults, unknown ones are an error so
 * the template stays the single build definition.
 */
export function toEsbuildOptions(
  buildProperties: Readonly<Record<string, unknown>>,
  target: { readonly logicalId: string; readonly entryPoints: readonly string[]; readonly outdir: string },
): BuildOptions {
  const where = `${target.logicalId}.Metadata.BuildProperties`
  const unknown = Object.keys(buildProperties).filter(
    (name) => !SAM_ESBUILD_PROPERTIES.some((supported) => supported === name),
  )
  if (unknown.length > 0) throw new TemplateError(`${where}: unsupported ${unknown.join(', ')}`)
  if (target.entryPoints.length === 0) throw new TemplateError(`${where}.EntryPoints is empty`)

  const options: BuildOptions = {
    entryPoints: [...target.entryPoints],
    outdir: target.outdir,
    bundle: true,
    platform: 'node',
    treeShaking: true,
    format: readFormat(buildProperties, where),
    target: readString(buildProperties, 'Target', where) ?? SAM_DEFAULTS.Target,
    minify: readBoolean(buildProperties, 'Minify', where) ?? SAM_DEFAULTS.Minify,
    sourcemap: readBoolean(buildProperties, 'Sourcemap', where) ?? false,
    external: readList(buildProperties, 'External', where),
  }
  const mainFields = readString(buildProperties, 'MainFields', where)
  if (mainFields !== undefined) options.mainFields = mainFields.split(',').map((field) => field.trim())
  const sourcesContent = readBoolean(buildProperties, 'SourcesContent', where)
  if (sourcesContent !== undefined) options.sourcesContent = sourcesContent
  const outExtension = readKeyValueList(buildProperties, 'OutExtension', where)
  if (outExtension !== undefined) options.outExtension = outExtension
  const banner = readKeyValueList(buildProperties, 'Banner', where)
  if (banner !== undefined) options.banner = banner
  const loader = readKeyValueList(buildProperties, 'Loader', where)
  if (loader !== undefined) options.loader = loader as Record<string, Loader>
  return options
}

/** Bundled CommonJS dependencies call require(); an ES module has none unless it is created. */
export const REQUIRE_SHIM =
  "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);"

/**
 * Options for a Node 20 script bundled whole into one ES module (the CLI, the benchmark's and the
 * resource bounds' child processes): dependencies included, `require` shimmed.
 */
export function nodeScriptOptions(
  entry: string,
  outfile: string,
  extra: { readonly minify?: boolean; readonly bannerPrefix?: string } = {},
): BuildOptions {
  return {
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    treeShaking: true,
    ...(extra.minify ? { minify: true } : {}),
    banner: { js: `${extra.bannerPrefix ?? ''}${REQUIRE_SHIM}` },
    logLevel: 'warning',
  }
}

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

/**
 * The CLI as `npm run build` bundles it into `outdir`: `support-guard.js`, minified, with the
 * live commands (the AWS SDK) split into a chunk of their own that only `--live` and
 * `snapshot` load, so an offline audit neither reads nor compiles the SDK.
 */
export function cliBuildOptions(outdir: string): BuildOptions {
  // esbuild keeps an entry's own hashbang; a second one from the banner would be a syntax error.
  const hasHashbang = readFileSync(join(ROOT, CLI_ENTRY), 'utf8').startsWith('#!')
  const { outfile: _single, ...options } = nodeScriptOptions(join(ROOT, CLI_ENTRY), outdir, {
    minify: true,
    bannerPrefix: hasHashbang ? '' : '#!/usr/bin/env node\n',
  })
  return { ...options, outdir, splitting: true, entryNames: '[name]', chunkNames: 'chunks/[name]-[hash]' }
}

async function bundleCli(): Promise<BundleSize | undefined> {
  const outdir = join(ROOT, CLI_OUTDIR)
  const result = await build({ ...cliBuildOptions(outdir), absWorkingDir: ROOT, metafile: true })
  chmodSync(join(ROOT, CLI_OUTFILE), 0o755)
  // Chunks of earlier builds go after the new ones are written: a CLI started meanwhile still runs.
  const written = new Set(Object.keys(result.metafile.outputs).map((file) => join(ROOT, file)))
  const chunks = join(outdir, 'chunks')
  for (const name of existsSync(chunks) ? readdirSync(chunks) : []) {
    if (!written.has(join(chunks, name))) rmSync(join(chunks, name), { force: true })
  }
  return measureOutputs('cli', CLI_ENTRY, result.metafile)
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

/** True when this file was started (`tsx scripts/build.ts`), false when it is imported for its options. */
function isEntryPoint(): boolean {
  const entry = process.argv[1]
  return entry !== undefined && existsSync(entry) && realpathSync(entry) === fileURLToPath(import.meta.url)
}

if (isEntryPoint()) {
  main().catch((error: unknown) => {
    console.error(`build failed: ${error instanceof Error ? error.message : String(error)}`)
    process.exitCode = 1
  })
}
