import { describe, expect, it } from 'vitest'
import {
  ChaosUsageError,
  DEFAULT_CHAOS_OPTIONS,
  parseChaosOptions,
} from '#test-support/chaos/chaos-options.ts'

describe('parseChaosOptions', () => {
  it('takes the defaults without flags', () => {
    expect(parseChaosOptions([])).toEqual(DEFAULT_CHAOS_OPTIONS)
  })

  it('reads the flags', () => {
    const options = parseChaosOptions([
      '--events',
      '200',
      '--fault-rate',
      '0.1',
      '--seed',
      '7',
      '--mode',
      'monitor',
      '--phases',
      'ordering,campaign',
      '--skip-build',
    ])
    expect(options).toMatchObject({
      events: 200,
      faultRate: 0.1,
      seed: 7,
      mode: 'monitor',
      phases: ['campaign', 'ordering'],
      skipBuild: true,
    })
  })

  it('refuses unknown flags and bad values', () => {
    for (const args of [
      ['--events', '0'],
      ['--fault-rate', '2'],
      ['--mode', 'audit'],
      ['--phases', 'storm'],
      ['--speed', '1'],
      ['--events'],
      ['events', '10'],
    ]) {
      expect(() => parseChaosOptions(args), args.join(' ')).toThrow(ChaosUsageError)
    }
  })
})
