import type { Baseline } from '#shared/pipeline/baseline.ts'
import type { FindingsBusFollower } from './findings-bus-follower.ts'

/** The seeded account is not what the guard's baselines need: a fault of the harness. */
export class SeedBaselineError extends Error {
  override readonly name = 'SeedBaselineError'
}

/** How to record the first baselines and what to expect of them. */
export interface InitialBaselineInput {
  /** Runs the scheduled audit once (its findings are thrown away). */
  readonly runAudit: () => Promise<void>
  readonly follower: FindingsBusFollower
  readonly list: () => Promise<readonly Baseline[]>
  /** Principals that must have a baseline afterwards. */
  readonly expected: readonly string[]
}

/**
 * The audit records a baseline for every protected principal that is compliant; the revert of a
 * document, trust or policy version needs one. Runs it, empties the bus and the notification
 * queue, and throws SeedBaselineError when an expected principal got none.
 */
export async function recordInitialBaselines(input: InitialBaselineInput): Promise<void> {
  await input.runAudit()
  await input.follower.drainBus()
  await input.follower.drainNotifications()
  const recorded = new Set((await input.list()).map((baseline) => baseline.principalArn))
  const missing = input.expected.filter((arn) => !recorded.has(arn))
  if (missing.length > 0) {
    throw new SeedBaselineError(
      `the initial audit recorded no baseline for ${missing.join(', ')}: the seeded account is not compliant`,
    )
  }
}
