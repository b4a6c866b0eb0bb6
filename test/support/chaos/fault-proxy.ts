import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { closeServer, listenOnLoopback, readBody, relayRequest } from '../e2e/http-relay.ts'
import { createRandom } from '../synthetic/prng.ts'
import { type AwsRequestInfo, describeAwsRequest } from './aws-request.ts'
import { buildErrorReply, type ErrorKind } from './error-replies.ts'
import { decideFault, type FaultDecision, type FaultSettings } from './fault-plan.ts'
import { FaultTally, type RequestOutcome } from './fault-tally.ts'
import { type RateLimit, TokenBucket } from './token-bucket.ts'

/** One request the proxy handled. */
export interface ProxiedRequest extends AwsRequestInfo {
  readonly outcome: RequestOutcome
  /** Whether the emulator received it (forwarded, or failed after forwarding). */
  readonly applied: boolean
  /** When it arrived (epoch ms) and how long the proxy took to answer it. */
  readonly arrivedAt: number
  readonly durationMs: number
}

/** How the proxy starts. */
export interface FaultProxyOptions {
  /** Where requests go on to (the name proxy in front of the emulator). */
  readonly upstream: string
  /** Seed of the random source that picks the failing requests. */
  readonly seed: number
  /** Failures to inject; none until set. */
  readonly faults?: FaultSettings
  /** Token-bucket limits by signing service; none until set. */
  readonly rateLimits?: Readonly<Record<string, RateLimit>>
}

/**
 * A loopback proxy between the guard's functions and the emulator that fails a share of their
 * requests (see FaultSettings) and can rate-limit a service. Only the functions' clients are
 * pointed at it; the harness's own clients keep talking to the upstream directly.
 */
export interface FaultProxy {
  readonly endpoint: string
  /** Counts by service and outcome since the start or the last `resetCounts`. */
  readonly tally: FaultTally
  /** Every request since the start or the last `resetCounts`, in arrival order. */
  readonly requests: readonly ProxiedRequest[]
  /** Replaces the failures to inject (undefined: none). */
  setFaults(faults: FaultSettings | undefined): void
  /** Replaces the rate limits (fresh, full buckets). */
  setRateLimits(limits: Readonly<Record<string, RateLimit>>): void
  resetCounts(): void
  stop(): Promise<void>
}

/** Starts the proxy on a free loopback port. */
export async function startFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
  const random = createRandom(options.seed)
  const tally = new FaultTally()
  const requests: ProxiedRequest[] = []
  let faults = options.faults
  let buckets = makeBuckets(options.rateLimits ?? {})

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const arrivedAt = Date.now()
    const body = await readBody(request)
    const info = describeAwsRequest(request.headers, body.toString('utf8'))
    const note = (outcome: RequestOutcome, applied: boolean): void => {
      tally.record(info.service, outcome, info.attempt)
      requests.push({ ...info, outcome, applied, arrivedAt, durationMs: Date.now() - arrivedAt })
    }
    const bucket = buckets.get(info.service)
    if (bucket && !bucket.tryTake()) {
      note('rate-limited', false)
      return answerError(response, info, 'throttling')
    }
    const decision: FaultDecision = faults ? decideFault(faults, info.service, random) : { kind: 'none' }
    if (decision.kind === 'before') {
      note(decision.reply === 'throttling' ? 'fault-throttled' : 'fault-before', false)
      return answerError(response, info, decision.reply)
    }
    const answer = await relayRequest(options.upstream, request, body)
    if (decision.kind === 'after') {
      note(decision.reply === 'reset' ? 'fault-reset' : 'fault-after', true)
      if (decision.reply === 'reset') {
        response.socket?.destroy()
        return
      }
      return answerError(response, info, 'internal')
    }
    note('forwarded', true)
    response.writeHead(answer.status, { ...answer.headers, 'content-length': String(answer.payload.length) })
    response.end(answer.payload)
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (response.headersSent) return
      response.writeHead(502, { 'content-type': 'text/plain' })
      response.end(`fault proxy: ${error instanceof Error ? error.message : String(error)}`)
    })
  })
  const endpoint = await listenOnLoopback(server)
  return {
    endpoint,
    tally,
    requests,
    setFaults(next) {
      faults = next
    },
    setRateLimits(limits) {
      buckets = makeBuckets(limits)
    },
    resetCounts() {
      tally.reset()
      requests.length = 0
    },
    stop: () => closeServer(server),
  }
}

function answerError(response: ServerResponse, info: AwsRequestInfo, kind: ErrorKind): void {
  const reply = buildErrorReply(info, kind)
  const body = Buffer.from(reply.body, 'utf8')
  response.writeHead(reply.status, { ...reply.headers, 'content-length': String(body.length) })
  response.end(body)
}

function makeBuckets(limits: Readonly<Record<string, RateLimit>>): Map<string, TokenBucket> {
  return new Map(Object.entries(limits).map(([service, limit]) => [service, new TokenBucket(limit)]))
}
