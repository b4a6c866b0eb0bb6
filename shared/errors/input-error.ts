/** One problem with an input: where it is, and what is wrong there. */
export interface InputIssue {
  /**
   * Where in the input, in the reader's notation: `detail.eventID`, `detail.steps.0.action`,
   * `config.supportPrincipals.required[0]`, `AccountId`, `NOTIFY_FORMAT`. Empty for the input
   * as a whole.
   */
  readonly path: string
  readonly message: string
}

export interface InputErrorOptions {
  /** Where the (first) problem is; defaults to the first issue's path, else the whole input. */
  readonly path?: string
  /** Every problem found; defaults to one issue: `path` and the error's message. */
  readonly issues?: readonly InputIssue[]
  /** What the reader caught underneath: the zod error, a JSON syntax error. */
  readonly cause?: unknown
}

/**
 * Input the guard cannot use: a CloudTrail event, a findings-bus event, an account export, a
 * guard config, a function's environment. Every reader throws this one shape (through its own
 * subclass, so callers can tell the inputs apart): a message a person can act on, `path` naming
 * where the first problem is, `issues` listing every problem found (at least that one), and
 * `cause` holding the zod error or the error that was thrown underneath.
 */
export class InputError extends Error {
  override readonly name: string = 'InputError'
  readonly path: string
  readonly issues: readonly InputIssue[]

  constructor(message: string, options: InputErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    const path = options.path ?? options.issues?.[0]?.path ?? ''
    this.path = path
    this.issues = options.issues && options.issues.length > 0 ? options.issues : [{ path, message }]
  }
}
