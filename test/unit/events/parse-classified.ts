import { parseChangeEvent } from '#shared/events/parse-change-event.ts'
import type { ChangeEvent } from '#shared/events/types.ts'

/** Parses an event the guard classifies, as detect does; throws when it is not one. */
export function parseClassified(input: unknown): ChangeEvent {
  const outcome = parseChangeEvent(input)
  if (outcome.status !== 'change') throw new Error(`not a classified call: ${JSON.stringify(outcome)}`)
  return outcome.change
}
