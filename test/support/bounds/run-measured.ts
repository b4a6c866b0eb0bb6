/**
 * Runs a child process and measures it from outside: wall time, and peak resident set size
 * from `/usr/bin/time -v` when it is installed, otherwise from a preloaded module that prints
 * `process.resourceUsage().maxRSS` as the child exits.
 */
import { spawn } from 'node:child_process'
import { existsSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'

const GNU_TIME = '/usr/bin/time'
const TIME_RSS = /Maximum resident set size \(kbytes\): (\d+)/
const PRELOAD_MARK = 'resource-bounds-max-rss-kb:'
const PRELOAD_RSS = new RegExp(`${PRELOAD_MARK} (\\d+)`)
/** Stdout kept for the caller (the rest is counted, not kept: a large report must not fill memory). */
const KEPT_STDOUT = 64 * 1024

/** A child process that did not start, was killed or printed no peak RSS. */
export class MeasuredRunError extends Error {
  override readonly name = 'MeasuredRunError'
}

export interface MeasuredRun {
  readonly exitCode: number | null
  readonly signal: NodeJS.Signals | null
  readonly wallMs: number
  readonly peakRssKb: number
  readonly rssSource: 'gnu-time' | 'resource-usage'
  /** The first 64 KiB of stdout. */
  readonly stdoutHead: string
  readonly stdoutBytes: number
  /** stderr without the measurement lines. */
  readonly stderr: string
}

export interface MeasuredOptions {
  readonly cwd: string
  /** A directory the fallback preload module may be written to. */
  readonly scratchDir: string
  readonly timeoutMs: number
}

/** Runs `node ...args` and measures it. @throws MeasuredRunError */
export function runMeasuredNode(args: readonly string[], options: MeasuredOptions): Promise<MeasuredRun> {
  const gnuTime = existsSync(GNU_TIME)
  const command = gnuTime ? GNU_TIME : process.execPath
  const argv = gnuTime
    ? ['-v', process.execPath, ...args]
    : ['--import', preloadUrl(options.scratchDir), ...args]
  const started = performance.now()
  return new Promise((resolve, reject) => {
    const child = spawn(command, argv, {
      cwd: options.cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: options.timeoutMs,
    })
    let stdoutHead = ''
    let stdoutBytes = 0
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdoutBytes += Buffer.byteLength(chunk)
      if (stdoutHead.length < KEPT_STDOUT) stdoutHead += chunk.slice(0, KEPT_STDOUT - stdoutHead.length)
    })
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk
    })
    child.on('error', (error) => reject(new MeasuredRunError(`cannot start ${command}: ${error.message}`)))
    child.on('close', (exitCode, signal) => {
      const wallMs = performance.now() - started
      const rss = (gnuTime ? TIME_RSS : PRELOAD_RSS).exec(stderr)?.[1]
      if (rss === undefined) {
        reject(
          new MeasuredRunError(
            `node ${args.join(' ')} ended (${exitCode ?? signal}) without a peak RSS: ${stderr.slice(-500)}`,
          ),
        )
        return
      }
      resolve({
        exitCode,
        signal,
        wallMs,
        peakRssKb: Number(rss),
        rssSource: gnuTime ? 'gnu-time' : 'resource-usage',
        stdoutHead,
        stdoutBytes,
        stderr: withoutMeasurement(stderr, gnuTime),
      })
    })
  })
}

/**
 * GNU time appends its report after the child's own stderr, starting with `Command being timed`
 * and, for a non-zero exit, a `Command exited with non-zero status N` line before it.
 */
function withoutMeasurement(stderr: string, gnuTime: boolean): string {
  if (gnuTime) {
    const start = stderr.lastIndexOf('\tCommand being timed:')
    const own = start >= 0 ? stderr.slice(0, start) : stderr
    return own.replace(/^Command (exited with non-zero status \d+|terminated by signal \d+)$/m, '').trim()
  }
  return stderr.replace(PRELOAD_RSS, '').trim()
}

function preloadUrl(dir: string): string {
  const file = join(dir, 'report-max-rss.mjs')
  if (!existsSync(file)) {
    writeFileSync(
      file,
      `process.on('exit', () => process.stderr.write('\\n${PRELOAD_MARK} ' + process.resourceUsage().maxRSS + '\\n'))\n`,
    )
  }
  return pathToFileURL(file).href
}
