import { describe, expect, it } from 'vitest'
import { DEFAULT_SEED, SHAPE_MATRIX } from '#test-support/synthetic/synthetic-account.ts'
import { readOptions, runsAt, UsageError } from '../lib/options.ts'

describe('readOptions', () => {
  it('defaults to every shape at 12,000 principals, scaling to 50,000, burst on', () => {
    expect(readOptions([])).toEqual({
      size: 12_000,
      sizes: [1000, 5000, 12_000, 50_000],
      peerSample: 200,
      runs: 3,
      seed: DEFAULT_SEED,
      shapes: SHAPE_MATRIX.map((entry) => entry.name),
      scaling: true,
      burst: true,
      orgAccounts: 50,
      orgPrincipals: 2000,
      fanoutMembers: 5,
      fanoutPrincipals: 500,
    })
  })

  it('reads every option; shapes keep the matrix order and sizes are sorted once each', () => {
    const options = readOptions([
      '--sizes',
      '12000,1000,1000',
      '--runs',
      '1',
      '--peer-sample',
      '20',
      '--shapes',
      'wildcard-heavy,baseline',
      '--size',
      '5000',
      '--seed',
      '9',
      '--no-burst',
      '--no-scaling',
      '--org-principals',
      '300',
      '--fanout-principals',
      '40',
    ])
    expect(options).toEqual({
      size: 5000,
      sizes: [1000, 12_000],
      peerSample: 20,
      runs: 1,
      seed: 9,
      shapes: ['baseline', 'wildcard-heavy'],
      scaling: false,
      burst: false,
      orgAccounts: 50,
      orgPrincipals: 300,
      fanoutMembers: 5,
      fanoutPrincipals: 40,
    })
    expect(readOptions(['--no-org', '--org-accounts', '7']).orgAccounts).toBe(0)
    expect(readOptions(['--no-fanout', '--fanout-members', '3']).fanoutMembers).toBe(0)
    expect(readOptions(['--fanout-members', '3']).fanoutMembers).toBe(3)
    expect(readOptions(['--org-accounts', '7']).orgAccounts).toBe(7)
  })

  it.each([
    [['--shapes', 'baseline,huge'], /unknown shape huge/],
    [['--runs', '0'], /--runs must be a positive integer/],
    [['--sizes', '1000,abc'], /--sizes must be a positive integer/],
    [['--shape', 'baseline'], /unknown option --shape/],
    [['--runs'], /--runs needs a value/],
  ])('rejects %j', (args, message) => {
    expect(() => readOptions(args)).toThrow(UsageError)
    expect(() => readOptions(args)).toThrow(message)
  })
})

describe('runsAt', () => {
  it('runs as asked up to the matrix size and twice above it, never more than asked', () => {
    expect(runsAt(1000, { size: 12_000, runs: 3 })).toBe(3)
    expect(runsAt(12_000, { size: 12_000, runs: 3 })).toBe(3)
    expect(runsAt(50_000, { size: 12_000, runs: 3 })).toBe(2)
    expect(runsAt(50_000, { size: 12_000, runs: 1 })).toBe(1)
  })
})
