import type { Baseline } from './baseline.ts'
import type { BaselineStore } from './ports.ts'

/** Baselines held in memory: for `replay`, which writes nothing, and for tests. */
export class MemoryBaselineStore implements BaselineStore {
  readonly #items = new Map<string, Baseline>()

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
}

const key = (accountId: string, principalArn: string) => `${accountId}\n${principalArn}`
