import { InputError } from '#shared/errors/input-error.ts'

/** The input is not an account export the guard can read; `path` names the offending field. */
export class SnapshotError extends InputError {
  override readonly name = 'SnapshotError'
  constructor(message: string, path: string, options: { cause?: unknown } = {}) {
    super(message, { path, ...options })
  }
}
