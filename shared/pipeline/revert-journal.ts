import type { RemediationStep } from './remediation-steps.ts'

/**
 * What remediate wrote for one piece of work (a finding and its change, or an audit delivery),
 * recorded before it verifies: `applying` just before the first write, `applied` once every step
 * was written. A retry that finds the finding gone reads it to tell its own revert from a fix
 * made by someone else.
 */
export interface RevertEntry {
  readonly key: string
  readonly state: 'applying' | 'applied'
  readonly steps: readonly RemediationStep[]
  /** ISO time of the record. */
  readonly at: string
}

/** Where remediate keeps its record of its own writes. */
export interface RevertJournal {
  get(key: string): Promise<RevertEntry | undefined>
  record(entry: RevertEntry): Promise<void>
}

/** The journal in memory: for tests, the CLI and the scripts. */
export class MemoryRevertJournal implements RevertJournal {
  readonly entries = new Map<string, RevertEntry>()

  async get(key: string): Promise<RevertEntry | undefined> {
    return this.entries.get(key)
  }

  async record(entry: RevertEntry): Promise<void> {
    this.entries.set(entry.key, entry)
  }
}
