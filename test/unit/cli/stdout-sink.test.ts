import { execFileSync } from 'node:child_process'
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PassThrough, Writable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { runCli } from '../../../bin/cli/run-cli.ts'
import { isReaderGone, isWrittenInPlace, stdoutSink } from '../../../bin/cli/stdout-sink.ts'
import { EXAMPLE_ACCOUNT } from './run-built-cli.ts'

/** A stream that holds everything (never drains by itself) and fails when told to. */
function heldStream(): { stream: Writable; fail: (code: string) => void; written: string[] } {
  const written: string[] = []
  const stream = new Writable({
    highWaterMark: 4,
    write(chunk: Buffer, _encoding, callback) {
      written.push(chunk.toString())
      held = callback
    },
  })
  let held: ((error?: Error) => void) | undefined
  const fail = (code: string) => held?.(Object.assign(new Error(`write ${code}`), { code }))
  return { stream, fail, written }
}

describe('stdoutSink', () => {
  it('lets a waiting writer go on when stdout fails, drops what follows and says the error once', async () => {
    const { stream, fail, written } = heldStream()
    const failures: Error[] = []
    const sink = stdoutSink(stream, (error) => failures.push(error))
    expect(sink.write('a report far larger than the stream holds')).toBe(false)
    const waiting = sink.drained()
    fail('EPIPE')
    await waiting
    expect(sink.closed()).toBe(true)
    expect(sink.write('more')).toBe(true)
    await sink.drained()
    expect(written).toEqual(['a report far larger than the stream holds'])
    expect(failures.map((error) => (error as NodeJS.ErrnoException).code)).toEqual(['EPIPE'])
    expect(stream.listenerCount('drain')).toBe(0)
  })

  it('resolves a wait on drain, and is open until something fails', async () => {
    const written: string[] = []
    const stream = new Writable({
      highWaterMark: 4,
      write(chunk: Buffer, _encoding, callback) {
        written.push(chunk.toString())
        setImmediate(callback)
      },
    })
    const sink = stdoutSink(stream, () => expect.unreachable('nothing fails'))
    expect(sink.write('more than four bytes')).toBe(false)
    await sink.drained()
    expect(sink.closed()).toBe(false)
    expect(stream.listenerCount('drain')).toBe(0)
    expect(written).toEqual(['more than four bytes'])
  })

  it('tells a reader that went away from a write that failed', () => {
    const error = (code: string) => Object.assign(new Error(code), { code })
    expect(isReaderGone(error('EPIPE'))).toBe(true)
    expect(isReaderGone(error('ENOSPC'))).toBe(false)
    expect(isReaderGone(new Error('no code'))).toBe(false)
  })
})

describe('stdoutSink on a file descriptor', () => {
  it('writes the text itself, in order, and never through the stream', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sink-'))
    const fd = openSync(join(dir, 'report.json'), 'w')
    try {
      const stream = new PassThrough()
      const sink = stdoutSink(stream, () => expect.unreachable('nothing fails'), { fd })
      expect(sink.write('{"a": ')).toBe(true)
      expect(sink.write('"é ✓"}\n')).toBe(true)
      expect(stream.read()).toBeNull()
      expect(readFileSync(join(dir, 'report.json'), 'utf8')).toBe('{"a": "é ✓"}\n')
      expect(sink.closed()).toBe(false)
    } finally {
      closeSync(fd)
      rmSync(dir, { recursive: true, force: true })
    }
  })

  // /dev/full (Linux) fails every write with ENOSPC, as a full disk does.
  it('says a failed write once, at once, and drops what follows', async () => {
    const fd = openSync('/dev/full', 'w')
    try {
      const failures: string[] = []
      const sink = stdoutSink(
        new PassThrough(),
        (error) => failures.push((error as NodeJS.ErrnoException).code ?? ''),
        {
          fd,
        },
      )
      expect(sink.write('a report')).toBe(true)
      expect(failures).toEqual(['ENOSPC'])
      expect(sink.closed()).toBe(true)
      expect(sink.write('more')).toBe(true)
      await sink.drained()
      expect(failures).toEqual(['ENOSPC'])
    } finally {
      closeSync(fd)
    }
  })

  it('is used for files and devices, never for a terminal or a pipe', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sink-'))
    execFileSync('mkfifo', [join(dir, 'pipe')])
    const file = openSync(join(dir, 'report.json'), 'w')
    const devNull = openSync('/dev/null', 'w')
    // Read and write: opening a named pipe so does not wait for a reader (Linux).
    const pipe = openSync(join(dir, 'pipe'), 'r+')
    try {
      expect(isWrittenInPlace(file, false)).toBe(true)
      expect(isWrittenInPlace(devNull, false)).toBe(true)
      expect(isWrittenInPlace(devNull, true)).toBe(false)
      expect(isWrittenInPlace(pipe, false)).toBe(false)
      // A closed descriptor: the stream decides, as it always did.
      expect(isWrittenInPlace(987_654, false)).toBe(false)
    } finally {
      for (const fd of [file, devNull, pipe]) closeSync(fd)
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe('runCli with stdout closed', () => {
  it('makes no more of the JSON report once stdout can take nothing, and keeps the verdict', async () => {
    const pieces: string[] = []
    const status = await runCli(
      ['audit', '--snapshot', EXAMPLE_ACCOUNT, '--format', 'json'],
      {
        stdout: (text) => pieces.push(text),
        closed: () => pieces.length > 0,
        stderr: (text) => expect.unreachable(text),
        interactive: false,
        columns: 100,
      },
      () => Promise.reject(new Error('the live account must not be read')),
    )
    expect(pieces).toHaveLength(1)
    expect(pieces[0]?.startsWith('{\n  "schemaVersion": 1,')).toBe(true)
    expect(status).toBe(1)
  })
})
