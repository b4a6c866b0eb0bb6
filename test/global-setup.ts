import { execFileSync } from 'node:child_process'

/** Builds the bundles once per run: CLI tests spawn the built CLI, bundle tests load the Lambda bundles. */
export default function setup(): void {
  execFileSync(process.execPath, ['--import', 'tsx', 'scripts/build.ts', '--quiet'], { stdio: 'inherit' })
}
