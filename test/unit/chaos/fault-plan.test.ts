import { describe, expect, it } from 'vitest'
import { decideFault, type FaultSettings, uniformFaults } from '#test-support/chaos/fault-plan.ts'
import { createRandom } from '#test-support/synthetic/prng.ts'

function tally(settings: FaultSettings, service: string, draws: number, seed = 42) {
  const random = createRandom(seed)
  const counts = new Map<string, number>()
  for (let index = 0; index < draws; index++) {
    const decision = decideFault(settings, service, random)
    const key = decision.kind === 'none' ? 'none' : `${decision.kind}:${decision.reply}`
    counts.set(key, (counts.get(key) ?? 0) + 1)
  }
  return counts
}

describe('decideFault', () => {
  it('never fails a service without a rate', () => {
    expect(tally(uniformFaults(1), 'sqs', 1000)).toEqual(new Map([['none', 1000]]))
    expect(tally(uniformFaults(0), 'iam', 1000)).toEqual(new Map([['none', 1000]]))
  })

  it('fails about the share asked for, half before and half after forwarding', () => {
    const counts = tally(uniformFaults(0.2), 'dynamodb', 20_000)
    const share = (prefix: string) =>
      [...counts].filter(([key]) => key.startsWith(prefix)).reduce((sum, [, count]) => sum + count, 0) /
      20_000
    expect(share('none')).toBeCloseTo(0.8, 1)
    expect(share('before')).toBeCloseTo(0.1, 1)
    expect(share('after')).toBeCloseTo(0.1, 1)
    for (const kind of [
      'before:internal',
      'before:unavailable',
      'before:throttling',
      'after:internal',
      'after:reset',
    ]) {
      expect(counts.get(kind)).toBeGreaterThan(0)
    }
  })

  it('repeats the same decisions for the same seed', () => {
    expect(tally(uniformFaults(0.3), 'iam', 500, 7)).toEqual(tally(uniformFaults(0.3), 'iam', 500, 7))
  })

  it('follows the shares: all after, all cut', () => {
    const settings: FaultSettings = { rates: { sns: 1 }, afterShare: 1, throttleShare: 0, resetShare: 1 }
    expect(tally(settings, 'sns', 100)).toEqual(new Map([['after:reset', 100]]))
  })

  it('refuses a rate outside 0..1', () => {
    expect(() => uniformFaults(1.5)).toThrow(RangeError)
  })
})
