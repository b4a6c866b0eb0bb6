// First: it sets how V8 grows its heap and when it optimises, before anything else is loaded.
import './cli/v8-flags.ts'
import { DEFAULT_COLUMNS } from '#shared/report/text-layout.ts'
import { EXIT_CODES, runCli, toOneLine } from './cli/run-cli.ts'
import { isReaderGone, isWrittenInPlace, stdoutSink } from './cli/stdout-sink.ts'

// A closed stderr has no one left to tell; it must not crash the run either.
process.stderr.on('error', () => undefined)
let lost = false
const stdout = stdoutSink(
  process.stdout,
  (error) => {
    if (isReaderGone(error)) return
    lost = true
    process.stderr.write(`support-guard: cannot write the output: ${toOneLine(error.message)}\n`)
    process.exitCode = EXIT_CODES.error
  },
  isWrittenInPlace(1, process.stdout.isTTY === true) ? { fd: 1 } : {},
)
const exitCode = await runCli(
  process.argv.slice(2),
  {
    stdout: stdout.write,
    drained: stdout.drained,
    closed: stdout.closed,
    stderr: (text) => process.stderr.write(text),
    interactive: process.stderr.isTTY === true,
    columns: process.stdout.isTTY === true ? process.stdout.columns : DEFAULT_COLUMNS,
  },
  () => import('./cli/live-commands.ts').then((module) => module.liveCommands),
)
// A write that fails after this line sets the error code itself (above).
process.exitCode = lost ? EXIT_CODES.error : exitCode
