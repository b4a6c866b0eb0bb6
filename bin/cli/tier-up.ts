import { setFlagsFromString } from 'node:v8'

/**
 * Makes V8 wait longer before it hands a function to its optimising compiler (TurboFan), for the
 * CLI's run: eight times the calls or bytecode it waits for by default.
 *
 * An audit is one pass over the account: V8's default optimises hundreds of functions from their
 * first few thousand calls, on type feedback the rest of the account then contradicts, and throws
 * the code away again (on `baseline` at 12,000 principals, 171 functions optimised and 33 thrown
 * away, against 54 and 6 so). On a 2-core machine the compiler's threads also take turns with the
 * collector's. Measured alternately on the six bench shapes (docs/benchmarks.md): 11–18% less
 * wall time at 12,000 principals on Node 20, 13–29% at 5,000, 0–5% at 50,000, and 4–12% at
 * 12,000 on Node 22.
 *
 * The flag differs by V8 version, and so does its default: `--interrupt-budget` (66 KB of
 * bytecode) up to V8 11 (Node 20), `--invocation-count-for-turbofan` (3,000) in V8 12 (Node 22).
 * Node 24's V8 13 has a mid tier (Maglev) between the two, and delaying TurboFan there made no
 * difference that runs could tell apart: it, and any V8 not measured, is left alone. So is a
 * tiering the user chose on Node's command line or in NODE_OPTIONS. Returns the flag it set.
 */
export function optimizeLater(): string | undefined {
  const flag = laterTierUpFlag()
  if (flag !== undefined) setFlagsFromString(flag)
  return flag
}

/** The flag optimizeLater sets for this V8 and these Node options, if any (see optimizeLater). */
export function laterTierUpFlag(
  v8Version: string = process.versions.v8,
  nodeOptions: readonly string[] = [...process.execArgv, process.env.NODE_OPTIONS ?? ''],
): string | undefined {
  const flag = LATER_TIER_UP.get(Number.parseInt(v8Version, 10))
  if (flag === undefined) return undefined
  if (nodeOptions.some((option) => USER_TIERING.test(option))) return undefined
  return flag
}

/** The flag, per V8 major, that puts TurboFan at eight times its default wait. */
const LATER_TIER_UP: ReadonlyMap<number, string> = new Map([
  [11, `--interrupt-budget=${8 * 66 * 1024}`],
  [12, `--invocation-count-for-turbofan=${8 * 3000}`],
])

/** Options by which a user sets when V8 optimises. */
const USER_TIERING = /interrupt[-_]budget|invocation[-_]count[-_]for[-_]turbofan/
