/** A request rate: `ratePerSecond` on average, up to `burst` at once. */
export interface RateLimit {
  readonly ratePerSecond: number
  readonly burst: number
}

/**
 * A token bucket: holds up to `burst` tokens, gains `ratePerSecond` a second, and each request
 * takes one; a request that finds none is refused (answered as throttled by the caller).
 */
export class TokenBucket {
  readonly #limit: RateLimit
  readonly #now: () => number
  #tokens: number
  #updatedAt: number

  /** `now` gives milliseconds (a test passes its own clock). */
  constructor(limit: RateLimit, now: () => number = () => performance.now()) {
    if (!(limit.ratePerSecond > 0) || !(limit.burst >= 1)) {
      throw new RangeError(
        `a rate limit needs ratePerSecond > 0 and burst >= 1, got ${JSON.stringify(limit)}`,
      )
    }
    this.#limit = limit
    this.#now = now
    this.#tokens = limit.burst
    this.#updatedAt = now()
  }

  /** Takes a token if there is one. */
  tryTake(): boolean {
    const now = this.#now()
    const earned = ((now - this.#updatedAt) / 1000) * this.#limit.ratePerSecond
    this.#tokens = Math.min(this.#limit.burst, this.#tokens + earned)
    this.#updatedAt = now
    if (this.#tokens < 1) return false
    this.#tokens -= 1
    return true
  }
}
