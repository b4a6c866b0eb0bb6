import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'

/** Builds the bundles once per run: CLI tests spawn the built CLI, bundle tests load the Lambda bundles. */
export default function setup(): void {
  if (!existsSync('scripts/build.ts')) return // TEMPORARY until the build script lands
  execFileSync(process.execPath, ['--import', 'tsx', 'scripts/build.ts', '--quiet'], { stdio: 'inherit' })
}
