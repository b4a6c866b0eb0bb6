import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { DEFAULT_CONFIG } from '#shared/config/guard-config.ts'
import { auditAccount } from '#shared/report/audit-report.ts'
import { parseAccountSnapshot } from '#shared/snapshot/parse-snapshot.ts'
import { generateAccount } from '#test-support/synthetic/synthetic-account.ts'
import { runCli } from '../../../bin/cli/run-cli.ts'

const dir = mkdtempSync(join(tmpdir(), 'backpressure-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('audit --format json on a slow reader', () => {
  it('waits for stdout to drain whenever a write says so, and still writes the whole report', async () => {
    const raw = generateAccount({ seed: 3, principals: 600 })
    const file = join(dir, 'account.json')
    writeFileSync(file, JSON.stringify(raw))
    let stdout = ''
    let pending = 0
    let waits = 0
    const status = await runCli(
      ['audit', '--snapshot', file, '--format', 'json', '--fail-on', 'critical'],
      {
        stdout: (text) => {
          expect(pending).toBe(0)
          stdout += text
          pending++
          return false
        },
        drained: async () => {
          waits++
          await new Promise((resolve) => setTimeout(resolve, 0))
          pending = 0
        },
        stderr: () => undefined,
        interactive: false,
        columns: 100,
      },
      () => Promise.reject(new Error('the live account must not be read')),
    )
    const { report } = auditAccount(parseAccountSnapshot(raw), DEFAULT_CONFIG)
    expect(status).toBe(report.findings.some((finding) => finding.severity === 'critical') ? 1 : 0)
    expect(stdout).toBe(`${JSON.stringify(report, null, 2)}\n`)
    expect(waits).toBeGreaterThan(10)
  })
})
