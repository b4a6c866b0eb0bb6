import { type BundleSet, loadBundles } from '../e2e/bundles.ts'

/** A pool was asked for an environment it cannot have. */
export class EnvironmentPoolError extends Error {
  override readonly name = 'EnvironmentPoolError'
}

/**
 * The execution environments of one function: separate copies of its bundle (each a cold start
 * with its own SDK clients and module state), each running one invocation at a time. Their
 * number is the function's concurrency: further invocations wait for a free one, as Lambda
 * holds back asynchronous events while a function is at its reserved concurrency.
 */
export class EnvironmentPool {
  readonly functionId: string
  readonly #idle: BundleSet[]
  readonly #waiting: Array<(environment: BundleSet) => void> = []
  readonly #size: number

  constructor(functionId: string, environments: readonly BundleSet[]) {
    if (environments.length === 0)
      throw new EnvironmentPoolError(`${functionId} needs at least one environment`)
    this.functionId = functionId
    this.#idle = [...environments]
    this.#size = environments.length
  }

  /**
   * Loads `count` copies of a function's bundle. Set the functions' environment variables first,
   * and run no invocation meanwhile: a bundle reads them when it is imported.
   */
  static async load(
    distDir: string,
    functionId: string,
    count: number,
    timeoutMs: number,
  ): Promise<EnvironmentPool> {
    const environments: BundleSet[] = []
    for (let index = 0; index < count; index++) {
      environments.push(await loadBundles(distDir, [functionId], { timeoutMs }))
    }
    return new EnvironmentPool(functionId, environments)
  }

  /** How many environments the pool has (the function's concurrency). */
  get size(): number {
    return this.#size
  }

  /** How many invocations wait for an environment. */
  get waiting(): number {
    return this.#waiting.length
  }

  /** An idle environment, or the next one released (first come, first served). */
  acquire(): Promise<BundleSet> {
    const environment = this.#idle.pop()
    if (environment) return Promise.resolve(environment)
    return new Promise((resolve) => this.#waiting.push(resolve))
  }

  /** Gives an environment back after its invocation settled. */
  release(environment: BundleSet): void {
    const next = this.#waiting.shift()
    if (next) next(environment)
    else this.#idle.push(environment)
  }
}
