/** Bad command-line usage: reported as one line on stderr, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError'
}

/** An input file that cannot be read or is not JSON: exit code 2. */
export class InputFileError extends Error {
  override readonly name = 'InputFileError'
}
