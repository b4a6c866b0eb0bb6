/**
 * Measures work run in the current process: wall time, the process's peak RSS after it (and
 * before it, so a dedicated child can report what the work added) and the heap it left
 * allocated (garbage included unless the process runs with --expose-gc).
 */

export interface InProcessMeasurement<T> {
  readonly value: T
  readonly wallMs: number
  /** Peak RSS of the process so far, in MiB (the work's own peak when the process ran nothing else). */
  readonly peakRssMb: number
  /** Peak RSS before the work, in MiB: the runtime and the loaded modules. */
  readonly rssBeforeMb: number
  /** heapUsed after the work minus before, in MiB. */
  readonly heapDeltaMb: number
}

const MB = 1_048_576

/** Runs `work` once and measures it. */
export async function measureInProcess<T>(work: () => Promise<T>): Promise<InProcessMeasurement<T>> {
  collectGarbage()
  const rssBefore = process.resourceUsage().maxRSS
  const heapBefore = process.memoryUsage().heapUsed
  const started = performance.now()
  const value = await work()
  const wallMs = performance.now() - started
  const heapAfter = process.memoryUsage().heapUsed
  return {
    value,
    wallMs,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    rssBeforeMb: rssBefore / 1024,
    heapDeltaMb: (heapAfter - heapBefore) / MB,
  }
}

function collectGarbage(): void {
  const gc = (globalThis as { gc?: () => void }).gc
  if (gc) gc()
}
