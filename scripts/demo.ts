/**
 * `npm start`: the guard live against a local AWS emulator. Starts moto, seeds an account, plays
 * every end-to-end scenario through the real Lambda bundles and prints a timeline a person can
 * follow, then a summary table. Exit codes: 0 all scenarios ran, 1 a scenario failed, 2 moto_server
 * is not installed.
 */
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { delimiter, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { type E2eHarness, startE2eHarness } from '#test-support/e2e/harness.ts'
import { type OrganizationGuard, startOrganizationGuard } from '#test-support/e2e/organization-guard.ts'
import { playScenario, type ScenarioResult } from '#test-support/e2e/scenario.ts'
import { ALL_SCENARIOS } from '#test-support/e2e/scenarios.ts'
import { playOrganizationScenario } from '#test-support/e2e/scenarios-organization.ts'
import { formatScenario, formatSummary, formatWholeNotification } from '#test-support/e2e/timeline.ts'
import { EmulatorMissingError } from '#test-support/emulator/moto-server.ts'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const MOTO_MISSING = 'moto_server not found: pip install "moto[server]"'
const BUNDLES = ['DetectFunction', 'RemediateFunction', 'NotifyFunction', 'AuditFunction']

let harness: E2eHarness | undefined
let organization: OrganizationGuard | undefined
let interrupted = false

async function main(): Promise<number> {
  // The functions run on nodejs22.x in AWS; the SDK's notice about older Node versions is noise here.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true'
  const started = Date.now()
  if (!isOnPath('moto_server')) throw new EmulatorMissingError(MOTO_MISSING)
  buildBundles()
  console.log('Support Access Guard: live demo against a local AWS emulator (moto)')
  harness = await startE2eHarness({ mode: 'enforce' })
  console.log(
    `  emulator up, account ${harness.account.accountId} seeded, findings bus, tables and topic created,\n` +
      `  baselines recorded by one audit (${seconds(Date.now() - started)})`,
  )
  console.log('  every step below runs the built Lambda bundles over HTTP against the emulator\n')

  const results: ScenarioResult[] = []
  for (const [index, scenario] of ALL_SCENARIOS.entries()) {
    const result = await playScenario(harness, scenario)
    await scenario.cleanup?.(harness)
    results.push(result)
    console.log(`${formatScenario(result, index + 1).join('\n')}\n`)
    const first = index === 0 ? result.steps[0]?.trace.notifications[0] : undefined
    if (first) console.log(`${formatWholeNotification(first).join('\n')}\n`)
  }

  // The organisation runs on an emulator of its own: a central account with the stack, two members.
  await stopHarness()
  const orgStarted = Date.now()
  organization = await startOrganizationGuard({ mode: 'enforce' })
  console.log(
    `  a second emulator: organisation ${organization.organizationId}, central guard in ${organization.centralAccountId},\n` +
      `  members workload ${organization.workload.id} and sandbox ${organization.sandbox.id} (${seconds(Date.now() - orgStarted)})\n`,
  )
  const orgResult = await playOrganizationScenario(organization)
  results.push(orgResult)
  console.log(`${formatScenario(orgResult, results.length).join('\n')}\n`)
  const named = orgResult.steps[0]?.trace.notifications[0]
  if (named) console.log(`${formatWholeNotification(named).join('\n')}\n`)

  console.log('Summary')
  console.log(formatSummary(results).join('\n'))
  console.log(`\n${results.length} scenarios in ${seconds(Date.now() - started)}`)
  return 0
}

/**
 * The scenarios load dist/functions/<LogicalId>/handler.mjs: built on every run (a few seconds),
 * so a run after an edit never plays yesterday's bundles.
 */
function buildBundles(): void {
  console.log(`building the Lambda bundles (${BUNDLES.join(', ')})`)
  execFileSync(process.execPath, ['--import', 'tsx', 'scripts/build.ts', '--quiet'], {
    cwd: ROOT,
    stdio: 'inherit',
  })
}

/** Checked before anything is printed, so a missing emulator is one line on stderr. */
function isOnPath(command: string): boolean {
  return (process.env.PATH ?? '').split(delimiter).some((dir) => dir !== '' && existsSync(join(dir, command)))
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`
}

async function stopHarness(): Promise<void> {
  const running = [harness, organization]
  harness = undefined
  organization = undefined
  for (const guard of running) await guard?.stop()
}

process.once('SIGINT', () => {
  interrupted = true
  console.error('\ninterrupted: stopping the emulator')
  stopHarness().finally(() => process.exit(130))
})

main()
  .then(async (code) => {
    await stopHarness()
    process.exitCode = code
  })
  .catch(async (error: unknown) => {
    await stopHarness()
    // The scenario under way fails once the emulator is gone; the interruption is the news.
    if (interrupted) return
    if (error instanceof EmulatorMissingError) {
      console.error(error.message)
      process.exitCode = 2
      return
    }
    console.error(`demo failed: ${error instanceof Error ? error.message : String(error)}`)
    process.exitCode = 1
  })
