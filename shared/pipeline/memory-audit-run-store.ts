import {
  type AccountAuditOutcome,
  type AuditRunPlan,
  type AuditRunStore,
  addOutcome,
  type RunProgress,
  startProgress,
} from './audit-run.ts'

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
