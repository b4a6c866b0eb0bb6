import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { RUSAGE_ENV, RUSAGE_PRELOAD, readChildUsage, runCliAudit } from '../lib/cli-run.ts'

const work = mkdtempSync(join(tmpdir(), 'bench-cli-run-test-'))
afterAll(() => rmSync(work, { recursive: true, force: true }))

describe('the resource-usage preload', () => {
  it('writes the child’s own peak RSS and CPU times when it exits', () => {
    const file = join(work, 'usage.json')
    // The child holds about 64 MB and burns some CPU, so its figures exceed a bare Node's.
    const script =
      'const held = Buffer.alloc(64 * 1024 * 1024, 1); let x = 0; for (let i = 0; i < 3e7; i++) x += i; process.exitCode = held[0] + (x > 0 ? 2 : 0)'
    const result = spawnSync(
      process.execPath,
      ['--import', pathToFileURL(RUSAGE_PRELOAD).href, '-e', script],
      {
        env: { ...process.env, [RUSAGE_ENV]: file },
      },
    )
    expect(result.status).toBe(3)
    const usage = readChildUsage(file)
    expect(usage.maxRSS).toBeGreaterThan(64 * 1024)
    expect(usage.userCPUTime).toBeGreaterThan(10_000)
    expect(usage.systemCPUTime).toBeGreaterThanOrEqual(0)
  })

  it('writes nothing without the variable', () => {
    const result = spawnSync(process.execPath, ['--import', pathToFileURL(RUSAGE_PRELOAD).href, '-e', '0'], {
      env: { ...process.env, [RUSAGE_ENV]: '' },
    })
    expect(result.status).toBe(0)
    expect(() => readChildUsage(join(work, 'absent.json'))).toThrow(/no resource usage/)
  })

  it.each([
    ['not JSON', '{'],
    ['a field missing', '{"maxRSS":1,"userCPUTime":2}'],
    ['a negative field', '{"maxRSS":-1,"userCPUTime":2,"systemCPUTime":3}'],
  ])('rejects a file with %s', (_case, text) => {
    const file = join(work, 'bad.json')
    writeFileSync(file, text)
    expect(() => readChildUsage(file)).toThrow()
  })
})

describe('runCliAudit', () => {
  /** A stand-in CLI: prints its arguments as the report and exits with the code it is told. */
  const fakeCli = (exitCode: number) => {
    const file = join(work, `fake-cli-${exitCode}.mjs`)
    writeFileSync(
      file,
      `process.stdout.write(JSON.stringify(process.argv.slice(2)).repeat(1000)); process.exitCode = ${exitCode}\n`,
    )
    return file
  }
  const options = { cwd: work, scratchDir: work, timeoutMs: 30_000 }

  it.each([0, 1])('measures a run that exits %i: wall, CPU, RSS and the report on disk', (code) => {
    const run = runCliAudit(fakeCli(code), 'export.json', options)
    const argv = JSON.stringify(['audit', '--snapshot', 'export.json', '--format', 'json'])
    expect(run.exitCode).toBe(code)
    expect(run.reportBytes).toBe(argv.length * 1000)
    expect(run.wallMs).toBeGreaterThan(0)
    expect(run.userCpuMs + run.systemCpuMs).toBeGreaterThan(0)
    expect(run.wallMs).toBeGreaterThanOrEqual(run.userCpuMs / 2)
    expect(run.peakRssMb).toBeGreaterThan(10)
  })

  it('throws on any other exit', () => {
    expect(() => runCliAudit(fakeCli(2), 'export.json', options)).toThrow(/ended 2/)
  })
})
