import { vi } from 'vitest'
import type { StepWriter } from '#shared/pipeline/ports.ts'
import type { RemediationStep } from '#shared/pipeline/remediation-steps.ts'
import { MemoryAccount } from '#test-support/emulator/memory-account.ts'

/** A MemoryAccount whose writer is a spy, so a test can see every step the guard wrote. */
export class MutableAccount extends MemoryAccount {
  readonly writer: StepWriter & { apply: ReturnType<typeof vi.fn> } = {
    apply: vi.fn(async (step: RemediationStep) => this.apply(step)),
  }
}
