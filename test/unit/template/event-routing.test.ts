import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { parseChangeEvent } from '#shared/events/parse-change-event.ts'
import { isRecord, readTemplate } from '#test-support/template/template.ts'

const ROOT = fileURLToPath(new URL('../../../', import.meta.url))
const template = readTemplate(join(ROOT, 'template.yaml'))

/** Sample events, the top level of events/ and its folders. */
function listSamples(dir = 'events'): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    if (entry.isDirectory()) return listSamples(`${dir}/${entry.name}`)
    return entry.name.endsWith('.json') ? [`${dir}/${entry.name}`] : []
  })
}

/** An EventBridge pattern of plain value lists, matched the way EventBridge matches them. */
function matchesPattern(pattern: unknown, event: unknown): boolean {
  if (!isRecord(pattern)) return false
  return Object.entries(pattern).every(([key, expected]) => {
    const actual = isRecord(event) ? event[key] : undefined
    return Array.isArray(expected) ? expected.includes(actual) : matchesPattern(expected, actual)
  })
}

const changeRule = template.Resources.CloudTrailChangeRule?.Properties?.EventPattern

describe('CloudTrailChangeRule routes the sample events', () => {
  it.each(listSamples())(
    '%s: matched when detect classifies it, not when detect would not read it',
    (file) => {
      const event: unknown = JSON.parse(readFileSync(join(ROOT, file), 'utf8'))
      const outcome = parseChangeEvent(event)
      // A classified call must reach detect; an event detect would only acknowledge need not.
      if (outcome.status !== 'ignored') expect(matchesPattern(changeRule, event)).toBe(true)
      if (outcome.status === 'ignored' && outcome.reason === 'not-cloudtrail')
        expect(matchesPattern(changeRule, event)).toBe(false)
    },
  )
})
