import type { IncomingMessage, Server } from 'node:http'

/** What the upstream answered: status, the headers worth passing on, and the body. */
export interface RelayedResponse {
  readonly status: number
  readonly headers: Record<string, string>
  readonly payload: Buffer
}

const DROPPED_REQUEST_HEADERS = new Set(['host', 'content-length', 'connection', 'transfer-encoding'])
const DROPPED_RESPONSE_HEADERS = new Set([
  'content-length',
  'connection',
  'transfer-encoding',
  'content-encoding',
])

/** The whole request body (the SDK's bodies are small). */
export async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const chunk of request) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk))
  return Buffer.concat(chunks)
}

/**
 * Sends a request on to `upstream` (method, path, headers but the hop-by-hop ones, `body`) and
 * reads the whole answer. Rejects when the upstream cannot be reached.
 */
export async function relayRequest(
  upstream: string,
  request: IncomingMessage,
  body: Buffer | string,
): Promise<RelayedResponse> {
  const headers: Record<string, string> = {}
  for (const [name, value] of Object.entries(request.headers)) {
    if (value === undefined || DROPPED_REQUEST_HEADERS.has(name)) continue
    headers[name] = Array.isArray(value) ? value.join(', ') : value
  }
  const hasBody = request.method !== 'GET' && request.method !== 'HEAD'
  const answer = await fetch(`${upstream}${request.url ?? '/'}`, {
    method: request.method ?? 'GET',
    headers,
    ...(hasBody ? { body } : {}),
  })
  const payload = Buffer.from(await answer.arrayBuffer())
  const responseHeaders: Record<string, string> = {}
  answer.headers.forEach((value, name) => {
    if (!DROPPED_RESPONSE_HEADERS.has(name)) responseHeaders[name] = value
  })
  return { status: answer.status, headers: responseHeaders, payload }
}

/** Listens on a free loopback port and returns the endpoint (`http://127.0.0.1:<port>`). */
export async function listenOnLoopback(server: Server): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  const address = server.address()
  if (address === null || typeof address === 'string') throw new TypeError('the proxy has no TCP address')
  return `http://127.0.0.1:${address.port}`
}

/** Closes the server and every connection still open (the SDK keeps connections alive). */
export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.closeAllConnections()
    server.close(() => resolve())
  })
}
