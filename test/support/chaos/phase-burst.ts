import { setTimeout as sleep } from 'node:timers/promises'
import type { GuardMode } from '#shared/pipeline/bus-events.ts'
import { TEMPLATE_PATH } from '../e2e/guard-world.ts'
import { createRandom } from '../synthetic/prng.ts'
import { readTemplate } from '../template/template.ts'
import {
  createCampaignPrincipals,
  drawKinds,
  type KindWeights,
  makeCampaignChanges,
  REVERTED_KINDS,
} from './campaign-events.ts'
import { judgeCampaign } from './campaign-ledger.ts'
import { runInOwnWorld } from './chaos-world.ts'
import { summarizeDeliveries, topErrors } from './delivery-stats.ts'
import { readFunctionSettings } from './function-settings.ts'
import type { RateLimit } from './token-bucket.ts'

/** Detect's concurrency when the template reserves none. */
export const DEFAULT_DETECT_CONCURRENCY = 5

/** Role changes only: grants to unapproved roles and detaches from required ones. */
const ROLE_CHANGES: KindWeights = {
  'grant-role': 50,
  'grant-user': 0,
  'revoke-required': 50,
  'deny-required': 0,
}

/** How the burst runs. */
export interface BurstOptions {
  readonly events: number
  /** The changes arrive at seeded random times within this window. */
  readonly windowMs: number
  /** IAM's rate limit, enforced by the fault proxy with IAM's throttling error. */
  readonly iamLimit: RateLimit
  /** Detect's execution environments (default: the template's reserved concurrency, else 5). */
  readonly detectConcurrency?: number
  /** Execution environments of remediate and notify. */
  readonly concurrency: number
  readonly seed: number
  readonly mode: GuardMode
}

/** What the burst came to. */
export interface BurstReport {
  readonly options: BurstOptions
  readonly detectConcurrency: number
  readonly iamRequests: number
  /** Requests refused by the rate limit with IAM's throttling error. */
  readonly throttled: number
  /** IAM requests the SDK marked as retries (`amz-sdk-request: attempt>1`). */
  readonly sdkRetries: number
  /** Handler attempts that failed anyway (after the SDK's retries), every function. */
  readonly failedAttempts: number
  readonly deadLettered: number
  readonly delivered: number
  readonly lost: number
  /** Longest time an IAM-reading invocation of detect took. */
  readonly slowestDetectMs: number
  readonly errors: readonly string[]
  readonly wallMs: number
  /** From the last arrival until everything was over. */
  readonly drainMs: number
}

/**
 * A burst of role changes: `events` changes arriving within `windowMs`, IAM rate-limited by the
 * fault proxy's token bucket, detect limited to its reserved concurrency, the functions with the
 * template's timeouts. No other failure is injected, so every failed attempt is one the SDK's
 * retries did not absorb.
 */
export async function runBurst(options: BurstOptions): Promise<BurstReport> {
  const started = Date.now()
  const random = createRandom(options.seed)
  const kinds = drawKinds(options.events, ROLE_CHANGES, random)
  const detectConcurrency =
    options.detectConcurrency ??
    readFunctionSettings(readTemplate(TEMPLATE_PATH)).get('DetectFunction')?.reservedConcurrency ??
    DEFAULT_DETECT_CONCURRENCY
  return runInOwnWorld(
    {
      mode: options.mode,
      seed: options.seed,
      concurrency: {
        DetectFunction: detectConcurrency,
        RemediateFunction: options.concurrency,
        NotifyFunction: options.concurrency,
      },
    },
    (world) => createCampaignPrincipals(world.iam, kinds),
    async (chaos, principals) => {
      const events = await makeCampaignChanges(chaos.world.iam, principals)
      const arrivals = events.map(() => random.next() * options.windowMs).sort((a, b) => a - b)
      chaos.faultProxy.resetCounts()
      chaos.faultProxy.setRateLimits({ iam: options.iamLimit })
      const begin = Date.now()
      let lastArrival = begin
      await chaos.drive(async (send) => {
        const sent: Promise<void>[] = []
        for (const [index, event] of events.entries()) {
          const wait = begin + (arrivals[index] ?? 0) - Date.now()
          if (wait > 0) await sleep(wait)
          sent.push(send(event.event))
        }
        lastArrival = Date.now()
        await Promise.all(sent)
      })
      chaos.faultProxy.setRateLimits({})
      const iam = chaos.faultProxy.tally.snapshot().iam
      const reverts = (event: { kind: (typeof kinds)[number] }) =>
        options.mode === 'enforce' && REVERTED_KINDS.has(event.kind)
      const { figures } = judgeCampaign(
        events,
        chaos.observations.notifications,
        chaos.lambda.deadLetters,
        reverts,
      )
      const deliveries = chaos.lambda.deliveries
      const detectTimes = deliveries
        .filter((delivery) => delivery.functionId === 'DetectFunction')
        .flatMap((delivery) => delivery.attempts.map((attempt) => attempt.durationMs))
      return {
        options,
        detectConcurrency,
        iamRequests: iam?.requests ?? 0,
        throttled: iam?.rateLimited ?? 0,
        sdkRetries: iam?.sdkRetries ?? 0,
        failedAttempts: summarizeDeliveries(deliveries).reduce((sum, entry) => sum + entry.failedAttempts, 0),
        deadLettered: chaos.lambda.deadLetters.length,
        delivered: figures.delivered,
        lost: figures.lost,
        slowestDetectMs: Math.max(0, ...detectTimes),
        errors: topErrors(deliveries),
        wallMs: Date.now() - started,
        drainMs: Date.now() - lastArrival,
      }
    },
  )
}

/** Failed attempts, dead letters and lost events: the SDK's retries must absorb the throttling. */
export function listBurstViolations(report: BurstReport): string[] {
  const violations: string[] = []
  if (report.failedAttempts > 0)
    violations.push(`burst: ${report.failedAttempts} attempt(s) failed after the SDK's retries`)
  if (report.deadLettered > 0) violations.push(`burst: ${report.deadLettered} delivery(ies) dead-lettered`)
  if (report.lost > 0) violations.push(`burst: ${report.lost} event(s) lost`)
  return violations
}

/** `burst: 300 role changes in 60 s, …` */
export function formatBurst(report: BurstReport): string[] {
  const { options } = report
  return [
    `burst: ${options.events} role changes in ${(options.windowMs / 1000).toFixed(0)} s (${options.mode}), detect concurrency ${report.detectConcurrency}, IAM limited to ${options.iamLimit.ratePerSecond}/s (burst ${options.iamLimit.burst}): IAM requests ${report.iamRequests}, throttling answers ${report.throttled}, SDK retries ${report.sdkRetries}, failures after retries ${report.failedAttempts}, dead-lettered ${report.deadLettered}, delivered ${report.delivered}, lost ${report.lost}`,
    `  slowest detect invocation ${(report.slowestDetectMs / 1000).toFixed(1)} s; done ${(report.drainMs / 1000).toFixed(1)} s after the last change; wall time ${(report.wallMs / 1000).toFixed(1)} s`,
    ...(report.errors.length > 0 ? [`  errors: ${report.errors.join('; ')}`] : []),
  ]
}
