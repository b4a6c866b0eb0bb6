/**
 * The detect use-case per sample event (events/*.json): IAM calls through the real IAM adapter
 * over a local moto_server, cold (fresh reader) and warm (same reader, same event again), and
 * the CPU time of the core over an in-memory account. Both paths read the same state: the
 * events account (detect-account.ts) as the event's call left it.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { IAMClient } from '@aws-sdk/client-iam'
import { IamAccountReader } from '#shared/aws/account-reader.ts'
import { countCalls } from '#shared/aws/call-counter.ts'
import { type GuardConfig, parseGuardConfig } from '#shared/config/guard-config.ts'
import { parseChangeEvent } from '#shared/events/parse-change-event.ts'
import type { ParseOutcome } from '#shared/events/types.ts'
import type { Baseline } from '#shared/pipeline/baseline.ts'
import { type DetectDeps, type DetectResult, detectChange } from '#shared/pipeline/detect-change.ts'
import { MemoryBaselineStore } from '#shared/pipeline/memory-baseline-store.ts'
import type { CoreLogger } from '#shared/pipeline/ports.ts'
import type { AccountReader } from '#shared/snapshot/account-reader.ts'
import { parseAccountSnapshot } from '#shared/snapshot/parse-snapshot.ts'
import { SnapshotReader } from '#shared/snapshot/snapshot-reader.ts'
import type { AccountSnapshot } from '#shared/snapshot/types.ts'
import { emulatorClientConfig, startMotoServer } from '#test-support/emulator/moto-server.ts'
import {
  buildEventsAccount,
  captureProtectedBaselines,
  type StateAfterChange,
  stateAfterChange,
} from './detect-account.ts'
import { median } from './peer-compare.ts'
import { addUserBoundaries, seedSnapshot } from './seed-snapshot.ts'
import { syncSnapshot } from './sync-snapshot.ts'

export interface DetectEventMeasurement {
  /** File name in events/ without `.json`. */
  readonly event: string
  readonly eventName: string
  /** The modelled IAM effect of the call; null when the account is read as seeded. */
  readonly mutation: string | null
  readonly verdict: string
  readonly findings: readonly string[]
  readonly iamCallsCold: number
  readonly iamCallsWarm: number
  readonly coldOperations: Readonly<Record<string, number>>
  readonly warmOperations: Readonly<Record<string, number>>
  /** Median of process.cpuUsage() (user + system) around detectChange with a SnapshotReader. */
  readonly cpuMsMedian: number
  readonly cpuMsMin: number
  /** Both paths asked the reader for the same entities and reached the same verdict and rules. */
  readonly pathsAgree: boolean
}

export interface DetectMeasurement {
  readonly account: string
  readonly config: string
  readonly cpuRuns: number
  readonly events: readonly DetectEventMeasurement[]
}

interface EventCase {
  readonly event: string
  readonly outcome: ParseOutcome
  readonly after: StateAfterChange
}

interface CpuResult {
  readonly result: DetectResult
  readonly reads: readonly string[]
  readonly medianMs: number
  readonly minMs: number
}

interface IamResult {
  readonly cold: DetectResult
  readonly reads: readonly string[]
  readonly coldOperations: Record<string, number>
  readonly warmOperations: Record<string, number>
}

const ACCOUNT_FILE = 'shared/examples/example-account.json'
const CONFIG_FILE = 'shared/examples/example-config.json'
/** Fixed clock: findings carry timestamps, and runs must be comparable. */
const NOW = '2024-06-01T12:00:00.000Z'
const SILENT: CoreLogger = { info: () => {}, warn: () => {} }

/**
 * Runs every sample event through `detectChange`: first in memory (`cpuRuns` times, CPU
 * measured), then against one moto_server, seeded once and brought to each event's state by
 * re-creating only what differs. Throws EmulatorMissingError when moto_server is not installed.
 */
export async function measureDetectPath(
  root: string,
  options: { readonly cpuRuns: number },
): Promise<DetectMeasurement> {
  // This script runs on Node 20; the SDK would warn about it once per process.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true'
  const example = parseAccountSnapshot(readJson(join(root, ACCOUNT_FILE)))
  const config = parseGuardConfig(readJson(join(root, CONFIG_FILE)))
  const before = buildEventsAccount(example)
  const baselines = captureProtectedBaselines(before, config, NOW)
  const cases = readEventCases(join(root, 'events'), before)
  const cpu: CpuResult[] = []
  for (const entry of cases) cpu.push(await measureCpu(entry, config, baselines, options.cpuRuns))
  const iam = await countIamCalls(before, cases, config, baselines)
  return {
    account: `${ACCOUNT_FILE} plus the entities the events name (${before.roles.length} roles, ${before.users.length} users, ${before.groups.length} groups, ${before.policies.length} managed policies)`,
    config: CONFIG_FILE,
    cpuRuns: options.cpuRuns,
    events: cases.map((entry, index) => {
      const memory = cpu[index]
      const network = iam[index]
      if (memory === undefined || network === undefined) throw new Error(`no result for ${entry.event}`)
      return {
        event: entry.event,
        eventName: memory.result.eventName ?? 'unknown',
        mutation: entry.after.mutation,
        verdict: network.cold.verdict,
        findings: rulesOf(network.cold),
        iamCallsCold: sum(network.coldOperations),
        iamCallsWarm: sum(network.warmOperations),
        coldOperations: network.coldOperations,
        warmOperations: network.warmOperations,
        cpuMsMedian: memory.medianMs,
        cpuMsMin: memory.minMs,
        pathsAgree:
          memory.reads.join('\n') === network.reads.join('\n') &&
          memory.result.verdict === network.cold.verdict &&
          rulesOf(memory.result).join() === rulesOf(network.cold).join(),
      }
    }),
  }
}

function readEventCases(dir: string, before: AccountSnapshot): EventCase[] {
  return readdirSync(dir)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => {
      const outcome = parseChangeEvent(readJson(join(dir, file)))
      const after =
        outcome.status === 'change'
          ? stateAfterChange(before, outcome.change)
          : { state: before, mutation: null }
      return { event: file.slice(0, -'.json'.length), outcome, after }
    })
}

function makeDeps(reader: AccountReader, config: GuardConfig, baselines: readonly Baseline[]): DetectDeps {
  // Each run starts from the same baselines: detect writes the ones it finds compliant.
  const store = new MemoryBaselineStore(baselines)
  return {
    reader,
    baselines: store,
    changes: store,
    publisher: { publish: async () => {} },
    config,
    mode: config.mode,
    logger: SILENT,
    now: () => new Date(NOW),
  }
}

async function measureCpu(
  entry: EventCase,
  config: GuardConfig,
  baselines: readonly Baseline[],
  runs: number,
): Promise<CpuResult> {
  const reader = new SnapshotReader(entry.after.state)
  // An untimed run records what the use-case reads, for the comparison with the IAM path.
  const recorder = new RecordingReader(reader)
  const result = await detectChange(entry.outcome, makeDeps(recorder, config, baselines))
  const times: number[] = []
  for (let run = 0; run < runs; run++) {
    const deps = makeDeps(reader, config, baselines)
    const start = process.cpuUsage()
    await detectChange(entry.outcome, deps)
    const used = process.cpuUsage(start)
    times.push((used.user + used.system) / 1000)
  }
  return { result, reads: recorder.reads(), medianMs: median(times), minMs: Math.min(...times) }
}

async function countIamCalls(
  before: AccountSnapshot,
  cases: readonly EventCase[],
  config: GuardConfig,
  baselines: readonly Baseline[],
): Promise<IamResult[]> {
  const moto = await startMotoServer()
  const seeder = new IAMClient(emulatorClientConfig(moto.endpoint))
  try {
    await seedSnapshot(seeder, before)
    let seeded = before
    const results: IamResult[] = []
    for (const entry of cases) {
      await syncSnapshot(seeder, seeded, entry.after.state)
      seeded = entry.after.state
      const iam = new IAMClient(emulatorClientConfig(moto.endpoint))
      addUserBoundaries(iam, entry.after.state)
      const counter = countCalls(iam)
      const reader = new IamAccountReader(iam)
      const recorder = new RecordingReader(reader)
      const cold = await detectChange(entry.outcome, makeDeps(recorder, config, baselines))
      const coldOperations = Object.fromEntries(counter.counts)
      counter.reset()
      await detectChange(entry.outcome, makeDeps(reader, config, baselines))
      results.push({
        cold,
        reads: recorder.reads(),
        coldOperations,
        warmOperations: Object.fromEntries(counter.counts),
      })
      iam.destroy()
    }
    return results
  } finally {
    seeder.destroy()
    await moto.stop()
  }
}

/** Logs which entities the use-case asks for, in a stable order (reads run concurrently). */
class RecordingReader implements AccountReader {
  readonly #inner: AccountReader
  readonly #log: string[] = []

  constructor(inner: AccountReader) {
    this.#inner = inner
  }

  reads(): string[] {
    return [...this.#log].sort()
  }

  readRole(name: string) {
    this.#log.push(`role ${name}`)
    return this.#inner.readRole(name)
  }

  readUser(name: string) {
    this.#log.push(`user ${name}`)
    return this.#inner.readUser(name)
  }

  readGroup(name: string) {
    this.#log.push(`group ${name}`)
    return this.#inner.readGroup(name)
  }

  listGroupMembers(name: string) {
    this.#log.push(`members of ${name}`)
    return this.#inner.listGroupMembers(name)
  }

  readManagedPolicy(arn: string) {
    this.#log.push(`policy ${arn}`)
    return this.#inner.readManagedPolicy(arn)
  }

  readPolicyVersion(arn: string, versionId: string) {
    this.#log.push(`policy ${arn} ${versionId}`)
    return this.#inner.readPolicyVersion(arn, versionId)
  }

  listPolicyHolders(arn: string) {
    this.#log.push(`holders of ${arn}`)
    return this.#inner.listPolicyHolders(arn)
  }
}

function rulesOf(result: DetectResult): string[] {
  return result.findings.map((finding) => finding.rule).sort()
}

function sum(counts: Readonly<Record<string, number>>): number {
  return Object.values(counts).reduce((total, count) => total + count, 0)
}

function readJson(path: string): unknown {
  return JSON.parse(readFileSync(path, 'utf8'))
}
