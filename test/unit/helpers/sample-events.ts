import { readdirSync, readFileSync } from 'node:fs'
import { parseChangeEvent } from '#shared/events/parse-change-event.ts'
import type { ChangeEvent } from '#shared/events/types.ts'

const EVENTS_DIR = new URL('../../../events/', import.meta.url)

/** Every sample event file name in `events/`. */
export function listEventFiles(): string[] {
  return readdirSync(EVENTS_DIR)
    .filter((name) => name.endsWith('.json'))
    .sort()
}

/** A sample event as a handler receives it: a fresh, mutable copy. */
export function loadEvent(file: string): Record<string, unknown> {
  return structuredClone(JSON.parse(readFileSync(new URL(file, EVENTS_DIR), 'utf8')))
}

/** A sample event with `detail` fields replaced (e.g. `userIdentity`, `eventID`). */
export function loadEventWith(file: string, detail: Record<string, unknown>): Record<string, unknown> {
  const event = loadEvent(file)
  return { ...event, detail: { ...(event.detail as Record<string, unknown>), ...detail } }
}

/** The parsed change of a sample event; throws when the file is not a change. */
export function parseEventFile(file: string): ChangeEvent {
  const outcome = parseChangeEvent(loadEvent(file))
  if (outcome.status !== 'change') throw new Error(`${file}: expected a change, got ${outcome.status}`)
  return outcome.change
}
