/**
 * One in-process bounds case in a process of its own, so its peak RSS is the case's alone.
 * Usage: `node case-child.mjs NAME` (bundled by resource-bounds.ts). Prints one JSON line: a
 * `CaseChildResult`. A case that throws is reported with `ok: false` and the error, not a crash
 * of the parent.
 */
import { IN_PROCESS_CASES } from './in-process-cases.ts'
import { measureInProcess } from './measure-in-process.ts'

/** What the child prints. */
export interface CaseChildResult {
  readonly name: string
  readonly ok: boolean
  readonly result: string
  readonly wallMs: number
  readonly peakRssMb: number
  readonly rssBeforeMb: number
  readonly heapDeltaMb: number
}

async function runCaseChild(name: string | undefined): Promise<CaseChildResult> {
  const found = IN_PROCESS_CASES.find((entry) => entry.name === name)
  if (!found)
    throw new Error(`unknown case ${name}; one of ${IN_PROCESS_CASES.map((entry) => entry.name).join(', ')}`)
  const measured = await measureInProcess(async () => {
    try {
      return await found.run()
    } catch (error) {
      return { ok: false, result: `crashed: ${error instanceof Error ? error.message : String(error)}` }
    }
  })
  return {
    name: found.name,
    ok: measured.value.ok,
    result: measured.value.result,
    wallMs: measured.wallMs,
    peakRssMb: measured.peakRssMb,
    rssBeforeMb: measured.rssBeforeMb,
    heapDeltaMb: measured.heapDeltaMb,
  }
}

try {
  process.stdout.write(`${JSON.stringify(await runCaseChild(process.argv[2]))}\n`)
} catch (error) {
  process.stderr.write(`case-child: ${error instanceof Error ? error.message : String(error)}\n`)
  process.exitCode = 2
}
