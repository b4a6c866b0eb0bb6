import type { Baseline } from './baseline.ts'
import type { ChangeRecord, ChangeRecordStore } from './change-record.ts'
import type { BaselineStore } from './ports.ts'

/** Baselines and change records held in memory: for `replay`, which writes nothing, and for tests. */
export class MemoryBaselineStore implements BaselineStore, ChangeRecordStore {
  readonly #items = new Map<string, Baseline>()
  readonly #changes = new Map<string, ChangeRecord>()

  constructor(initial: readonly Baseline[] = []) {
    for (const baseline of initial) this.#items.set(key(baseline.accountId, baseline.principalArn), baseline)
  }

  async get(accountId: string, principalArn: string): Promise<Baseline | undefined> {
    return this.#items.get(key(accountId, principalArn))
  }

  async put(baseline: Baseline): Promise<void> {
    this.#items.set(key(baseline.accountId, baseline.principalArn), baseline)
  }

  async list(accountId: string): Promise<readonly Baseline[]> {
    return [...this.#items.values()].filter((baseline) => baseline.accountId === accountId)
  }

  async putChange(record: ChangeRecord): Promise<void> {
    this.#changes.set(key(record.accountId, record.eventId), record)
  }

  async getChange(accountId: string, eventId: string): Promise<ChangeRecord | undefined> {
    return this.#changes.get(key(accountId, eventId))
  }
}

const key = (accountId: string, principalArn: string) => `${accountId}\n${principalArn}`
