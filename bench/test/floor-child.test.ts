import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import type { FloorChildResult } from '../floor-child.ts'

const CHILD = fileURLToPath(new URL('../floor-child.ts', import.meta.url))
const work = mkdtempSync(join(tmpdir(), 'bench-floor-child-test-'))
afterAll(() => rmSync(work, { recursive: true, force: true }))

const account = { AccountId: '123456789012', UserDetailList: [], RoleDetailList: [{ RoleName: 'a' }] }
const report = { schemaVersion: 1, accountId: '123456789012', findings: [], access: [{ principalArn: 'x' }] }

function runFloor(reportText: string): { status: number | null; stderr: string; result?: FloorChildResult } {
  const exportFile = join(work, 'export.json')
  const reportFile = join(work, 'report.json')
  writeFileSync(exportFile, JSON.stringify(account))
  writeFileSync(reportFile, reportText)
  const out = join(work, 'out.json')
  const child = spawnSync(process.execPath, ['--import', 'tsx', CHILD, exportFile, reportFile, out], {
    encoding: 'utf8',
  })
  expect(existsSync(out)).toBe(false)
  return {
    status: child.status,
    stderr: child.stderr,
    ...(child.status === 0 ? { result: JSON.parse(child.stdout) as FloorChildResult } : {}),
  }
}

describe('the floor child', () => {
  it('times each part and finds the report to be JSON.stringify(report, null, 2) of itself', () => {
    const text = `${JSON.stringify(report, null, 2)}\n`
    const { status, result } = runFloor(text)
    expect(status).toBe(0)
    expect(result).toMatchObject({
      exportBytes: Buffer.byteLength(JSON.stringify(account)),
      reportBytes: Buffer.byteLength(text),
      matchesReport: true,
    })
    for (const part of ['startMs', 'readMs', 'parseMs', 'serializeMs', 'writeMs'] as const)
      expect(result?.[part]).toBeGreaterThanOrEqual(0)
    expect(result?.startMs).toBeGreaterThan(0)
  })

  it('says so when the report is written otherwise', () => {
    const { status, result } = runFloor(`${JSON.stringify(report)}\n`)
    expect(status).toBe(0)
    expect(result?.matchesReport).toBe(false)
  })

  it('fails with one line when a file is missing', () => {
    const child = spawnSync(process.execPath, ['--import', 'tsx', CHILD, join(work, 'none.json')], {
      encoding: 'utf8',
    })
    expect(child.status).toBe(1)
    expect(child.stderr).toBe('bench/floor-child: usage: floor-child EXPORT REPORT OUT\n')
  })
})
