import { describe, expect, it } from 'vitest'
import {
  compactDocument,
  EXCERPT_LIMIT,
  excerptDocument,
  excerptText,
} from '#shared/notify/policy-excerpt.ts'
import { makeLongDocument, TAIL_SID } from './sample-details.ts'

const SHORT = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'support:*', Resource: '*' }] }
const SHORT_JSON = JSON.stringify(SHORT)

describe('compactDocument', () => {
  it.each([
    { form: 'an object', document: SHORT },
    { form: 'pretty JSON text', document: JSON.stringify(SHORT, null, 2) },
    { form: 'URL-encoded JSON (as IAM returns it)', document: encodeURIComponent(JSON.stringify(SHORT)) },
  ])('reads $form as one line of compact JSON', ({ document }) => {
    expect(compactDocument(document)).toBe(SHORT_JSON)
  })

  it('shows text that is not a document as it is, on one line', () => {
    expect(compactDocument('not\n  json')).toBe('not json')
  })
})

describe('excerptDocument', () => {
  it('returns a document that fits whole, without a marker', () => {
    expect(excerptDocument(SHORT)).toBe(SHORT_JSON)
  })

  it('cuts a long document to a prefix of its compact JSON and counts what it left out', () => {
    const document = makeLongDocument(6000)
    const full = JSON.stringify(document)
    expect(full).toHaveLength(6000)
    const excerpt = excerptDocument(document)
    const match = /^(.*)… \(([\d,]+) more characters\)$/s.exec(excerpt)
    const kept = match?.[1] ?? ''
    expect(full.startsWith(kept)).toBe(true)
    expect(kept.length).toBeLessThanOrEqual(EXCERPT_LIMIT)
    expect(kept.length).toBeGreaterThan(EXCERPT_LIMIT - 80)
    expect(Number((match?.[2] ?? '').replaceAll(',', ''))).toBe(6000 - kept.length)
    expect(excerpt).not.toContain(TAIL_SID)
  })

  it('ends the excerpt at an element boundary when one is near', () => {
    const whole = JSON.stringify(makeLongDocument(6000))
    const kept = excerptDocument(whole).split('…')[0] ?? ''
    const atBoundary = kept.endsWith('}') || kept.endsWith(']') || whole[kept.length] === ','
    expect(atBoundary).toBe(true)
  })

  it('cuts at the limit when no boundary is near', () => {
    expect(excerptText('x'.repeat(1000))).toBe(`${'x'.repeat(EXCERPT_LIMIT)}… (700 more characters)`)
  })

  it('never splits a character made of two UTF-16 units', () => {
    const text = `${'x'.repeat(EXCERPT_LIMIT - 1)}${'😀'.repeat(10)}`
    const kept = excerptText(text).split('…')[0] ?? ''
    expect(kept).toBe('x'.repeat(EXCERPT_LIMIT - 1))
  })

  it('honours a smaller limit', () => {
    expect(excerptText('abcdefghij', 4)).toBe('abcd… (6 more characters)')
  })
})
