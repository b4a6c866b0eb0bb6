import type { Baseline } from './baseline.ts'
import type { BusEvent } from './bus-events.ts'
import type { RemediationStep } from './remediation-steps.ts'

/** Last known-good state of protected principals. */
export interface BaselineStore {
  get(accountId: string, principalArn: string): Promise<Baseline | undefined>
  put(baseline: Baseline): Promise<void>
  list(accountId: string): Promise<readonly Baseline[]>
}

/** Puts guard events on the findings bus. */
export interface FindingsPublisher {
  publish(events: readonly BusEvent[]): Promise<void>
}

/** Applies one revert step to IAM. */
export interface StepWriter {
  apply(step: RemediationStep): Promise<void>
}

/** The few Logger methods the core uses (Powertools' Logger satisfies it). */
export interface CoreLogger {
  info(message: string, ...extra: Record<string, unknown>[]): void
  warn(message: string, ...extra: Record<string, unknown>[]): void
}
