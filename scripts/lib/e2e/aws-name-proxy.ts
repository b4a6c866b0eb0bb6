import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { PROTECTED_SERVICE_LINKED_ROLES } from '#shared/events/service-linked-roles.ts'

export interface AwsNameProxy {
  readonly endpoint: string
  /**
   * The IAM API actions (`GetRole`, `AttachUserPolicy`, …) requested through the proxy, in the
   * order they arrived: the harness reads which of them a function made while it ran.
   */
  readonly iamActions: readonly string[]
  stop(): Promise<void>
}

/** A name AWS gives and the name the emulator gives the same service-linked role. */
interface NamePair {
  readonly aws: string
  readonly emulator: string
}

/**
 * moto names a service-linked role `AWSServiceRoleFor` + the first label of the service
 * principal (`AWSServiceRoleForservicequotas`), and looks role names up case-sensitively; AWS
 * names it `AWSServiceRoleForServiceQuotas`. Only the protected roles matter here.
 */
const NAME_PAIRS: readonly NamePair[] = PROTECTED_SERVICE_LINKED_ROLES.map((role) => ({
  aws: role.roleName,
  emulator: `AWSServiceRoleFor${role.service.split('.')[0] ?? role.service}`,
}))

const DROPPED_REQUEST_HEADERS = new Set(['host', 'content-length', 'connection', 'transfer-encoding'])
const DROPPED_RESPONSE_HEADERS = new Set([
  'content-length',
  'connection',
  'transfer-encoding',
  'content-encoding',
])

/**
 * A loopback proxy in front of the emulator that makes IAM show the service-linked role names
 * AWS uses: requests naming the AWS name reach the emulator's role, responses carry the AWS name.
 * Every other request passes through unchanged.
 */
export async function startAwsNameProxy(upstream: string): Promise<AwsNameProxy> {
  const iamActions: string[] = []
  const server = createServer((request, response) => {
    forward(upstream, request, response, iamActions).catch((error: unknown) => {
      response.writeHead(502, { 'content-type': 'text/plain' })
      response.end(`emulator proxy: ${error instanceof Error ? error.message : String(error)}`)
    })
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  const { port } = server.address() as AddressInfo
  return { endpoint: `http://127.0.0.1:${port}`, iamActions, stop: () => closeServer(server) }
}

async function forward(
  upstream: string,
  request: IncomingMessage,
  response: ServerResponse,
  iamActions: string[],
): Promise<void> {
  const body = await readBody(request)
  const iam = isIamRequest(request)
  // Recorded on arrival, before the caller's promise can settle: the log is in call order.
  if (iam) iamActions.push(readIamAction(request, body))
  const headers: Record<string, string> = {}
  for (const [name, value] of Object.entries(request.headers)) {
    if (value === undefined || DROPPED_REQUEST_HEADERS.has(name)) continue
    headers[name] = Array.isArray(value) ? value.join(', ') : value
  }
  const hasBody = request.method !== 'GET' && request.method !== 'HEAD'
  const upstreamResponse = await fetch(`${upstream}${request.url ?? '/'}`, {
    method: request.method ?? 'GET',
    headers,
    ...(hasBody ? { body: iam ? renameToEmulator(body.toString('utf8')) : body } : {}),
  })
  const text = Buffer.from(await upstreamResponse.arrayBuffer())
  const payload = iam ? Buffer.from(renameToAws(text.toString('utf8')), 'utf8') : text
  const responseHeaders: Record<string, string> = {}
  upstreamResponse.headers.forEach((value, name) => {
    if (!DROPPED_RESPONSE_HEADERS.has(name)) responseHeaders[name] = value
  })
  responseHeaders['content-length'] = String(payload.length)
  response.writeHead(upstreamResponse.status, responseHeaders)
  response.end(payload)
}

/** SigV4 names the service in the credential scope: `Credential=KEY/DATE/REGION/iam/aws4_request`. */
function isIamRequest(request: IncomingMessage): boolean {
  return /\/iam\/aws4_request/.test(request.headers.authorization ?? '')
}

/**
 * IAM speaks the AWS query protocol (`Action=GetRole&Version=2010-05-08&…` in a form body); a
 * JSON-protocol client would name the operation in `X-Amz-Target` (`Service.Operation`).
 */
function readIamAction(request: IncomingMessage, body: Buffer): string {
  const fromForm = new URLSearchParams(body.toString('utf8')).get('Action')
  if (fromForm) return fromForm
  const target = request.headers['x-amz-target']
  const operation = typeof target === 'string' ? target.split('.').pop() : undefined
  return operation || 'unknown'
}

function renameToEmulator(text: string): string {
  return NAME_PAIRS.reduce((result, pair) => result.replaceAll(pair.aws, pair.emulator), text)
}

function renameToAws(text: string): string {
  return NAME_PAIRS.reduce((result, pair) => result.replaceAll(pair.emulator, pair.aws), text)
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const chunk of request) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk))
  return Buffer.concat(chunks)
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.closeAllConnections()
    server.close(() => resolve())
  })
}
