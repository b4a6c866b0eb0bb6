import type { ExternalRole } from '#shared/evaluator/reachability.ts'
import {
  type AccountAuditOutcome,
  type AuditRunPlan,
  type AuditRunStore,
  addOutcome,
  type RunProgress,
  startProgress,
} from './audit-run.ts'
import { type ExposureStore, mergeExposures } from './organization-audit.ts'

/** The run store's rules, in memory: for tests, and for a run the CLI drives in one process. */
export class MemoryAuditRunStore implements AuditRunStore {
  readonly #runs = new Map<string, { progress: RunProgress; recorded: Set<string>; claimed: boolean }>()

  async start(plan: AuditRunPlan): Promise<void> {
    if (this.#runs.has(plan.runId)) return
    this.#runs.set(plan.runId, { progress: startProgress(plan), recorded: new Set(), claimed: false })
  }

  async record(runId: string, outcome: AccountAuditOutcome): Promise<RunProgress> {
    const run = this.#runs.get(runId)
    if (!run) throw new Error(`audit run ${runId} was not started`)
    if (!run.recorded.has(outcome.accountId)) {
      run.recorded.add(outcome.accountId)
      run.progress = addOutcome(run.progress, outcome)
    }
    return run.progress
  }

  async claimSummary(runId: string): Promise<boolean> {
    const run = this.#runs.get(runId)
    if (!run || run.claimed) return false
    run.claimed = true
    return true
  }

  async releaseSummary(runId: string): Promise<void> {
    const run = this.#runs.get(runId)
    if (run) run.claimed = false
  }
}

/** Each account's latest exposure, in memory (tests, the benchmark). */
export class MemoryExposureStore implements ExposureStore {
  readonly #byAccount = new Map<string, ReadonlyMap<string, readonly ExternalRole[]>>()

  async put(accountId: string, exposed: ReadonlyMap<string, readonly ExternalRole[]>): Promise<void> {
    this.#byAccount.set(accountId, new Map(exposed))
  }

  async all(): Promise<ReadonlyMap<string, readonly ExternalRole[]>> {
    return mergeExposures(this.#byAccount.values())
  }
}
