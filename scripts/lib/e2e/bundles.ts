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

const FUNCTION_TIMEOUT_MS = 30_000
const BUILD_GRACE_MS = 15_000
let generation = 0

/**
 * The built Lambda bundles (dist/functions/<LogicalId>/handler.mjs) loaded in this process.
 * Each bundle reads its environment and creates its SDK clients at import, as a cold start
 * does, so set process.env before `loadBundles`; a second load imports fresh copies.
 */
export interface BundleSet {
  readonly functionIds: readonly string[]
  invoke(functionId: string, event: unknown): Promise<unknown>
}

export async function loadBundles(distDir: string, functionIds: readonly string[]): Promise<BundleSet> {
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
    async invoke(functionId, event) {
      const handler = handlers.get(functionId)
      if (!handler) throw new BundleLoadError(`no bundle loaded for ${functionId}`)
      process.env.AWS_LAMBDA_FUNCTION_NAME = functionName(functionId)
      try {
        return await handler(structuredClone(event), makeContext(functionId))
      } catch (error) {
        const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error)
        throw new BundleInvocationError(`${functionId} failed: ${detail}`, { cause: error })
      }
    },
  }
}

/** A Lambda context for one invocation; the ARN names the account, as the audit function reads it. */
export function makeContext(functionId: string): Context {
  const name = functionName(functionId)
  const deadline = Date.now() + FUNCTION_TIMEOUT_MS
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
