/**
 * Bundles an entry point as `npm run build` bundles the CLI (one ESM file for Node 20), so a
 * child process measures the engine and not the TypeScript loader.
 */
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import { nodeScriptOptions } from '../../../scripts/build.ts'

/** The repository root. */
export const ROOT = fileURLToPath(new URL('../../../', import.meta.url))

/** The CLI's entry point, as package.json's `bin` builds it. */
export const CLI_ENTRY = join(ROOT, 'bin', 'support-guard.ts')

/** Bundles `entry` (absolute path) into `dir` as `name`.mjs and returns its path. */
export async function bundleEntry(entry: string, dir: string, name: string): Promise<string> {
  const outfile = join(dir, `${name}.mjs`)
  await build(nodeScriptOptions(entry, outfile))
  return outfile
}
