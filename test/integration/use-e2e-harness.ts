import { afterAll, beforeAll } from 'vitest'
import type { GuardMode } from '#shared/pipeline/bus-events.ts'
import { type E2eHarness, startE2eHarness } from '#test-support/e2e/harness.ts'
import type { ScenarioStep } from '#test-support/e2e/scenario.ts'

/**
 * One emulator and guard per test file: started before the file's tests, stopped after them.
 * There is no skip when moto_server is missing: startE2eHarness throws EmulatorMissingError
 * and every test of the file fails.
 */
export function useE2eHarness(mode: GuardMode): () => E2eHarness {
  let started: E2eHarness | undefined
  beforeAll(async () => {
    started = await startE2eHarness({ mode })
  })
  afterAll(async () => {
    await started?.stop()
  })
  return () => {
    if (!started) throw new Error('the emulator harness did not start')
    return started
  }
}

/** The single step of a one-step scenario. */
export function onlyStep(steps: readonly ScenarioStep[]): ScenarioStep {
  const [step] = steps
  if (steps.length !== 1 || !step) throw new Error(`expected one step, got ${steps.length}`)
  return step
}
