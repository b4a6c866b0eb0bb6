import { describe, expect, it } from 'vitest'
import { TokenBucket } from '#test-support/chaos/token-bucket.ts'

describe('TokenBucket', () => {
  it('lets a burst through, then one request per 1/rate seconds', () => {
    let now = 0
    const bucket = new TokenBucket({ ratePerSecond: 10, burst: 3 }, () => now)
    expect([bucket.tryTake(), bucket.tryTake(), bucket.tryTake(), bucket.tryTake()]).toEqual([
      true,
      true,
      true,
      false,
    ])
    now += 50
    expect(bucket.tryTake()).toBe(false)
    now += 50
    expect(bucket.tryTake()).toBe(true)
    expect(bucket.tryTake()).toBe(false)
  })

  it('never holds more than the burst', () => {
    let now = 0
    const bucket = new TokenBucket({ ratePerSecond: 100, burst: 2 }, () => now)
    now += 60_000
    expect([bucket.tryTake(), bucket.tryTake(), bucket.tryTake()]).toEqual([true, true, false])
  })

  it('refuses a limit that could never let a request through', () => {
    expect(() => new TokenBucket({ ratePerSecond: 0, burst: 1 })).toThrow(RangeError)
    expect(() => new TokenBucket({ ratePerSecond: 1, burst: 0 })).toThrow(RangeError)
  })
})
