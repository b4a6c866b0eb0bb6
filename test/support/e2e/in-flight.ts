/** Work tracked by InFlight rejected: a fault of the harness, not of the guard. */
export class InFlightError extends Error {
  override readonly name = 'InFlightError'
}

/**
 * Promises still running (deliveries, feeders), so a loop can wait for progress and know when
 * everything is over. A rejection is kept and rethrown by `throwIfFailed`: tracked work reports
 * the guard's failures as values, so a rejection is the harness's own fault.
 */
export class InFlight {
  readonly #pending = new Set<Promise<void>>()
  readonly #failures: unknown[] = []
  #wake: (() => void) | undefined
  #nudged = false

  /** How many tracked promises have not settled. */
  get size(): number {
    return this.#pending.size
  }

  add(work: Promise<unknown>): void {
    const tracked = work.then(
      () => undefined,
      (error: unknown) => {
        this.#failures.push(error)
      },
    )
    this.#pending.add(tracked)
    void tracked.finally(() => this.#pending.delete(tracked))
  }

  /**
   * Wakes the current or next `progress` wait: something happened inside tracked work (an attempt
   * of a delivery ended) that the waiting loop should look at.
   */
  nudge(): void {
    const wake = this.#wake
    if (wake) wake()
    else this.#nudged = true
  }

  /**
   * Resolves when a tracked promise settles, on a nudge, or after `ms`, whichever comes first;
   * at once when idle or nudged since the last wait.
   */
  async progress(ms: number): Promise<void> {
    if (this.#nudged || this.#pending.size === 0) {
      this.#nudged = false
      return
    }
    let timer: NodeJS.Timeout | undefined
    const elapsed = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, ms)
    })
    const woken = new Promise<void>((resolve) => {
      this.#wake = resolve
    })
    try {
      await Promise.race([...this.#pending, elapsed, woken])
    } finally {
      clearTimeout(timer)
      this.#wake = undefined
    }
  }

  /** Waits until nothing is pending. */
  async settle(): Promise<void> {
    while (this.#pending.size > 0) await Promise.race(this.#pending)
  }

  /** Throws InFlightError (cause: the first rejection) when tracked work rejected. */
  throwIfFailed(): void {
    const [first] = this.#failures
    if (this.#failures.length === 0) return
    const detail = first instanceof Error ? `${first.name}: ${first.message}` : String(first)
    throw new InFlightError(`${this.#failures.length} tracked task(s) failed; first: ${detail}`, {
      cause: first,
    })
  }
}
