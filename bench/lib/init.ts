/**
 * Lambda bundle size and module initialisation time, each against a "bare SDK" bundle that
 * imports the same @aws-sdk packages, creates the same clients and does nothing else. Both are
 * built with the function's esbuild Metadata from template.yaml and imported by fresh Node
 * processes with the function's environment (intrinsics replaced by dummy values).
 */
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { build } from 'esbuild'
import {
  type CfnTemplate,
  isRecord,
  listTemplateFunctions,
  readTemplate,
  type TemplateFunction,
} from '#test-support/template/template.ts'
import { toEsbuildOptions } from '../../scripts/build.ts'
import { median } from './peer-compare.ts'

export interface BundleInit {
  readonly function: string
  /** @aws-sdk packages the bundle imports (external: the Lambda runtime provides them). */
  readonly sdkPackages: readonly string[]
  readonly codeBytes: number
  readonly bareCodeBytes: number
  readonly initMs: readonly number[]
  readonly bareInitMs: readonly number[]
  readonly initMsMedian: number
  readonly bareInitMsMedian: number
}

export interface InitMeasurement {
  readonly spawns: number
  readonly node: string
  /** Environment of every spawned process (dummy values where the template has intrinsics). */
  readonly environment: Readonly<Record<string, Readonly<Record<string, string>>>>
  readonly functions: readonly BundleInit[]
}

/** What a bare entry does with each SDK package: create its client, or only load it. */
const SDK_CLIENTS: Readonly<Record<string, { readonly names: string; readonly create: string }>> = {
  '@aws-sdk/client-iam': { names: 'IAMClient', create: 'new IAMClient({})' },
  '@aws-sdk/client-eventbridge': { names: 'EventBridgeClient', create: 'new EventBridgeClient({})' },
  '@aws-sdk/client-sns': { names: 'SNSClient', create: 'new SNSClient({})' },
  '@aws-sdk/client-dynamodb': { names: 'DynamoDBClient', create: 'new DynamoDBClient({})' },
  '@aws-sdk/lib-dynamodb': {
    names: 'DynamoDBDocumentClient',
    create: 'DynamoDBDocumentClient.from(new DynamoDBClient({}))',
  },
}

/** Values for variables the template fills from parameters or resources. */
const DUMMY_VALUES: Readonly<Record<string, string>> = {
  GUARD_CONFIG: '{}',
  GUARD_MODE: 'monitor',
  NOTIFY_FORMAT: 'text',
}

/** Set in every Lambda function; the SDK reads the region when a client is created. */
const LAMBDA_ENVIRONMENT = {
  AWS_REGION: 'us-east-1',
  // Node 20 here; the functions run on nodejs22.x, where the SDK prints no such warning.
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
}

const SPAWN_TIMEOUT_MS = 30_000

/** The @aws-sdk packages a bundle imports, sorted. */
export function listSdkImports(bundleText: string): string[] {
  const found = new Set<string>()
  for (const match of bundleText.matchAll(/["'](@aws-sdk\/[a-z0-9-]+)["']/g)) {
    if (match[1] !== undefined) found.add(match[1])
  }
  return [...found].sort()
}

/** Source of an entry that loads `packages`, creates their clients and exports a handler. */
export function bareEntrySource(packages: readonly string[]): string {
  const lines: string[] = []
  const clients: string[] = []
  const needsDynamo = packages.includes('@aws-sdk/lib-dynamodb')
  for (const name of packages) {
    const client = SDK_CLIENTS[name]
    if (client === undefined) lines.push(`import '${name}'`)
    else {
      lines.push(`import { ${client.names} } from '${name}'`)
      if (!(needsDynamo && name === '@aws-sdk/client-dynamodb')) clients.push(client.create)
    }
  }
  if (needsDynamo && !packages.includes('@aws-sdk/client-dynamodb')) {
    lines.push("import { DynamoDBClient } from '@aws-sdk/client-dynamodb'")
  }
  lines.push(
    `const clients = [${clients.join(', ')}]`,
    'export const handler = async () => clients.length',
    '',
  )
  return lines.join('\n')
}

/**
 * The function's variables from Globals and its own Environment. A `Ref` to a parameter takes the
 * parameter's default, as a stack deployed with defaults has; other intrinsics become dummies.
 */
export function functionEnvironment(template: CfnTemplate, fn: TemplateFunction): Record<string, string> {
  const globals =
    isRecord(template.Globals) && isRecord(template.Globals.Function) ? template.Globals.Function : {}
  const variables = { ...readVariables(globals.Environment), ...readVariables(fn.properties.Environment) }
  const resolved = Object.entries(variables).map(([name, value]): [string, string] => [
    name,
    typeof value === 'string'
      ? value
      : (parameterDefault(template, value) ??
        DUMMY_VALUES[name] ??
        `bench-${name.toLowerCase().replace(/_/g, '-')}`),
  ])
  return { ...Object.fromEntries(resolved), ...LAMBDA_ENVIRONMENT }
}

function parameterDefault(template: CfnTemplate, value: unknown): string | undefined {
  if (!isRecord(value) || typeof value.Ref !== 'string' || !isRecord(template.Parameters)) return undefined
  const parameter = template.Parameters[value.Ref]
  return isRecord(parameter) && typeof parameter.Default === 'string' ? parameter.Default : undefined
}

function readVariables(environment: unknown): Record<string, unknown> {
  return isRecord(environment) && isRecord(environment.Variables) ? environment.Variables : {}
}

/**
 * Runs scripts/build.ts, builds a bare bundle per function, then times `await import()` of
 * each bundle in `spawns` fresh processes per bundle (ours and bare alternate).
 */
export async function measureBundleInit(
  root: string,
  options: { readonly spawns: number },
): Promise<InitMeasurement> {
  runBuild(root)
  const template = readTemplate(join(root, 'template.yaml'))
  const functions = listTemplateFunctions(template).filter((fn) => fn.buildMethod === 'esbuild')
  const work = mkdtempSync(join(root, 'dist', '.bench-bare-'))
  try {
    const bundles = []
    for (const fn of functions) {
      const ours = findBundle(join(root, 'dist', 'functions', fn.logicalId))
      const sdkPackages = listSdkImports(readFileSync(ours, 'utf8'))
      const bare = await buildBare(root, work, fn, sdkPackages)
      bundles.push({ fn, ours, bare, sdkPackages, env: functionEnvironment(template, fn) })
    }
    const times = bundles.map(() => ({ ours: [] as number[], bare: [] as number[] }))
    for (let run = 0; run < options.spawns; run++) {
      bundles.forEach((bundle, index) => {
        times[index]?.ours.push(timeImport(bundle.ours, bundle.env))
        times[index]?.bare.push(timeImport(bundle.bare, bundle.env))
      })
    }
    return {
      spawns: options.spawns,
      node: process.version,
      environment: Object.fromEntries(bundles.map((bundle) => [bundle.fn.logicalId, bundle.env])),
      functions: bundles.map((bundle, index) => {
        const initMs = times[index]?.ours ?? []
        const bareInitMs = times[index]?.bare ?? []
        return {
          function: bundle.fn.logicalId,
          sdkPackages: bundle.sdkPackages,
          codeBytes: statSync(bundle.ours).size,
          bareCodeBytes: statSync(bundle.bare).size,
          initMs,
          bareInitMs,
          initMsMedian: median(initMs),
          bareInitMsMedian: median(bareInitMs),
        }
      }),
    }
  } finally {
    rmSync(work, { recursive: true, force: true })
  }
}

function runBuild(root: string): void {
  const result = spawnSync(
    process.execPath,
    ['--import', 'tsx', join(root, 'scripts', 'build.ts'), '--quiet'],
    {
      cwd: root,
      encoding: 'utf8',
    },
  )
  if (result.status !== 0) throw new Error(`scripts/build.ts failed: ${result.stderr.trim()}`)
}

/** With one entry point esbuild writes one `.mjs` (plus its map) into the function's directory. */
function findBundle(dir: string): string {
  const files = readdirSync(dir).filter((file) => file.endsWith('.mjs'))
  if (files.length !== 1 || files[0] === undefined)
    throw new Error(`${dir}: expected one .mjs, found ${files.length}`)
  return join(dir, files[0])
}

/**
 * The bare bundle lives under dist/ so that its external @aws-sdk imports resolve from the
 * project's node_modules, as the real bundles' do.
 */
async function buildBare(root: string, work: string, fn: TemplateFunction, packages: readonly string[]) {
  const dir = join(work, fn.logicalId)
  mkdirSync(join(dir, 'src'), { recursive: true })
  const entry = join(dir, 'src', 'handler.js')
  writeFileSync(entry, bareEntrySource(packages))
  const outdir = join(dir, 'out')
  const options = toEsbuildOptions(fn.buildProperties, {
    logicalId: fn.logicalId,
    entryPoints: [entry],
    outdir,
  })
  await build({ ...options, absWorkingDir: root, logLevel: 'warning' })
  return findBundle(outdir)
}

function timeImport(file: string, env: Readonly<Record<string, string>>): number {
  const script = `const start = performance.now(); await import(${JSON.stringify(pathToFileURL(file).href)}); process.stdout.write(String(performance.now() - start))`
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    env: { PATH: process.env.PATH ?? '', ...env },
    encoding: 'utf8',
    timeout: SPAWN_TIMEOUT_MS,
  })
  const ms = Number(result.stdout)
  if (result.status !== 0 || !Number.isFinite(ms)) {
    throw new Error(`importing ${file} failed (${result.status ?? result.signal}): ${result.stderr.trim()}`)
  }
  return ms
}
