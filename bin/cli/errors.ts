import { InputError } from '#shared/errors/input-error.ts'

/** Bad command-line usage: reported as one line on stderr, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError'
}

/** An input file that cannot be read or is not JSON: exit code 2. */
export class InputFileError extends InputError {
  override readonly name = 'InputFileError'
}
