import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { PROTECTED_SERVICE_LINKED_ROLES } from '#shared/catalog/service-linked-roles.ts'
import { closeServer, listenOnLoopback, readBody, relayRequest } from './http-relay.ts'

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
  const endpoint = await listenOnLoopback(server)
  return { endpoint, iamActions, stop: () => closeServer(server) }
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
  const answer = await relayRequest(upstream, request, iam ? renameToEmulator(body.toString('utf8')) : body)
  const payload = iam ? Buffer.from(renameToAws(answer.payload.toString('utf8')), 'utf8') : answer.payload
  response.writeHead(answer.status, { ...answer.headers, 'content-length': String(payload.length) })
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
