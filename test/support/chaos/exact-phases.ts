import { startChaosWorld } from './chaos-world.ts'
import {
  type DuplicatesOptions,
  type DuplicatesReport,
  type DuplicatesSetup,
  duplicatesDetectConcurrency,
  prepareDuplicates,
  runDuplicatesIn,
} from './phase-duplicates.ts'
import {
  type OrderingOptions,
  type OrderingReport,
  type OrderingSetup,
  prepareOrdering,
  runOrderingIn,
} from './phase-ordering.ts'
import {
  prepareQuiescence,
  type QuiescenceOptions,
  type QuiescenceReport,
  type QuiescenceSetup,
  runQuiescenceIn,
} from './phase-quiescence.ts'

/** What the exact phases share: the world's seed, function timeout and concurrency. */
export interface ExactWorldOptions {
  readonly seed: number
  readonly timeoutMs: number
  readonly concurrency: number
}

type PhaseOptions<T> = Omit<T, keyof ExactWorldOptions>

/** Which exact phases run (an absent one does not), with their own options. */
export interface ExactPhasesOptions extends ExactWorldOptions {
  readonly duplicates?: PhaseOptions<DuplicatesOptions>
  readonly ordering?: PhaseOptions<OrderingOptions>
  readonly quiescence?: PhaseOptions<QuiescenceOptions>
}

/** The reports of the phases that ran. */
export interface ExactPhasesReport {
  readonly duplicates?: DuplicatesReport
  readonly ordering?: OrderingReport
  readonly quiescence?: QuiescenceReport
  /** Starting the shared world: emulator, seeding, bundles, first audit. */
  readonly setupMs: number
}

/**
 * Duplicates, ordering and self-quiescence in one enforce-mode world (each on roles of its own,
 * one after another): the phases whose figures must be exact share the cost of starting the
 * emulator, loading the bundles and recording the first baselines.
 */
export async function runExactPhases(options: ExactPhasesOptions): Promise<ExactPhasesReport> {
  const started = Date.now()
  const world = { seed: options.seed, timeoutMs: options.timeoutMs, concurrency: options.concurrency }
  const duplicates = options.duplicates && { ...world, ...options.duplicates }
  const ordering = options.ordering && { ...world, ...options.ordering }
  const quiescence = options.quiescence && { ...world, ...options.quiescence }
  const setups: { duplicates?: DuplicatesSetup; ordering?: OrderingSetup; quiescence?: QuiescenceSetup } = {}
  const chaos = await startChaosWorld({
    mode: 'enforce',
    seed: options.seed,
    timeoutMs: options.timeoutMs,
    // Ten deliveries at once need ten environments: a deployment reserving none (DetectConcurrency 0).
    capByReservedConcurrency: false,
    concurrency: {
      DetectFunction: duplicates ? duplicatesDetectConcurrency(duplicates) : options.concurrency,
      RemediateFunction: options.concurrency,
      NotifyFunction: options.concurrency,
    },
    async prepare(guardWorld) {
      if (duplicates) setups.duplicates = await prepareDuplicates(guardWorld, duplicates)
      if (ordering) setups.ordering = await prepareOrdering(guardWorld, ordering)
      if (quiescence) setups.quiescence = await prepareQuiescence(guardWorld, quiescence)
      return [
        ...(setups.duplicates?.requiredRoleArns ?? []),
        ...(setups.ordering?.requiredRoleArns ?? []),
        ...(setups.quiescence?.requiredRoleArns ?? []),
      ]
    },
  })
  const setupMs = Date.now() - started
  try {
    // One after another: each phase reads the logs from where it started.
    const report: { -readonly [K in keyof ExactPhasesReport]: ExactPhasesReport[K] } = { setupMs }
    if (duplicates && setups.duplicates)
      report.duplicates = await runDuplicatesIn(chaos, setups.duplicates, duplicates)
    if (ordering && setups.ordering) report.ordering = await runOrderingIn(chaos, setups.ordering, ordering)
    if (quiescence && setups.quiescence)
      report.quiescence = await runQuiescenceIn(chaos, setups.quiescence, quiescence)
    return report
  } finally {
    await chaos.stop()
  }
}
