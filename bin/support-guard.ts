// First: it sets how V8 grows its heap, before anything else is loaded.
import './cli/young-generation-kept-small.ts'
import { DEFAULT_COLUMNS } from '#shared/report/text-layout.ts'
import { runCli } from './cli/run-cli.ts'

const exitCode = await runCli(
  process.argv.slice(2),
  {
    stdout: (text) => process.stdout.write(text),
    drained: () => new Promise((resolve) => process.stdout.once('drain', () => resolve())),
    stderr: (text) => process.stderr.write(text),
    interactive: process.stderr.isTTY === true,
    columns: process.stdout.isTTY === true ? process.stdout.columns : DEFAULT_COLUMNS,
  },
  () => import('./cli/live-commands.ts').then((module) => module.liveCommands),
)
process.exitCode = exitCode
