import { GUARD_MODES, type GuardMode } from '#shared/pipeline/bus-events.ts'

/** A flag of `npm run chaos` is unknown or has a bad value. */
export class ChaosUsageError extends Error {
  override readonly name = 'ChaosUsageError'
}

/** The phases, in the order they run. */
export const CHAOS_PHASES = ['campaign', 'duplicates', 'ordering', 'quiescence', 'burst'] as const
/** One of CHAOS_PHASES. */
export type ChaosPhase = (typeof CHAOS_PHASES)[number]

/** Everything `npm run chaos` can be told. */
export interface ChaosOptions {
  readonly phases: readonly ChaosPhase[]
  readonly events: number
  readonly faultRate: number
  readonly seed: number
  readonly mode: GuardMode
  /** Timeout of the event-driven functions in the campaign and the exact phases (ms). */
  readonly timeoutMs: number
  /** Execution environments per function. */
  readonly concurrency: number
  /** Changes per duplicates group (delivered 10× in turn / 10× at once). */
  readonly duplicateChanges: number
  readonly duplicateCopies: number
  readonly burstEvents: number
  readonly burstSeconds: number
  readonly burstIamRps: number
  readonly burstIamBurst: number
  /** Skip `npm run build` (the bundles in dist/ are used as they are). */
  readonly skipBuild: boolean
}

/** The defaults: the full campaign of the reliability section. */
export const DEFAULT_CHAOS_OPTIONS: ChaosOptions = {
  phases: CHAOS_PHASES,
  events: 1000,
  faultRate: 0.2,
  seed: 20250310,
  mode: 'enforce',
  timeoutMs: 5000,
  concurrency: 4,
  duplicateChanges: 100,
  duplicateCopies: 10,
  burstEvents: 300,
  burstSeconds: 60,
  burstIamRps: 25,
  burstIamBurst: 25,
  skipBuild: false,
}

const USAGE =
  'usage: npm run chaos -- [--events N] [--fault-rate R] [--seed S] [--mode monitor|enforce] ' +
  '[--phases campaign,duplicates,ordering,quiescence,burst] [--timeout-ms MS] [--concurrency N] ' +
  '[--duplicate-changes N] [--duplicate-copies N] [--burst-events N] [--burst-seconds S] ' +
  '[--burst-iam-rps N] [--burst-iam-burst N] [--skip-build]'

/** Reads `--name value` flags over the defaults. @throws ChaosUsageError */
export function parseChaosOptions(args: readonly string[]): ChaosOptions {
  const values = new Map<string, string>()
  let skipBuild = DEFAULT_CHAOS_OPTIONS.skipBuild
  for (let index = 0; index < args.length; index++) {
    const flag = args[index] as string
    if (flag === '--skip-build') {
      skipBuild = true
      continue
    }
    const value = args[index + 1]
    if (!flag.startsWith('--') || value === undefined)
      throw new ChaosUsageError(`bad argument ${flag}\n${USAGE}`)
    values.set(flag.slice(2), value)
    index++
  }
  const defaults = DEFAULT_CHAOS_OPTIONS
  const take = (name: string): string | undefined => {
    const value = values.get(name)
    values.delete(name)
    return value
  }
  const options: ChaosOptions = {
    phases: readPhases(take('phases')) ?? defaults.phases,
    events: readInteger('events', take('events'), 1) ?? defaults.events,
    faultRate: readRate(take('fault-rate')) ?? defaults.faultRate,
    seed: readInteger('seed', take('seed'), 0) ?? defaults.seed,
    mode: readMode(take('mode')) ?? defaults.mode,
    timeoutMs: readInteger('timeout-ms', take('timeout-ms'), 100) ?? defaults.timeoutMs,
    concurrency: readInteger('concurrency', take('concurrency'), 1) ?? defaults.concurrency,
    duplicateChanges:
      readInteger('duplicate-changes', take('duplicate-changes'), 1) ?? defaults.duplicateChanges,
    duplicateCopies: readInteger('duplicate-copies', take('duplicate-copies'), 2) ?? defaults.duplicateCopies,
    burstEvents: readInteger('burst-events', take('burst-events'), 1) ?? defaults.burstEvents,
    burstSeconds: readInteger('burst-seconds', take('burst-seconds'), 1) ?? defaults.burstSeconds,
    burstIamRps: readInteger('burst-iam-rps', take('burst-iam-rps'), 1) ?? defaults.burstIamRps,
    burstIamBurst: readInteger('burst-iam-burst', take('burst-iam-burst'), 1) ?? defaults.burstIamBurst,
    skipBuild,
  }
  const [unknown] = values.keys()
  if (unknown !== undefined) throw new ChaosUsageError(`unknown flag --${unknown}\n${USAGE}`)
  return options
}

function readInteger(name: string, text: string | undefined, min: number): number | undefined {
  if (text === undefined) return undefined
  const value = Number(text)
  if (!Number.isInteger(value) || value < min)
    throw new ChaosUsageError(`--${name} must be an integer ≥ ${min}`)
  return value
}

function readRate(text: string | undefined): number | undefined {
  if (text === undefined) return undefined
  const value = Number(text)
  if (!(value >= 0 && value <= 1)) throw new ChaosUsageError('--fault-rate must be a number within 0 and 1')
  return value
}

function readMode(text: string | undefined): GuardMode | undefined {
  if (text === undefined) return undefined
  const mode = GUARD_MODES.find((known) => known === text)
  if (mode === undefined) throw new ChaosUsageError(`--mode must be one of ${GUARD_MODES.join(', ')}`)
  return mode
}

function readPhases(text: string | undefined): ChaosPhase[] | undefined {
  if (text === undefined) return undefined
  const phases = text.split(',').map((name) => {
    const phase = CHAOS_PHASES.find((known) => known === name.trim())
    if (phase === undefined)
      throw new ChaosUsageError(`unknown phase ${name}; phases: ${CHAOS_PHASES.join(', ')}`)
    return phase
  })
  return CHAOS_PHASES.filter((phase) => phases.includes(phase))
}
