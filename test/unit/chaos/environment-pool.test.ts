import { describe, expect, it } from 'vitest'
import { EnvironmentPool, EnvironmentPoolError } from '#test-support/chaos/environment-pool.ts'
import type { BundleSet } from '#test-support/e2e/bundles.ts'

const environment = (name: string): BundleSet => ({
  functionIds: [name],
  timeoutMs: 1000,
  invoke: async () => name,
})

describe('EnvironmentPool', () => {
  it('hands out idle environments, then serves waiters first come, first served', async () => {
    const pool = new EnvironmentPool('F', [environment('a')])
    const first = await pool.acquire()
    const order: string[] = []
    const second = pool.acquire().then((got) => {
      order.push('second')
      return got
    })
    const third = pool.acquire().then((got) => {
      order.push('third')
      return got
    })
    expect(pool.waiting).toBe(2)
    pool.release(first)
    pool.release(await second)
    expect(await third).toBe(first)
    expect(order).toEqual(['second', 'third'])
    expect(pool.size).toBe(1)
  })

  it('needs at least one environment', () => {
    expect(() => new EnvironmentPool('F', [])).toThrow(EnvironmentPoolError)
  })
})
