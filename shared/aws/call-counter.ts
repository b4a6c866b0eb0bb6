import type { MiddlewareStack } from '@smithy/types'

export interface CallCounter {
  /** Calls per operation name (`GetRole`, `ListAttachedRolePolicies`, ...). */
  readonly counts: Map<string, number>
  total(): number
  reset(): void
}

const MIDDLEWARE_NAME = 'supportGuardCallCounter'
const COMMAND_SUFFIX = 'Command'

/**
 * Counts the operations sent through an SDK client. The middleware sits in the initialize
 * step, so each `send` counts once however many times the retry strategy repeats it.
 * Counting again on the same client replaces the previous counter.
 */
export function countCalls<Input extends object, Output extends object>(client: {
  readonly middlewareStack: MiddlewareStack<Input, Output>
}): CallCounter {
  const counts = new Map<string, number>()
  client.middlewareStack.remove(MIDDLEWARE_NAME)
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const command = context.commandName ?? 'unknown'
      const operation = command.endsWith(COMMAND_SUFFIX) ? command.slice(0, -COMMAND_SUFFIX.length) : command
      counts.set(operation, (counts.get(operation) ?? 0) + 1)
      return next(args)
    },
    { step: 'initialize', name: MIDDLEWARE_NAME },
  )
  return {
    counts,
    total: () => [...counts.values()].reduce((sum, count) => sum + count, 0),
    reset: () => counts.clear(),
  }
}
