import type { GuardMode } from '#shared/pipeline/bus-events.ts'
import { createRandom } from '../synthetic/prng.ts'
import {
  type CampaignEvent,
  createCampaignPrincipals,
  DEFAULT_KIND_WEIGHTS,
  drawKinds,
  type KindWeights,
  makeCampaignChanges,
  REVERTED_KINDS,
} from './campaign-events.ts'
import {
  type CampaignFigures,
  type EventFate,
  isLost,
  isRemediationSilent,
  judgeCampaign,
} from './campaign-ledger.ts'
import { type ChaosWorld, runInOwnWorld } from './chaos-world.ts'
import { type FunctionDeliveryStats, summarizeDeliveries, topErrors } from './delivery-stats.ts'
import { uniformFaults } from './fault-plan.ts'
import type { ServiceTally } from './fault-tally.ts'
import { countWritesByTarget, listGuardWrites } from './guard-writes.ts'
import { countUnmarkedRepeats, listUnmarkedRepeats, outcomeOf } from './notification-index.ts'

/** How the campaign runs. */
export interface CampaignOptions {
  readonly events: number
  /** Share of the functions' requests that fail, for every service they call. */
  readonly faultRate: number
  readonly seed: number
  readonly mode: GuardMode
  /** Timeout of the event-driven functions (ms). */
  readonly timeoutMs: number
  /** Execution environments per function. */
  readonly concurrency: number
  readonly weights?: KindWeights
}

/** What the campaign found. */
export interface CampaignReport {
  readonly options: CampaignOptions
  readonly figures: CampaignFigures
  /** Injected failures (rate limiting not included). */
  readonly faults: number
  readonly tallies: Readonly<Record<string, ServiceTally>>
  /** Changes by kind. */
  readonly kinds: Readonly<Record<string, number>>
  readonly fates: readonly EventFate[]
  readonly functions: readonly FunctionDeliveryStats[]
  readonly errors: readonly string[]
  /** Notifications by `outcome` attribute. */
  readonly outcomes: Readonly<Record<string, number>>
  readonly notifications: number
  readonly withoutNotificationId: number
  readonly possibleRepeats: number
  /**
   * Notifications with more than one copy lacking `possibleRepeat`: reported, not a violation
   * (every copy carries its notificationId; the flag is a hint on top).
   */
  readonly unmarkedRepeats: number
  readonly unmarkedRepeatIds: readonly string[]
  /** SNS messages the subscriber queue handed out again (same MessageId): dropped, not counted. */
  readonly queueRedeliveries: number
  /** IAM writes by the functions, one per SDK operation, and the requests they took. */
  readonly guardWrites: { readonly operations: number; readonly requests: number }
  /** Principals the functions wrote more than once. */
  readonly writtenTwice: readonly string[]
  readonly wallMs: number
}

/**
 * ≥1,000 finding-raising changes, each on its own principal, made in IAM and delivered at once
 * while the fault proxy fails `faultRate` of the functions' requests (half before, half after
 * the emulator applied them); then every notification and dead letter is attributed to its event.
 */
export async function runCampaign(options: CampaignOptions): Promise<CampaignReport> {
  const started = Date.now()
  const random = createRandom(options.seed)
  const kinds = drawKinds(options.events, options.weights ?? DEFAULT_KIND_WEIGHTS, random)
  return runInOwnWorld(
    {
      mode: options.mode,
      seed: options.seed,
      timeoutMs: options.timeoutMs,
      concurrency: options.concurrency,
    },
    (world) => createCampaignPrincipals(world.iam, kinds),
    async (chaos, principals) => {
      const events = await makeCampaignChanges(chaos.world.iam, principals)
      chaos.faultProxy.resetCounts()
      chaos.faultProxy.setFaults(uniformFaults(options.faultRate))
      await chaos.drive(async (send) => {
        await Promise.all(events.map((event) => send(event.event)))
      })
      chaos.faultProxy.setFaults(undefined)
      return buildReport(options, events, chaos, started)
    },
  )
}

function buildReport(
  options: CampaignOptions,
  events: readonly CampaignEvent[],
  chaos: ChaosWorld,
  started: number,
): CampaignReport {
  const { observations, lambda, faultProxy } = chaos
  const reverts = (event: CampaignEvent) => options.mode === 'enforce' && REVERTED_KINDS.has(event.kind)
  const { fates, figures } = judgeCampaign(events, observations.notifications, lambda.deadLetters, reverts)
  const outcomes: Record<string, number> = {}
  for (const notification of observations.notifications) {
    const outcome = outcomeOf(notification)
    outcomes[outcome] = (outcomes[outcome] ?? 0) + 1
  }
  const kinds: Record<string, number> = {}
  for (const event of events) kinds[event.kind] = (kinds[event.kind] ?? 0) + 1
  const writes = listGuardWrites(faultProxy.requests)
  const writtenTwice = [...countWritesByTarget(writes)]
    .filter(([, count]) => count > 1)
    .map(([target]) => target)
  return {
    options,
    figures,
    faults: faultProxy.tally.totalFaults(),
    tallies: faultProxy.tally.snapshot(),
    kinds,
    fates,
    functions: summarizeDeliveries(lambda.deliveries),
    errors: topErrors(lambda.deliveries),
    outcomes,
    notifications: observations.notifications.length,
    withoutNotificationId: observations.notifications.filter((n) => n.attributes.notificationId === undefined)
      .length,
    possibleRepeats: observations.notifications.filter((n) => n.attributes.possibleRepeat === 'true').length,
    unmarkedRepeats: countUnmarkedRepeats(observations.notifications),
    unmarkedRepeatIds: listUnmarkedRepeats(observations.notifications).slice(0, 3),
    queueRedeliveries: observations.queueRedeliveries,
    guardWrites: {
      operations: writes.length,
      requests: writes.reduce((sum, write) => sum + write.requests, 0),
    },
    writtenTwice,
    wallMs: Date.now() - started,
  }
}

/** The one summary line: `events N, faults F, delivered D, failure-notified R, dead-lettered Q, lost L, duplicate notifications U`. */
export function formatCampaignSummary(report: CampaignReport): string {
  const { figures } = report
  return `events ${figures.events}, faults ${report.faults}, delivered ${figures.delivered}, failure-notified ${figures.failureNotified}, dead-lettered ${figures.deadLettered}, lost ${figures.lost}, duplicate notifications ${figures.duplicateNotifications}`
}

/** Lost events and silent remediations: what makes the campaign fail. */
export function listCampaignViolations(report: CampaignReport): string[] {
  const violations: string[] = []
  if (report.figures.lost > 0) violations.push(`${report.figures.lost} event(s) lost`)
  if (report.figures.remediationSilent > 0) {
    violations.push(`${report.figures.remediationSilent} revert(s) announced but never reported`)
  }
  return violations
}

/** A few events of a kind of fate, for the breakdown: `<eventID> revoke-required chaos-required-0012`. */
export function sampleFates(fates: readonly EventFate[], which: 'lost' | 'silent', limit = 5): string[] {
  const test = which === 'lost' ? isLost : isRemediationSilent
  return fates
    .filter(test)
    .slice(0, limit)
    .map((fate) => `${fate.event.eventId} ${fate.event.kind} ${fate.event.principalName}`)
}
