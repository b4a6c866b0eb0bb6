import { Writable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { runCli } from '../../../bin/cli/run-cli.ts'
import { isReaderGone, stdoutSink } from '../../../bin/cli/stdout-sink.ts'
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
