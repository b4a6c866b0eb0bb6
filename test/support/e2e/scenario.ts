import type { GuardMode } from '#shared/pipeline/bus-events.ts'
import type { E2eHarness } from './harness.ts'
import type { PipelineTrace } from './pipeline-trace.ts'

/** One thing that happened in a scenario and what the guard made of it. */
export interface ScenarioStep {
  /** The IAM change or delivery, in words. */
  readonly change: string
  readonly trace: PipelineTrace
}

/** A story played against the emulator: shared by the end-to-end tests and `npm start`. */
export interface Scenario {
  readonly id: string
  readonly title: string
  readonly mode: GuardMode
  run(harness: E2eHarness): Promise<ScenarioStep[]>
  /** Puts IAM back where the guard, by design, leaves it changed (monitor mode, for instance). */
  cleanup?(harness: E2eHarness): Promise<void>
}

export interface ScenarioResult {
  /** What the timeline names: the organisation's scenario runs on a harness of its own. */
  readonly scenario: Pick<Scenario, 'id' | 'title' | 'mode'>
  readonly steps: readonly ScenarioStep[]
  readonly durationMs: number
}

/** Switches the guard's mode if the scenario needs another, starts a clean slate, plays the scenario. */
export async function playScenario(harness: E2eHarness, scenario: Scenario): Promise<ScenarioResult> {
  const started = Date.now()
  if (harness.mode !== scenario.mode) await harness.useMode(scenario.mode)
  await harness.startScenario()
  const steps = await scenario.run(harness)
  return { scenario, steps, durationMs: Date.now() - started }
}
