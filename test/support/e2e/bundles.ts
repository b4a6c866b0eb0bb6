import { randomUUID } from 'node:crypto'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { Context } from 'aws-lambda'
import { E2E_ACCOUNT_ID, E2E_REGION } from './cloudtrail-event.ts'

/** A bundle is missing or does not export a handler. */
export class BundleLoadError extends Error {
  override readonly name = 'BundleLoadError'
}

/** A handler threw: in AWS, Lambda would retry and the dead-letter queue would keep the event. */
export class BundleInvocationError extends Error {
  override readonly name = 'BundleInvocationError'
}

type Handler = (event: unknown, context: Context) => Promise<unknown>

/** The template's default function timeout (Globals.Function.Timeout, 30 s). */
export const DEFAULT_FUNCTION_TIMEOUT_MS = 30_000
const BUILD_GRACE_MS = 15_000
let generation = 0

/**
 * The built Lambda bundles (dist/functions/<LogicalId>/handler.mjs) loaded in this process.
 * Each bundle reads its environment and creates its SDK clients at import, as a cold start
 * does, so set process.env before `loadBundles`; a second load imports fresh copies.
 */
export interface BundleSet {
  readonly functionIds: readonly string[]
  /** How long each invocation may run: its context's remaining time starts there. */
  readonly timeoutMs: number
  /**
   * Runs a handler on a copy of the event. `context` defaults to a fresh one with `timeoutMs`;
   * pass one to know the invocation's deadline. Throws BundleInvocationError when it throws.
   */
  invoke(functionId: string, event: unknown, context?: Context): Promise<unknown>
}

/** How bundles are loaded. */
export interface LoadOptions {
  /** The functions' timeout (default the template's 30 s): short ones make retries come soon. */
  readonly timeoutMs?: number
}

/**
 * Imports each function's bundle as a new module instance: every call is a separate cold start
 * (a separate Lambda execution environment), with the environment variables set at that moment.
 */
export async function loadBundles(
  distDir: string,
  functionIds: readonly string[],
  options: LoadOptions = {},
): Promise<BundleSet> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_FUNCTION_TIMEOUT_MS
  generation++
  const handlers = new Map<string, Handler>()
  for (const functionId of functionIds) {
    const file = join(distDir, functionId, 'handler.mjs')
    await waitForFile(file)
    process.env.AWS_LAMBDA_FUNCTION_NAME = functionName(functionId)
    // A query string makes a distinct module instance: a new cold start with the current environment.
    const url = `${pathToFileURL(file).href}?cold-start=${generation}`
    const module: unknown = await import(/* @vite-ignore */ url)
    const handler = typeof module === 'object' && module !== null ? Reflect.get(module, 'handler') : undefined
    if (typeof handler !== 'function') throw new BundleLoadError(`${file} exports no handler function`)
    handlers.set(functionId, handler as Handler)
  }
  return {
    functionIds,
    timeoutMs,
    async invoke(functionId, event, context) {
      const handler = handlers.get(functionId)
      if (!handler) throw new BundleLoadError(`no bundle loaded for ${functionId}`)
      process.env.AWS_LAMBDA_FUNCTION_NAME = functionName(functionId)
      try {
        return await handler(structuredClone(event), context ?? makeContext(functionId, timeoutMs))
      } catch (error) {
        const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error)
        throw new BundleInvocationError(`${functionId} failed: ${detail}`, { cause: error })
      }
    },
  }
}

/**
 * A Lambda context for one invocation that starts now and may run `timeoutMs`; the ARN names
 * the account, as the audit function reads it.
 */
export function makeContext(functionId: string, timeoutMs = DEFAULT_FUNCTION_TIMEOUT_MS): Context {
  const name = functionName(functionId)
  const deadline = Date.now() + timeoutMs
  const unsupported = (): never => {
    throw new Error('callback-style completion is not used by these handlers')
  }
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: name,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${E2E_REGION}:${E2E_ACCOUNT_ID}:function:${name}`,
    memoryLimitInMB: '256',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/support-guard/${functionId}`,
    logStreamName: `e2e/${randomUUID()}`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: unsupported,
    fail: unsupported,
    succeed: unsupported,
  }
}

/** scripts/build.ts deletes and rewrites each bundle: give a build running alongside time to finish. */
async function waitForFile(file: string): Promise<void> {
  const deadline = Date.now() + BUILD_GRACE_MS
  while (!existsSync(file)) {
    if (Date.now() > deadline) throw new BundleLoadError(`${file} not found: run npm run build`)
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
}

function functionName(functionId: string): string {
  return `support-guard-${functionId}`
}
