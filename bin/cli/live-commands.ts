import { UsageError } from './errors.ts'
import type { LiveCommands } from './run-cli.ts'

/** Commands that talk to AWS. */
export const liveCommands: LiveCommands = {
  readLiveSnapshot: async () => {
    throw new UsageError('audit --live is not available yet')
  },
  replay: async () => {
    throw new UsageError('replay is not available yet')
  },
}
