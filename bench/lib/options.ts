import { DEFAULT_SEED, SHAPE_MATRIX } from '#test-support/synthetic/synthetic-account.ts'

export interface BenchOptions {
  /** Principals of the shape matrix (the CLI, in-process and end-to-end figures). */
  readonly size: number
  /** Sizes of the scaling section; the matrix size among them reuses the matrix figures. */
  readonly sizes: readonly number[]
  readonly peerSample: number
  /** CLI and in-process runs at the matrix size and below; one run above it. */
  readonly runs: number
  readonly seed: number
  /** Names from SHAPE_MATRIX, in its order. */
  readonly shapes: readonly string[]
  readonly scaling: boolean
  /** Run the burst section (two runs of about 80 s each on the emulator). */
  readonly burst: boolean
  /** The organisation section: this many accounts of `orgPrincipals` each; 0 skips it. */
  readonly orgAccounts: number
  readonly orgPrincipals: number
  /** The fan-out section (needs moto_server): this many member accounts of `fanoutPrincipals` each; 0 skips it. */
  readonly fanoutMembers: number
  readonly fanoutPrincipals: number
}

export class UsageError extends Error {
  override readonly name = 'UsageError'
}

const VALUED = [
  '--size',
  '--sizes',
  '--peer-sample',
  '--runs',
  '--seed',
  '--shapes',
  '--org-accounts',
  '--org-principals',
  '--fanout-members',
  '--fanout-principals',
] as const
const FLAGS = ['--no-burst', '--no-scaling', '--no-org', '--no-fanout'] as const

export function readOptions(args: readonly string[]): BenchOptions {
  for (let index = 0; index < args.length; index++) {
    const arg = args[index] as string
    if (VALUED.some((name) => name === arg)) index++
    else if (!FLAGS.some((name) => name === arg)) throw new UsageError(`unknown option ${arg}`)
  }
  const value = (name: (typeof VALUED)[number]) => {
    const index = args.indexOf(name)
    if (index < 0) return undefined
    const text = args[index + 1]
    if (text === undefined) throw new UsageError(`${name} needs a value`)
    return text
  }
  const positive = (name: string, text: string | undefined, fallback: number) => {
    const number = text === undefined ? fallback : Number(text)
    if (!Number.isInteger(number) || number <= 0) throw new UsageError(`${name} must be a positive integer`)
    return number
  }
  const sizes = (value('--sizes') ?? '1000,5000,12000,50000')
    .split(',')
    .map((text) => positive('--sizes', text, 0))
  const known = SHAPE_MATRIX.map((entry) => entry.name)
  const asked = value('--shapes')?.split(',') ?? known
  const unknown = asked.filter((name) => !known.includes(name))
  if (unknown.length > 0)
    throw new UsageError(`unknown shape ${unknown.join(', ')}; known: ${known.join(', ')}`)
  return {
    size: positive('--size', value('--size'), 12_000),
    sizes: [...new Set(sizes)].sort((left, right) => left - right),
    peerSample: positive('--peer-sample', value('--peer-sample'), 200),
    runs: positive('--runs', value('--runs'), 3),
    seed: positive('--seed', value('--seed'), DEFAULT_SEED),
    shapes: known.filter((name) => asked.includes(name)),
    scaling: !args.includes('--no-scaling'),
    burst: !args.includes('--no-burst'),
    orgAccounts: args.includes('--no-org') ? 0 : positive('--org-accounts', value('--org-accounts'), 50),
    orgPrincipals: positive('--org-principals', value('--org-principals'), 2000),
    fanoutMembers: args.includes('--no-fanout')
      ? 0
      : positive('--fanout-members', value('--fanout-members'), 5),
    fanoutPrincipals: positive('--fanout-principals', value('--fanout-principals'), 500),
  }
}

/**
 * Runs at one scaling size: as many as asked up to the matrix size, two above it (at most as
 * many as asked), so that one slow run of this shared machine does not make the figure.
 */
export function runsAt(size: number, options: Pick<BenchOptions, 'size' | 'runs'>): number {
  return size > options.size ? Math.min(2, options.runs) : options.runs
}
