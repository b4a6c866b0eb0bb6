/**
 * The pipeline sections of the benchmark: the detect path per sample event (IAM calls against
 * moto_server, CPU of the core in memory; also written to dist/bench-detect.json) and the
 * Lambda bundles (size, module init time against a bare-SDK bundle). Every number is measured
 * here; a section that cannot run says why instead of showing numbers.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { EmulatorMissingError } from '#test-support/emulator/moto-server.ts'
import { type DetectEventMeasurement, type DetectMeasurement, measureDetectPath } from './detect.ts'
import { type InitMeasurement, measureBundleInit } from './init.ts'
import { median } from './peer-compare.ts'
import { formatMs, renderTable } from './table.ts'

export const CPU_RUNS = 50
export const INIT_SPAWNS = 15
export const PIPELINE_TARGETS = { warmCalls: 3, cpuMs: 5, bundleKb: 350, initRatio: 1.3 } as const
/** The single-principal policy events the detect targets are stated over. */
export const TARGET_EVENTS = /^(attach|detach|put)-(role|user|group)-policy$/

export type Measured<T> =
  | { readonly status: 'measured'; readonly value: T }
  | { readonly status: 'not-measured'; readonly reason: string }

export interface PipelineSections {
  readonly detect: Measured<DetectMeasurement>
  readonly init: InitMeasurement
}

export interface TargetCheck {
  readonly target: string
  readonly actual: string
  /** null when the measurement could not run. */
  readonly met: boolean | null
}

/**
 * Measures both sections and writes dist/bench-detect.json. A missing moto_server leaves the
 * detect section not measured (with the reason); any other failure is thrown.
 */
export async function measurePipelineSections(root: string): Promise<PipelineSections> {
  let detect: Measured<DetectMeasurement>
  try {
    detect = { status: 'measured', value: await measureDetectPath(root, { cpuRuns: CPU_RUNS }) }
  } catch (error) {
    if (!(error instanceof EmulatorMissingError)) throw error
    detect = { status: 'not-measured', reason: error.message }
  }
  mkdirSync(join(root, 'dist'), { recursive: true })
  writeFileSync(
    join(root, 'dist', 'bench-detect.json'),
    `${JSON.stringify({ schemaVersion: 1, generatedAt: new Date().toISOString(), ...detect }, null, 2)}\n`,
  )
  return { detect, init: await measureBundleInit(root, { spawns: INIT_SPAWNS }) }
}

/** Medians over the TARGET_EVENTS; null when none of them was measured. */
export function summarizeTargetEvents(
  events: readonly DetectEventMeasurement[],
): { events: number; warmCalls: number; cpuMs: number } | null {
  const selected = events.filter((entry) => TARGET_EVENTS.test(entry.event))
  if (selected.length === 0) return null
  return {
    events: selected.length,
    warmCalls: median(selected.map((entry) => entry.iamCallsWarm)),
    cpuMs: median(selected.map((entry) => entry.cpuMsMedian)),
  }
}

export function checkPipelineTargets(sections: PipelineSections): TargetCheck[] {
  const t = PIPELINE_TARGETS
  const over = 'median over the attach/detach/put {role,user,group} policy events'
  const summary =
    sections.detect.status === 'measured' ? summarizeTargetEvents(sections.detect.value.events) : null
  const functions = sections.init.functions
  const largest = [...functions].sort((a, b) => b.codeBytes - a.codeBytes)[0]
  const ratio = (entry: (typeof functions)[number]) => entry.initMsMedian / entry.bareInitMsMedian
  const slowest = [...functions].sort((a, b) => ratio(b) - ratio(a))[0]
  return [
    {
      target: `detect: warm IAM calls ≤ ${t.warmCalls} (${over})`,
      actual: summary ? `${summary.warmCalls} (${summary.events} events)` : 'not measured',
      met: summary ? summary.warmCalls <= t.warmCalls : null,
    },
    {
      target: `detect: CPU ≤ ${t.cpuMs} ms (${over})`,
      actual: summary ? `${summary.cpuMs.toFixed(2)} ms` : 'not measured',
      met: summary ? summary.cpuMs <= t.cpuMs : null,
    },
    {
      target: `every function bundle ≤ ${t.bundleKb} KB`,
      actual: largest ? `largest ${largest.function} ${kb(largest.codeBytes)} KB` : 'not measured',
      met: largest ? largest.codeBytes / 1024 <= t.bundleKb : null,
    },
    {
      target: `every function's init ≤ ${t.initRatio}× its bare-SDK bundle's`,
      actual: slowest ? `highest ${slowest.function} ${ratio(slowest).toFixed(2)}×` : 'not measured',
      met: slowest ? functions.every((entry) => ratio(entry) <= t.initRatio) : null,
    },
  ]
}

/** `GetRole 1, ListRolePolicies 1`: operations in the order they were first sent. */
export function formatOperations(counts: Readonly<Record<string, number>>): string {
  const entries = Object.entries(counts)
  return entries.length === 0 ? '—' : entries.map(([name, count]) => `${name} ${count}`).join(', ')
}

/** Rules with repeats folded: `SUPPORT_ACCESS_GRANTED ×2`. */
export function formatRules(rules: readonly string[]): string {
  const counts = new Map<string, number>()
  for (const rule of rules) counts.set(rule, (counts.get(rule) ?? 0) + 1)
  if (counts.size === 0) return '—'
  return [...counts].map(([rule, count]) => (count > 1 ? `${rule} ×${count}` : rule)).join(', ')
}

function kb(bytes: number): string {
  return (bytes / 1024).toFixed(1)
}

function renderDetect(value: DetectMeasurement): string[] {
  const summary = summarizeTargetEvents(value.events)
  return [
    ...renderTable(
      [
        'event',
        'call',
        'IAM effect applied',
        'verdict',
        'findings',
        'IAM calls cold',
        'IAM calls warm',
        'warm calls by operation',
        'CPU ms (median)',
        'paths agree',
      ],
      value.events.map((entry) => [
        entry.event,
        entry.eventName,
        entry.mutation ?? '—',
        entry.verdict,
        formatRules(entry.findings),
        String(entry.iamCallsCold),
        String(entry.iamCallsWarm),
        formatOperations(entry.warmOperations),
        entry.cpuMsMedian.toFixed(2),
        entry.pathsAgree ? 'yes' : 'NO',
      ]),
    ),
    '',
    `Account: ${value.account}; config ${value.config} (mode monitor); baselines of the protected principals recorded from the account before the event. Each event is judged against the account as its call left it (the mutation model of \`replay\`; — = read as seeded: failed calls, Support App calls, and calls whose effect the account already shows or that reads do not see).`,
    '',
    'IAM calls: every operation sent through the IAMClient of `IamAccountReader` (countCalls middleware; SDK retries not counted) while `detectChange` runs against moto_server seeded with that state. Cold = fresh client and reader; warm = the same reader, same event again (AWS managed policies come from its cache; customer managed ones are asked with GetPolicy every time, their version documents cached). moto 5.2 keeps no user permissions boundary, so GetUser answers get the seeded boundary added (roles keep theirs).',
    '',
    `CPU: process.cpuUsage() (user + system) around \`detectChange\` with a SnapshotReader over the same state, median of ${value.cpuRuns} runs after one untimed run; no network. Paths agree: both paths read the same entities and reached the same verdict and rules.`,
    ...(summary
      ? [
          '',
          `Attach/detach/put policy events (${summary.events}): median warm IAM calls ${summary.warmCalls}, median CPU ${summary.cpuMs.toFixed(2)} ms.`,
        ]
      : []),
  ]
}

function renderInit(value: InitMeasurement): string[] {
  return [
    ...renderTable(
      [
        'function',
        '@aws-sdk packages (external)',
        'code KB',
        'bare-SDK KB',
        `init ms (median of ${value.spawns})`,
        'bare-SDK init ms',
        'ours / bare',
      ],
      value.functions.map((entry) => [
        entry.function,
        entry.sdkPackages.map((name) => name.replace('@aws-sdk/', '')).join(', '),
        kb(entry.codeBytes),
        kb(entry.bareCodeBytes),
        formatMs(entry.initMsMedian),
        formatMs(entry.bareInitMsMedian),
        `${(entry.initMsMedian / entry.bareInitMsMedian).toFixed(2)}×`,
      ]),
    ),
    '',
    `Bundles from \`scripts/build.ts\` (template esbuild Metadata; source maps not counted). Bare SDK: an entry that imports the same @aws-sdk packages, creates the same clients and exports a handler, built with the same options. Init: \`await import()\` of the bundle in a fresh \`node ${value.node} --input-type=module\` (Lambda runs nodejs22.x on arm64), ours and bare alternating; @aws-sdk resolved from node_modules, as the runtime provides it. Environment: the function's variables from template.yaml (Globals and its own, NODE_OPTIONS included; intrinsics replaced by dummy values) plus AWS_REGION=us-east-1 and AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true; dist/bench.json lists them.`,
  ]
}

export function renderPipelineSections(sections: PipelineSections): string[] {
  const lines = ['## Detect path per event type (pipeline)', '']
  if (sections.detect.status === 'measured') lines.push(...renderDetect(sections.detect.value))
  else lines.push(`not measured: ${sections.detect.reason}`)
  lines.push('', '## Bundle size and module init (pipeline)', '')
  lines.push(...renderInit(sections.init))
  return lines
}
