import { type ChildProcess, spawn } from 'node:child_process'
import { createServer } from 'node:net'

/** `moto_server` is not installed (or not on PATH). */
export class EmulatorMissingError extends Error {
  override readonly name = 'EmulatorMissingError'
}

/** `moto_server` was found but did not become ready, or exited early. */
export class EmulatorStartError extends Error {
  override readonly name = 'EmulatorStartError'
}

export interface MotoServer {
  readonly endpoint: string
  stop(): Promise<void>
}

export interface EmulatorClientConfig {
  readonly endpoint: string
  readonly region: 'us-east-1'
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string }
}

const HOST = '127.0.0.1'
const READY_TIMEOUT_MS = 20_000
const READY_POLL_MS = 100
const STOP_GRACE_MS = 3_000
const STDERR_TAIL_CHARS = 2_000

/** SDK client settings for the emulator: explicit endpoint and dummy credentials, no environment lookups. */
export function emulatorClientConfig(endpoint: string): EmulatorClientConfig {
  return {
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
  }
}

/**
 * Starts a private `moto_server` on a free loopback port and resolves once it answers HTTP.
 * AWS managed policies are loaded (MOTO_IAM_LOAD_MANAGED_POLICIES) so attaching them by ARN works.
 * Throws EmulatorMissingError when `moto_server` is not on PATH, EmulatorStartError otherwise.
 */
export async function startMotoServer(): Promise<MotoServer> {
  const port = await findFreePort()
  const endpoint = `http://${HOST}:${port}`
  const child = spawn('moto_server', ['-H', HOST, '-p', String(port)], {
    env: { ...process.env, MOTO_IAM_LOAD_MANAGED_POLICIES: 'true' },
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  let stderrTail = ''
  child.stderr?.setEncoding('utf8')
  child.stderr?.on('data', (chunk: string) => {
    stderrTail = (stderrTail + chunk).slice(-STDERR_TAIL_CHARS)
  })
  const killOnExit = (): void => {
    child.kill('SIGKILL')
  }
  process.once('exit', killOnExit)

  const polling = new AbortController()
  try {
    await Promise.race([
      waitForHttp(`${endpoint}/moto-api/`, polling.signal),
      rejectOnEarlyExit(child, () => stderrTail),
    ])
  } catch (error) {
    process.removeListener('exit', killOnExit)
    await stopChild(child)
    throw error
  } finally {
    polling.abort()
  }

  return {
    endpoint,
    async stop() {
      process.removeListener('exit', killOnExit)
      await stopChild(child)
    },
  }
}

/** Binds port 0 to let the OS pick a free port, then releases it for moto to take. */
async function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, HOST, () => {
      const address = server.address()
      if (address === null || typeof address === 'string') {
        server.close()
        reject(new EmulatorStartError('could not determine a free loopback port'))
        return
      }
      server.close(() => resolve(address.port))
    })
  })
}

function rejectOnEarlyExit(child: ChildProcess, readStderr: () => string): Promise<never> {
  return new Promise((_resolve, reject) => {
    child.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') {
        reject(
          new EmulatorMissingError('moto_server not found: pip install "moto[server]"', { cause: error }),
        )
      } else {
        reject(new EmulatorStartError(`moto_server could not be started: ${error.message}`, { cause: error }))
      }
    })
    child.once('exit', (code, signal) => {
      reject(
        new EmulatorStartError(`moto_server exited early (code ${code}, signal ${signal}): ${readStderr()}`),
      )
    })
  })
}

async function waitForHttp(url: string, stopped: AbortSignal): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS
  let lastError: unknown
  while (Date.now() < deadline && !stopped.aborted) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(1_000) })
      await response.arrayBuffer()
      return
    } catch (error) {
      lastError = error
    }
    await sleep(READY_POLL_MS)
  }
  throw new EmulatorStartError(`moto_server did not answer at ${url} within ${READY_TIMEOUT_MS} ms`, {
    cause: lastError,
  })
}

/** SIGTERM, then SIGKILL if the process is still alive after the grace period. */
async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  child.kill('SIGTERM')
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS)
  try {
    await exited
  } finally {
    clearTimeout(timer)
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}
