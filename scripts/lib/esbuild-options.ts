import type { BuildOptions, Format, Loader } from 'esbuild'
import { TemplateError } from './template.ts'

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
