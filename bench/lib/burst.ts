import { type BurstReport, runBurst } from '#test-support/chaos/phase-burst.ts'
import { renderTable } from './table.ts'

/** The burst the benchmark replays: a Terraform apply touching 300 roles within a minute. */
const BURST = { events: 300, windowMs: 60_000, iamLimit: { ratePerSecond: 25, burst: 25 } } as const
/** Detect's concurrency with the template's reservation, and as good as unbounded without one. */
const CONCURRENCIES = [5, 50] as const

export interface BurstComparison {
  readonly reserved: BurstReport
  readonly unbounded: BurstReport
}

/**
 * The same seeded burst twice on the emulator behind the rate-limiting proxy: detect at the
 * template's reserved concurrency, then at 50 (no reservation). Needs moto_server and built bundles.
 */
export async function measureBurst(seed: number): Promise<BurstComparison> {
  const [reservedConcurrency, unboundedConcurrency] = CONCURRENCIES
  const run = (detectConcurrency: number) =>
    runBurst({ ...BURST, detectConcurrency, concurrency: 4, seed, mode: 'enforce' })
  const reserved = await run(reservedConcurrency)
  const unbounded = await run(unboundedConcurrency)
  return { reserved, unbounded }
}

/** The comparison as a markdown section, with the ratios of one run. */
export function renderBurst(comparison: BurstComparison): string[] {
  const row = (report: BurstReport) => [
    String(report.detectConcurrency),
    String(report.iamRequests),
    String(report.throttled),
    `${((100 * report.throttled) / Math.max(1, report.iamRequests)).toFixed(1)} %`,
    String(report.failedAttempts),
    String(report.deadLettered),
    `${report.delivered}/${report.options.events}`,
    `${(report.slowestDetectMs / 1000).toFixed(1)} s`,
    `${(report.drainMs / 1000).toFixed(1)} s`,
  ]
  const { reserved, unbounded } = comparison
  const ratio = (a: number, b: number) => (b === 0 ? (a === 0 ? '1.0' : '∞') : (a / b).toFixed(1))
  return [
    `## Burst of IAM changes (${BURST.events} role changes within ${BURST.windowMs / 1000} s, IAM limited to ${BURST.iamLimit.ratePerSecond} requests/s)`,
    '',
    ...renderTable(
      [
        'detect concurrency',
        'IAM requests',
        'throttled',
        'share',
        'failed attempts',
        'dead-lettered',
        'delivered',
        'slowest detect',
        'done after last change',
      ],
      [row(reserved), row(unbounded)],
    ),
    '',
    `Without the reservation detect met ${ratio(unbounded.throttled, reserved.throttled)}× the throttling answers and ${unbounded.failedAttempts} failed attempts (reserved: ${reserved.failedAttempts}); the reserved run finished ${ratio(reserved.drainMs, unbounded.drainMs)}× as long after the last change. Measured with \`npm run bench\` (the chaos suite's burst phase: the real bundles on moto, a token bucket in the proxy answering IAM's Throttling error).`,
  ]
}
