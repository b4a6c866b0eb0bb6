/** The input is not an account export the guard can read; `path` names the offending field. */
export class SnapshotError extends Error {
  override readonly name = 'SnapshotError'
  constructor(
    message: string,
    readonly path: string,
  ) {
    super(message)
  }
}
