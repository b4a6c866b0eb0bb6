import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bundleEntry, CLI_ENTRY, ROOT } from '#test-support/bounds/bundle-entry.ts'
import {
  type CliAuditRun,
  cliAuditCompleted,
  runCliAudit,
  writeSyntheticExport,
} from '#test-support/bounds/cli-audit-case.ts'
import { GROUP_MEMBERS } from '#test-support/bounds/in-process-cases.ts'
import { memberName, runLargeGroupCase } from '#test-support/bounds/large-group-case.ts'
import { runMaxDocumentsCase } from '#test-support/bounds/max-documents-case.ts'
import { measureInProcess } from '#test-support/bounds/measure-in-process.ts'
import { runRoleQuotasCase } from '#test-support/bounds/role-quotas-case.ts'
import { IAM_LIMITS } from '#test-support/bounds/sized-documents.ts'

/**
 * Bounds measured on a 2-core AMD EPYC with Node 20 (`npm run resource-bounds` has the full
 * figures), with about twice the margin. In-process heap deltas include garbage not yet
 * collected; the cases measured 2 to 9 MiB each in a process of their own.
 */
const HEAP_DELTA_MB = 96
/** A 5 MiB export: measured 155 MiB peak RSS for the whole CLI process. */
const CLI_PEAK_RSS_MB_5 = 256
/** Peak RSS added per MiB of export between 1 and 5 MiB: measured about 16. */
const CLI_RSS_PER_EXPORT_MB = 32

describe('documents at IAM maximum sizes', () => {
  it('parse, audit, and each change to one of them is found by detect', async () => {
    const { value, heapDeltaMb } = await measureInProcess(runMaxDocumentsCase)
    expect(value.sizes).toEqual({
      managed: IAM_LIMITS.managedPolicy,
      inline: IAM_LIMITS.roleInline,
      trust: IAM_LIMITS.trustPolicy,
    })
    expect(value.parseIssues).toBe(0)
    expect(value.createCase).toBe('allow')
    expect(value.changes.map((change) => [change.documentSize, change.expected, change.found])).toEqual([
      [IAM_LIMITS.managedPolicy, 'SUPPORT_ACCESS_LOST', true],
      [IAM_LIMITS.roleInline, 'SUPPORT_ACCESS_LOST', true],
      [IAM_LIMITS.trustPolicy, 'SUPPORT_ACCESS_EXTERNAL_TRUST', true],
    ])
    expect(heapDeltaMb).toBeLessThan(HEAP_DELTA_MB)
  })
})

describe(`a group of ${GROUP_MEMBERS} users losing AWSSupportAccess`, () => {
  it.each(['bulk', 'one-by-one'] as const)(
    `finds the required member at index ${GROUP_MEMBERS - 1} (%s read)`,
    async (readPath) => {
      const { value, heapDeltaMb } = await measureInProcess(() =>
        runLargeGroupCase(GROUP_MEMBERS, 'last', readPath),
      )
      expect(value.lastMember).toBe(memberName(GROUP_MEMBERS - 1))
      expect(value.verdict).toBe('findings')
      expect(value.lastMemberFound).toBe(true)
      expect(value.lostFound).toBe(1)
      expect(value.principalsChecked).toBe(GROUP_MEMBERS)
      expect(heapDeltaMb).toBeLessThan(HEAP_DELTA_MB)
    },
  )

  it('judges every member: with all of them required, each loss is a finding', async () => {
    const outcome = await runLargeGroupCase(GROUP_MEMBERS, 'all')
    expect(outcome.lostFound).toBe(GROUP_MEMBERS)
    expect(outcome.lastMemberFound).toBe(true)
  })
})

describe('a role at the attached and inline policy quotas', () => {
  it('is audited, and detect finds both changes', async () => {
    const { value, heapDeltaMb } = await measureInProcess(runRoleQuotasCase)
    expect(value.attached).toBe(IAM_LIMITS.roleAttached)
    expect(value.inline).toBe(IAM_LIMITS.roleInlineCount)
    expect(value.createCase).toBe('allow')
    expect(value.changes.map((change) => [change.change, change.found])).toEqual([
      ['DetachRolePolicy of the policy granting support', true],
      ['PutRolePolicy of an inline policy denying support', true],
    ])
    expect(heapDeltaMb).toBeLessThan(HEAP_DELTA_MB)
  })
})

describe('support-guard audit of a large export, as a child process', () => {
  let dir = ''
  const runs = new Map<number, CliAuditRun>()

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'resource-bounds-test-'))
    const cli = await bundleEntry(CLI_ENTRY, dir, 'support-guard')
    for (const exportMb of [1, 5]) {
      const { file } = writeSyntheticExport(dir, exportMb)
      runs.set(exportMb, await runCliAudit(cli, file, { cwd: ROOT, scratchDir: dir, timeoutMs: 60_000 }))
    }
  }, 120_000)

  afterAll(() => {
    if (dir !== '') rmSync(dir, { recursive: true, force: true })
  })

  it('completes the audit of a 5 MB export under the measured peak RSS', () => {
    const run = runs.get(5)
    expect(run && cliAuditCompleted(run), run?.stderr).toBe(true)
    expect(run?.exportMb).toBeGreaterThan(4.5)
    expect(run?.summary).toMatch(/^\d+ principals evaluated, \d+ findings/)
    expect(run?.peakRssMb).toBeLessThan(CLI_PEAK_RSS_MB_5)
  })

  it('grows at most linearly from 1 MB to 5 MB, and less than in proportion to the export', () => {
    const small = runs.get(1)
    const large = runs.get(5)
    if (small === undefined || large === undefined) throw new Error('a CLI run is missing')
    expect(cliAuditCompleted(small), small.stderr).toBe(true)
    const perMb = (large.peakRssMb - small.peakRssMb) / (large.exportMb - small.exportMb)
    expect(perMb).toBeLessThan(CLI_RSS_PER_EXPORT_MB)
    expect(large.peakRssMb / small.peakRssMb).toBeLessThan(large.exportMb / small.exportMb)
  })
})
