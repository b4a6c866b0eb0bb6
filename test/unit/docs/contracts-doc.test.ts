import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, expectTypeOf, it } from 'vitest'
import type * as z from 'zod'
import { DEFAULT_CONFIG, parseGuardConfig } from '#shared/config/guard-config.ts'
import type { ChangeKind, IgnoreReason } from '#shared/events/types.ts'
import type { FindingEventDetail } from '#shared/pipeline/bus-events.ts'
import type { ReplayReport } from '#shared/pipeline/replay-event.ts'
import { type AuditReport, auditAccount } from '#shared/report/audit-report.ts'
import {
  type AuditReportJson,
  auditReportSchema,
  type ReplayJson,
  type replaySchema,
  type WhoCanJson,
  whoCanSchema,
} from '#shared/report/contract-schemas.ts'
import { type WhoCanReport, whoCan } from '#shared/report/who-can.ts'
import { parseAccountSnapshot } from '#shared/snapshot/parse-snapshot.ts'
import { buildDocs, CONTRACTS_FILE, ROOT, staleDocs } from '../../../scripts/docs.ts'
import { headingAnchors } from './markdown.ts'

/**
 * The type with every `readonly` dropped, and `undefined` taken out of optional fields (zod infers
 * them as `?: T | undefined`; a JSON document never holds `undefined`), so a producer's readonly
 * type compares with a schema's.
 */
type Writable<T> = T extends readonly (infer Item)[]
  ? Writable<Item>[]
  : T extends object
    ? {
        -readonly [Key in keyof T]: Partial<Pick<T, Key>> extends Pick<T, Key>
          ? Writable<Exclude<T[Key], undefined>>
          : Writable<T[Key]>
      }
    : T

describe('docs/contracts.md', () => {
  const docs = buildDocs()

  it('is what npm run docs writes from the code (run npm run docs if not)', () => {
    const stale = staleDocs(docs)
    expect(stale, `stale: ${stale.join(', ')}: run npm run docs`).toEqual([])
  })

  it('comes out the same on every run', () => {
    expect(buildDocs()).toEqual(docs)
  })

  it('has a section for every anchor it links to', () => {
    const text = docs.get(CONTRACTS_FILE) ?? ''
    const anchors = headingAnchors(text)
    const links = [...text.matchAll(/\]\(#([^)]+)\)/g)].map((match) => match[1] ?? '')
    expect(links.filter((link) => !anchors.has(link))).toEqual([])
  })
})

describe('the contract schemas', () => {
  it('match the types the CLI prints, field for field', () => {
    expectTypeOf<Writable<AuditReport>>().toExtend<z.input<typeof auditReportSchema>>()
    expectTypeOf<AuditReportJson>().toExtend<Writable<AuditReport>>()
    expectTypeOf<Writable<WhoCanReport>>().toExtend<z.input<typeof whoCanSchema>>()
    expectTypeOf<WhoCanJson>().toExtend<Writable<WhoCanReport>>()
    expectTypeOf<Writable<ReplayReport>>().toExtend<z.input<typeof replaySchema>>()
    expectTypeOf<Writable<ReplayJson>>().toExtend<Writable<ReplayReport>>()
    expectTypeOf<NonNullable<ReplayJson['change']['kind']>>().toEqualTypeOf<ChangeKind>()
    expectTypeOf<NonNullable<ReplayJson['change']['ignored']>>().toEqualTypeOf<IgnoreReason>()
    expectTypeOf<ReplayJson['findings'][number]>().toEqualTypeOf<FindingEventDetail>()
  })

  it('accept the audit and who-can answers for the example account', () => {
    const exported = JSON.parse(readFileSync(join(ROOT, 'shared/examples/example-account.json'), 'utf8'))
    const config = parseGuardConfig(
      JSON.parse(readFileSync(join(ROOT, 'shared/examples/example-config.json'), 'utf8')),
    )
    const snapshot = parseAccountSnapshot(exported)
    const { report } = auditAccount(snapshot, config)
    expect(auditReportSchema.safeParse(JSON.parse(JSON.stringify(report))).error).toBeUndefined()
    const answer = whoCan(snapshot, 'support:CreateCase')
    expect(whoCanSchema.safeParse(JSON.parse(JSON.stringify(answer))).error).toBeUndefined()
    expect(auditAccount(snapshot, DEFAULT_CONFIG).report.findings.length).toBeGreaterThan(0)
  })
})
