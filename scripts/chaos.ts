/**
 * The chaos suite: the real bundles against moto behind a fault-injecting proxy, with Lambda's
 * asynchronous delivery (three attempts, then the dead-letter queue). Phases: the campaign (≥1,000
 * finding-raising changes with a share of the functions' AWS requests failing), duplicate
 * deliveries, late and out-of-order deliveries, the guard fed its own writes, and a throttled burst.
 * Builds the bundles first. Exits non-zero when an event was lost or a phase found a violation.
 * Usage: `npm run chaos -- [--events N] [--fault-rate R] [--seed S] [--mode monitor|enforce] [--phases …]`.
 */
import { execFileSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { formatCampaignBreakdown } from '#test-support/chaos/campaign-report.ts'
import {
  type ChaosOptions,
  type ChaosPhase,
  ChaosUsageError,
  parseChaosOptions,
} from '#test-support/chaos/chaos-options.ts'
import { runExactPhases } from '#test-support/chaos/exact-phases.ts'
import { formatBurst, listBurstViolations, runBurst } from '#test-support/chaos/phase-burst.ts'
import {
  formatCampaignSummary,
  listCampaignViolations,
  runCampaign,
} from '#test-support/chaos/phase-campaign.ts'
import { formatDuplicates, listDuplicateViolations } from '#test-support/chaos/phase-duplicates.ts'
import { formatOrdering, listOrderingViolations } from '#test-support/chaos/phase-ordering.ts'
import { formatQuiescence, listQuiescenceViolations } from '#test-support/chaos/phase-quiescence.ts'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
/** Changes the guard reverts in the quiescence phase. */
const QUIESCENCE_CHANGES = 12
/** Duplicated changes in flight side by side. */
const PARALLEL_DUPLICATE_CHANGES = 10
/** The phases whose figures must be exact; they run without injected failures, in one world. */
const EXACT_PHASES: ReadonlySet<ChaosPhase> = new Set(['duplicates', 'ordering', 'quiescence'])

async function main(): Promise<void> {
  const options = parseChaosOptions(process.argv.slice(2))
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true'
  if (!options.skipBuild) {
    execFileSync(process.execPath, ['--import', 'tsx', 'scripts/build.ts', '--quiet'], {
      cwd: ROOT,
      stdio: 'inherit',
    })
  }
  const violations: string[] = []
  const { phases } = options
  if (phases.includes('campaign')) violations.push(...(await campaign(options)))
  if (phases.some((phase) => EXACT_PHASES.has(phase))) violations.push(...(await exactPhases(options)))
  if (phases.includes('burst')) violations.push(...(await burst(options)))
  if (violations.length > 0) {
    console.log(`violations: ${violations.length}`)
    for (const violation of violations) console.log(`  ${violation}`)
    process.exitCode = 1
  }
}

async function campaign(options: ChaosOptions): Promise<string[]> {
  const report = await runCampaign({
    events: options.events,
    faultRate: options.faultRate,
    seed: options.seed,
    mode: options.mode,
    timeoutMs: options.timeoutMs,
    concurrency: options.concurrency,
  })
  print([formatCampaignSummary(report), ...formatCampaignBreakdown(report)])
  return listCampaignViolations(report)
}

/** Duplicates, ordering and quiescence share one enforce-mode world. */
async function exactPhases(options: ChaosOptions): Promise<string[]> {
  const wanted = (phase: ChaosPhase) => options.phases.includes(phase)
  const report = await runExactPhases({
    seed: options.seed,
    timeoutMs: options.timeoutMs,
    concurrency: options.concurrency,
    ...(wanted('duplicates')
      ? {
          duplicates: {
            changesPerGroup: options.duplicateChanges,
            copies: options.duplicateCopies,
            parallelChanges: PARALLEL_DUPLICATE_CHANGES,
          },
        }
      : {}),
    ...(wanted('ordering') ? { ordering: {} } : {}),
    ...(wanted('quiescence') ? { quiescence: { changes: QUIESCENCE_CHANGES } } : {}),
  })
  const violations: string[] = []
  if (report.duplicates) {
    print(formatDuplicates(report.duplicates))
    violations.push(...listDuplicateViolations(report.duplicates))
  }
  if (report.ordering) {
    print(formatOrdering(report.ordering))
    violations.push(...listOrderingViolations(report.ordering))
  }
  if (report.quiescence) {
    print(formatQuiescence(report.quiescence))
    violations.push(...listQuiescenceViolations(report.quiescence))
  }
  return violations
}

async function burst(options: ChaosOptions): Promise<string[]> {
  const report = await runBurst({
    events: options.burstEvents,
    windowMs: options.burstSeconds * 1000,
    iamLimit: { ratePerSecond: options.burstIamRps, burst: options.burstIamBurst },
    concurrency: options.concurrency,
    seed: options.seed,
    mode: options.mode,
  })
  print(formatBurst(report))
  return listBurstViolations(report)
}

function print(lines: readonly string[]): void {
  for (const line of lines) console.log(line)
}

main().catch((error: unknown) => {
  if (error instanceof ChaosUsageError) {
    console.error(error.message)
    process.exitCode = 2
    return
  }
  console.error(error)
  process.exitCode = 1
})
