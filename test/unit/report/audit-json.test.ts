import { describe, expect, it } from 'vitest'
import { DEFAULT_CONFIG } from '#shared/config/guard-config.ts'
import { FINDINGS_PER_BATCH, writeAuditJson } from '#shared/report/audit-json.ts'
import { type AuditReport, auditAccount } from '#shared/report/audit-report.ts'
import { parseAccountSnapshot } from '#shared/snapshot/parse-snapshot.ts'
import { generateAccount } from '#test-support/synthetic/synthetic-account.ts'

function written(report: AuditReport): { text: string; chunks: number } {
  const parts: string[] = []
  writeAuditJson(report, (text) => parts.push(text))
  return { text: parts.join(''), chunks: parts.length }
}

const expected = (report: AuditReport) => `${JSON.stringify(report, null, 2)}\n`

describe('writeAuditJson', () => {
  it('writes what JSON.stringify(report, null, 2) writes, to the byte, for a whole synthetic account', () => {
    const snapshot = parseAccountSnapshot(generateAccount({ seed: 7, principals: 400 }))
    const { report } = auditAccount(snapshot, DEFAULT_CONFIG)
    expect(report.findings.length).toBeGreaterThan(10)
    expect(written(report).text).toBe(expected(report))
  })

  it('writes findings in batches whose joins are invisible, for any number of findings', () => {
    const snapshot = parseAccountSnapshot(generateAccount({ seed: 11, principals: 150 }))
    const { report } = auditAccount(snapshot, DEFAULT_CONFIG)
    const [first] = report.findings
    if (!first) throw new Error('the synthetic account raised no finding')
    for (const count of [
      1,
      FINDINGS_PER_BATCH - 1,
      FINDINGS_PER_BATCH,
      FINDINGS_PER_BATCH + 1,
      7 * FINDINGS_PER_BATCH + 3,
    ]) {
      const findings = Array.from({ length: count }, (_, index) => ({ ...first, id: `sag-${index}` }))
      const many: AuditReport = { ...report, findings }
      expect(written(many).text).toBe(expected(many))
    }
  })

  it('writes empty lists as [] like JSON.stringify', () => {
    const report: AuditReport = { schemaVersion: 1, accountId: '111122223333', findings: [], access: [] }
    expect(written(report).text).toBe(expected(report))
  })

  it('leaves out undefined fields and keeps a decision record shared by many principals identical', () => {
    const decisions = Object.freeze({
      'support:CreateCase': 'allow',
      'support:DescribeCases': 'deny',
    } as const)
    const access = ['a', 'b', 'c'].map((name) => ({
      principalArn: `arn:aws:iam::111122223333:user/${name}`,
      principalType: 'user' as const,
      decisions,
      ...({ note: undefined } as object),
    }))
    const report: AuditReport = { schemaVersion: 1, accountId: '111122223333', findings: [], access }
    expect(written(report).text).toBe(expected(report))
  })

  it('hands a large report to the writer in pieces, never as one text', () => {
    const decisions = Object.freeze({ 'support:CreateCase': 'allow' } as const)
    const access = Array.from({ length: 20_000 }, (_, index) => ({
      principalArn: `arn:aws:iam::111122223333:role/role-${index}`,
      principalType: 'role' as const,
      decisions,
    }))
    const report: AuditReport = { schemaVersion: 1, accountId: '111122223333', findings: [], access }
    const { text, chunks } = written(report)
    expect(chunks).toBeGreaterThan(1)
    expect(text).toBe(expected(report))
  })
})
