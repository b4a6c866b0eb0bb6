/**
 * Long property runs over the parsers that read untrusted input: policy documents, account
 * exports (as objects, and as the bytes of a file, damaged or not), CloudTrail events and the
 * guard config. Each must return its typed outcome or throw only the error it documents
 * (SnapshotError, ConfigError); anything else is a failure.
 * Usage: `npm run fuzz -- [--runs N] [--seed N] [--only NAME]` (default 100000 runs per target).
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { isDeepStrictEqual, parseArgs } from 'node:util'
import fc from 'fast-check'
import { ConfigError, parseGuardConfig } from '#shared/config/guard-config.ts'
import { parseChangeEvent } from '#shared/events/parse-change-event.ts'
import { EventParseError } from '#shared/events/types.ts'
import { parsePolicyDocument } from '#shared/policy/parse-policy.ts'
import type { PolicyKind } from '#shared/policy/types.ts'
import { DOCUMENT_PLACES, documentsToText } from '#shared/snapshot/document-text.ts'
import { parseExportText } from '#shared/snapshot/export-text.ts'
import { parseAccountSnapshot, SnapshotError } from '#shared/snapshot/parse-snapshot.ts'
import {
  damage,
  damageArbitrary,
  documentsDecoded,
  jsonOrUndefined,
} from '#test-support/arbitraries/export-damage.ts'
import { mutationsOf } from '#test-support/arbitraries/json-mutation.ts'
import {
  encodedLookingStringArbitrary,
  policyInputArbitrary,
} from '#test-support/arbitraries/policy-arbitraries.ts'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const DEFAULT_RUNS = 100_000

interface FuzzOptions {
  readonly runs: number
  readonly seed: number
  readonly only?: string
}

interface FuzzSummary {
  readonly failed: boolean
  readonly numRuns: number
  readonly error?: string
  readonly counterexample?: string
  readonly replay?: string
}

interface FuzzTarget {
  readonly name: string
  readonly run: (options: FuzzOptions) => FuzzSummary
}

/** A target: inputs, and a check that throws when an outcome breaks the parser's contract. */
function defineTarget<T>(name: string, input: fc.Arbitrary<T>, check: (value: T) => void): FuzzTarget {
  return {
    name,
    run: ({ runs, seed }) => {
      const details = fc.check(fc.property(input, check), { numRuns: runs, seed })
      if (!details.failed) return { failed: false, numRuns: details.numRuns }
      const error = details.errorInstance
      return {
        failed: true,
        numRuns: details.numRuns,
        error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
        counterexample: fc.stringify(details.counterexample),
        replay: `--seed ${details.seed} (path ${details.counterexamplePath ?? 'none'})`,
      }
    },
  }
}

/** An invariant the parser's contract promises, broken. */
class ContractViolation extends Error {
  override readonly name = 'ContractViolation'
}

function ensure(condition: boolean, message: string): void {
  if (!condition) throw new ContractViolation(message)
}

function readJson(...segments: string[]): unknown {
  return JSON.parse(readFileSync(join(ROOT, ...segments), 'utf8'))
}

function readJsonDir(...segments: string[]): unknown[] {
  return readdirSync(join(ROOT, ...segments))
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => readJson(...segments, name))
}

/** Mutations of every sample, picked evenly. */
function mutationsOfEach(samples: readonly unknown[]): fc.Arbitrary<unknown> {
  return fc.oneof(...samples.map((sample) => mutationsOf(sample)))
}

const jsonText = fc.jsonValue().map((value) => JSON.stringify(value))

function buildTargets(): FuzzTarget[] {
  const exampleAccount = readJson('shared', 'examples', 'example-account.json')
  const exampleConfig = readJson('shared', 'examples', 'example-config.json')
  const events = [...readJsonDir('events'), ...readJsonDir('test', 'fixtures', 'cloudtrail')]
  return [
    defineTarget(
      'parsePolicyDocument',
      fc.tuple(
        fc.oneof(fc.jsonValue(), fc.string(), jsonText, encodedLookingStringArbitrary, policyInputArbitrary),
        fc.constantFrom<PolicyKind>('identity', 'trust'),
      ),
      ([document, kind]) => {
        const result = parsePolicyDocument(document, 'fuzzed', kind)
        if (result.ok) {
          ensure(result.policy.statements.length > 0, 'a parsed policy has no statement')
        } else {
          ensure(typeof result.issue.path === 'string', 'an issue without a string path')
          ensure(result.issue.policy === 'fuzzed', 'an issue that does not name the policy')
        }
      },
    ),
    defineTarget('parseAccountSnapshot', fc.oneof(fc.jsonValue(), mutationsOf(exampleAccount)), (input) => {
      try {
        const snapshot = parseAccountSnapshot(input)
        ensure(/^\d{12}$/.test(snapshot.accountId), `account ID ${snapshot.accountId}`)
      } catch (error) {
        if (!(error instanceof SnapshotError)) throw error
        ensure(typeof error.path === 'string', 'a SnapshotError without a string path')
      }
    }),
    defineTarget(
      'parseExportText',
      fc.tuple(mutationsOf(exampleAccount), fc.constantFrom(0, 2, 4), damageArbitrary),
      ([value, indent, harm]) => {
        // An export as the CLI reads it, whole or damaged: read as JSON.parse reads it, or not at all.
        const text = damage(JSON.stringify(value, null, indent) ?? '', harm)
        const read = parseExportText(Buffer.from(text), DOCUMENT_PLACES, documentsToText)
        if (read === undefined) return
        const whole = jsonOrUndefined(text)
        ensure(whole !== undefined, 'read an export JSON.parse refuses')
        ensure(
          isDeepStrictEqual(documentsDecoded(read), documentsDecoded(whole)),
          'read an export otherwise than JSON.parse',
        )
      },
    ),
    defineTarget('parseChangeEvent', fc.oneof(fc.jsonValue(), mutationsOfEach(events)), (input) => {
      const outcome = parseChangeEvent(input)
      switch (outcome.status) {
        case 'change':
          ensure(outcome.change.eventId.length > 0, 'a change without an event ID')
          ensure(
            outcome.change.failed === (outcome.change.errorCode !== undefined),
            'failed and errorCode disagree',
          )
          break
        case 'ignored':
          ensure(['unknown-event', 'read-only', 'not-cloudtrail'].includes(outcome.reason), outcome.reason)
          break
        case 'invalid':
          ensure(outcome.error instanceof EventParseError, 'an invalid outcome without EventParseError')
          ensure(typeof outcome.error.path === 'string', 'an EventParseError without a string path')
          break
        default:
          throw new ContractViolation(`unknown outcome ${JSON.stringify(outcome)}`)
      }
    }),
    defineTarget('parseGuardConfig', fc.oneof(fc.jsonValue(), mutationsOf(exampleConfig)), (input) => {
      try {
        const config = parseGuardConfig(input)
        ensure(config.mode === 'monitor' || config.mode === 'enforce', `mode ${String(config.mode)}`)
      } catch (error) {
        if (!(error instanceof ConfigError)) throw error
        ensure(error.issues.length > 0, 'a ConfigError without issues')
        ensure(
          error.issues.every((issue) => issue.path.startsWith('config')),
          'a config issue whose path does not start at config',
        )
      }
    }),
  ]
}

function readOptions(argv: readonly string[]): FuzzOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: { runs: { type: 'string' }, seed: { type: 'string' }, only: { type: 'string' } },
    strict: true,
  })
  const runs = values.runs === undefined ? DEFAULT_RUNS : Number(values.runs)
  if (!Number.isInteger(runs) || runs <= 0)
    throw new Error(`--runs must be a positive integer, got ${values.runs}`)
  const seed = values.seed === undefined ? Math.floor(Math.random() * 2 ** 31) : Number(values.seed)
  if (!Number.isInteger(seed)) throw new Error(`--seed must be an integer, got ${values.seed}`)
  return { runs, seed, ...(values.only === undefined ? {} : { only: values.only }) }
}

function runTarget(target: FuzzTarget, options: FuzzOptions): boolean {
  const started = performance.now()
  const summary = target.run(options)
  const seconds = ((performance.now() - started) / 1000).toFixed(1)
  const verdict = summary.failed ? 'FAILED' : 'ok'
  console.log(
    `${target.name.padEnd(22)} ${String(summary.numRuns).padStart(8)} runs ${seconds.padStart(7)} s  ${verdict}`,
  )
  if (summary.failed) {
    console.log(`  error: ${summary.error}`)
    console.log(`  counterexample: ${summary.counterexample}`)
    console.log(`  replay: ${summary.replay}`)
  }
  return !summary.failed
}

function main(): void {
  const options = readOptions(process.argv.slice(2))
  const targets = buildTargets().filter(
    (target) => options.only === undefined || target.name === options.only,
  )
  if (targets.length === 0) throw new Error(`--only ${options.only}: no such target`)
  console.log(`fuzzing with seed ${options.seed}, ${options.runs} runs per target`)
  const results = targets.map((target) => runTarget(target, options))
  process.exitCode = results.every(Boolean) ? 0 : 1
}

try {
  main()
} catch (error) {
  console.error(`fuzz: ${error instanceof Error ? error.message : String(error)}`)
  process.exitCode = 2
}
