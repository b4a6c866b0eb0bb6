import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
import { DynamoBaselineStore } from '#shared/aws/baseline-store.ts'
import type { GuardMode } from '#shared/pipeline/bus-events.ts'
import { E2E_ACCOUNT_ID } from '../e2e/cloudtrail-event.ts'
import { FindingsBusFollower } from '../e2e/findings-bus-follower.ts'
import { applyEnvironment, buildGuardEnvironment } from '../e2e/guard-environment.ts'
import { BUNDLE_DIR, type GuardWorld, startGuardWorld, TEMPLATE_PATH } from '../e2e/guard-world.ts'
import { InFlight } from '../e2e/in-flight.ts'
import { recordInitialBaselines } from '../e2e/initial-baselines.ts'
import { buildScheduledEvent } from '../e2e/scheduled-event.ts'
import { readTemplate } from '../template/template.ts'
import { AsyncLambda } from './async-lambda.ts'
import { CHAOS_GUARD_CONFIG } from './chaos-config.ts'
import { ChaosSetupError } from './chaos-setup-error.ts'
import { EnvironmentPool } from './environment-pool.ts'
import { type FaultProxy, startFaultProxy } from './fault-proxy.ts'
import { readFunctionSettings } from './function-settings.ts'
import { Observations } from './observations.ts'
import { METRICS_TO_CONSOLE_ENV, muteEmptyMetricsWarning } from './quiet-metrics.ts'

/** How a chaos world is set up. */
export interface ChaosWorldOptions {
  readonly mode: GuardMode
  /** Seed of the fault proxy's random source. */
  readonly seed: number
  /**
   * Timeout of the event-driven functions; the template's timeouts when absent. Short timeouts
   * make Lambda's retries come soon (a retry waits until the failed attempt's deadline).
   */
  readonly timeoutMs?: number
  /** Execution environments per event-driven function (a number for all, or by logical ID). */
  readonly concurrency: number | Readonly<Record<string, number>>
  /**
   * Whether the template's reserved concurrency caps `concurrency` (default true). A phase that
   * needs more at once models a deployment with a larger (or no) reservation.
   */
  readonly capByReservedConcurrency?: boolean
  /** GUARD_CONFIG of the functions (default CHAOS_GUARD_CONFIG). */
  readonly config?: object
  /**
   * Creates what the phase acts on, before the functions load and the first audit records
   * baselines; returns the principals that must get a baseline.
   */
  readonly prepare?: (world: GuardWorld) => Promise<readonly string[]>
  /** Powertools log level of the functions (default SILENT). */
  readonly logLevel?: string
  /**
   * The bus is read after every attempt and at least this often (default 500 ms); the
   * notification queue every `notificationsEveryMs` (default 2 s) and at the end. Each read is a
   * request to the emulator, which serves roughly a hundred a second.
   */
  readonly pollMs?: number
  readonly notificationsEveryMs?: number
}

/** Delivers one CloudTrail event to the default bus's targets; resolves when those deliveries are over. */
export type SendCloudTrailEvent = (event: unknown) => Promise<void>

/**
 * The guard against the emulator with its functions behind the fault proxy, each in a pool of
 * execution environments, invoked with Lambda's asynchronous delivery (retries, dead letters).
 */
export interface ChaosWorld {
  readonly world: GuardWorld
  /** The functions' endpoint; set faults and rate limits here once the world is ready. */
  readonly faultProxy: FaultProxy
  readonly lambda: AsyncLambda
  readonly observations: Observations
  readonly pools: ReadonlyMap<string, EnvironmentPool>
  /**
   * Runs `feed`, which sends CloudTrail events as it likes (all at once, spread over time, one
   * after another), and follows the findings bus until every delivery, retries included, is over.
   */
  drive(feed: (send: SendCloudTrailEvent) => Promise<void>): Promise<void>
  stop(): Promise<void>
}

/** Starts a chaos world; stops whatever it started when the setup fails. */
export async function startChaosWorld(options: ChaosWorldOptions): Promise<ChaosWorld> {
  const world = await startGuardWorld()
  try {
    const { account, stack } = world
    const extraBaselines = (await options.prepare?.(world)) ?? []
    const faultProxy = await startFaultProxy({ upstream: world.proxy.endpoint, seed: options.seed })
    world.onStop(() => faultProxy.stop())
    const restoreEnv = applyEnvironment({
      ...buildGuardEnvironment(
        faultProxy.endpoint,
        stack,
        options.mode,
        options.logLevel ?? 'SILENT',
        options.config ?? CHAOS_GUARD_CONFIG,
      ),
      ...METRICS_TO_CONSOLE_ENV,
    })
    world.onStop(() => restoreEnv())
    world.onStop(muteEmptyMetricsWarning())
    const follower = new FindingsBusFollower(world.routes, world.sqs, stack)
    const pools = await loadPools(world, follower, options)
    let current: InFlight | undefined
    const lambda = new AsyncLambda(pools, { onAttemptEnd: () => current?.nudge(), seed: options.seed })
    const baselines = new DynamoBaselineStore(
      DynamoDBDocumentClient.from(world.dynamo),
      stack.baselineTableName,
    )
    await recordInitialBaselines({
      runAudit: async () => {
        for (const functionId of follower.scheduledFunctions()) {
          const record = await lambda.deliver(functionId, buildScheduledEvent())
          if (record.deadLetter)
            throw new ChaosSetupError(`the initial audit failed: ${record.deadLetter.lastError}`)
        }
      },
      follower,
      list: () => baselines.list(E2E_ACCOUNT_ID),
      expected: [
        account.roles.supportTeam,
        account.roles.supportApp,
        account.escalation.roleArn,
        ...extraBaselines,
      ],
    })
    lambda.reset()
    const observations = new Observations()
    const pacing = {
      pollMs: options.pollMs ?? 500,
      notificationsEveryMs: options.notificationsEveryMs ?? 2000,
    }
    return {
      world,
      faultProxy,
      lambda,
      observations,
      pools,
      async drive(feed) {
        const work = new InFlight()
        current = work
        const send: SendCloudTrailEvent = (event) => {
          const deliveries = follower
            .routeCloudTrailEvent(event)
            .map((functionId) => lambda.deliver(functionId, event))
          const done = Promise.all(deliveries).then(() => undefined)
          work.add(done)
          return done
        }
        work.add(feed(send))
        await follower.followConcurrently(
          work,
          {
            onEvent: (event) => observations.recordBusEvent(event),
            dispatch: (functionId, event) => lambda.deliver(functionId, event),
          },
          (notifications) => observations.recordNotifications(notifications),
          pacing,
        )
        current = undefined
      },
      stop: () => world.stop(),
    }
  } catch (error) {
    await world.stop()
    throw error
  }
}

/**
 * One pool per function. Scheduled functions (the audit) keep the template's timeout and get
 * one environment; the others get the chosen timeout and concurrency, capped by the template's
 * reserved concurrency unless told otherwise.
 */
async function loadPools(
  world: GuardWorld,
  follower: FindingsBusFollower,
  options: ChaosWorldOptions,
): Promise<Map<string, EnvironmentPool>> {
  const settings = readFunctionSettings(readTemplate(TEMPLATE_PATH))
  const scheduled = new Set(follower.scheduledFunctions())
  const pools = new Map<string, EnvironmentPool>()
  for (const functionId of world.functionIds) {
    const template = settings.get(functionId)
    const templateTimeout = template?.timeoutMs ?? 30_000
    if (scheduled.has(functionId)) {
      pools.set(functionId, await EnvironmentPool.load(BUNDLE_DIR, functionId, 1, templateTimeout))
      continue
    }
    const wanted =
      typeof options.concurrency === 'number' ? options.concurrency : (options.concurrency[functionId] ?? 1)
    const cap =
      options.capByReservedConcurrency === false ? wanted : (template?.reservedConcurrency ?? wanted)
    const count = Math.max(1, Math.min(wanted, cap))
    const timeoutMs = options.timeoutMs ?? templateTimeout
    pools.set(functionId, await EnvironmentPool.load(BUNDLE_DIR, functionId, count, timeoutMs))
  }
  return pools
}

/** What a phase prepares before the functions load: at least the roles that must get a baseline. */
export interface PhaseSetup {
  readonly requiredRoleArns: readonly string[]
}

/**
 * A phase in a world of its own: starts it with `prepare` creating what the phase acts on, runs
 * the phase, and stops the world whatever happens.
 */
export async function runInOwnWorld<S extends PhaseSetup, R>(
  options: Omit<ChaosWorldOptions, 'prepare'>,
  prepare: (world: GuardWorld) => Promise<S>,
  run: (chaos: ChaosWorld, setup: S) => Promise<R>,
): Promise<R> {
  let setup: S | undefined
  const chaos = await startChaosWorld({
    ...options,
    async prepare(world) {
      setup = await prepare(world)
      return setup.requiredRoleArns
    },
  })
  try {
    if (!setup) throw new ChaosSetupError('the phase was not prepared before the functions loaded')
    return await run(chaos, setup)
  } finally {
    await chaos.stop()
  }
}
