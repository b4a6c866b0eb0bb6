import { describe, expect, it } from 'vitest'
import { InFlight, InFlightError } from '#test-support/e2e/in-flight.ts'

const later = <T>(ms: number, value: T) => new Promise<T>((resolve) => setTimeout(() => resolve(value), ms))

describe('InFlight', () => {
  it('tracks pending work and waits for it to settle', async () => {
    const work = new InFlight()
    work.add(later(20, 1))
    work.add(later(5, 2))
    expect(work.size).toBe(2)
    await work.settle()
    expect(work.size).toBe(0)
  })

  it('wakes a wait on progress, on a nudge, or after the time given', async () => {
    const work = new InFlight()
    work.add(later(1000, 0))
    const started = Date.now()
    await work.progress(30)
    expect(Date.now() - started).toBeLessThan(500)
    const waiting = work.progress(5000)
    work.nudge()
    await waiting
    work.nudge()
    await work.progress(5000)
    expect(Date.now() - started).toBeLessThan(1000)
  })

  it('keeps a rejection for throwIfFailed', async () => {
    const work = new InFlight()
    work.add(Promise.reject(new Error('harness bug')))
    await work.settle()
    expect(() => work.throwIfFailed()).toThrow(InFlightError)
  })
})
