import { readFileSync } from 'node:fs'
import { parseChangeEvent } from '#shared/events/parse-change-event.ts'
import type { ChangeEvent } from '#shared/events/types.ts'

const EVENTS_DIR = new URL('../../../events/', import.meta.url)

export function listSampleDir(): URL {
  return EVENTS_DIR
}

/** Loads a sample as a handler would receive it: a fresh copy of the JSON. */
export function loadSampleEvent(file: string): unknown {
  return structuredClone(JSON.parse(readFileSync(new URL(file, EVENTS_DIR), 'utf8')))
}

export function parseSampleChange(file: string): ChangeEvent {
  const outcome = parseChangeEvent(loadSampleEvent(file))
  if (outcome.status !== 'change')
    throw new Error(`${file}: expected a change, got ${JSON.stringify(outcome)}`)
  return outcome.change
}
