import type { Writable } from 'node:stream'

/** What the CLI learns of its stdout: whether it still takes text, and what went wrong if not. */
export interface StdoutSink {
  /** Writes as `Writable.write` does; once stdout has failed, drops the text and says `true`. */
  readonly write: (text: string) => boolean
  /** Resolves when stdout drains, and also when it fails (no drain will ever come then). */
  readonly drained: () => Promise<void>
  /** True once a write has failed: nothing more can reach the reader. */
  readonly closed: () => boolean
}

/**
 * Wraps the CLI's stdout so that a reader who stops reading (`support-guard audit | head`, a
 * closed pipe: EPIPE) ends the output quietly, and any other failure to write (a full disk)
 * is said in one line on stderr with exit code 2: never Node's unhandled-error stack trace.
 *
 * `onFailure` runs once, with the first error; the CLI decides the exit code from it.
 */
export function stdoutSink(stream: Writable, onFailure: (error: Error) => void): StdoutSink {
  let failed = false
  const waiting = new Set<() => void>()
  const fail = (error: Error): void => {
    if (failed) return
    failed = true
    for (const resolve of waiting) resolve()
    waiting.clear()
    onFailure(error)
  }
  stream.on('error', fail)
  return {
    write: (text) => (failed ? true : stream.write(text)),
    drained: () =>
      failed
        ? Promise.resolve()
        : new Promise((resolve) => {
            const done = (): void => {
              stream.off('drain', done)
              waiting.delete(done)
              resolve()
            }
            waiting.add(done)
            stream.once('drain', done)
          }),
    closed: () => failed,
  }
}

/** A reader that went away is not an error of the audit: its verdict stands and nothing is said. */
export function isReaderGone(error: Error): boolean {
  return (error as NodeJS.ErrnoException).code === 'EPIPE'
}
