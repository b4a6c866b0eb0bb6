import { PutEventsCommand } from '@aws-sdk/client-eventbridge'
import type { IAMClient } from '@aws-sdk/client-iam'
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
import { DynamoBaselineStore } from '#shared/aws/baseline-store.ts'
import type { Baseline } from '#shared/pipeline/baseline.ts'
import {
  FINDING_DETAIL_TYPE,
  type FindingEventDetail,
  GUARD_EVENT_SOURCE,
  type GuardMode,
} from '#shared/pipeline/bus-events.ts'
import { type BundleSet, loadBundles } from './bundles.ts'
import { E2E_ACCOUNT_ID } from './cloudtrail-event.ts'
import { FindingsBusFollower } from './findings-bus-follower.ts'
import { applyEnvironment, buildGuardEnvironment } from './guard-environment.ts'
import { clearTable, type GuardStack } from './guard-stack.ts'
import { BUNDLE_DIR, startGuardWorld } from './guard-world.ts'
import { recordInitialBaselines } from './initial-baselines.ts'
import { createTrace, type Invocation, type PipelineTrace, recordBusEvent } from './pipeline-trace.ts'
import { buildScheduledEvent } from './scheduled-event.ts'
import type { GuardAccount } from './seed-guard-account.ts'

export interface HarnessOptions {
  readonly mode?: GuardMode
  /** Powertools log level of the functions; SILENT keeps test and demo output readable. */
  readonly logLevel?: string
}

/** The guard running against the emulator: the real bundles, the real SDK, routing as the template says. */
export interface E2eHarness {
  /** IAM as the scenarios see it (through the same endpoint as the functions). */
  readonly iam: IAMClient
  readonly account: GuardAccount
  readonly stack: GuardStack
  readonly mode: GuardMode
  /** Re-imports every bundle with GUARD_MODE set to `mode` (a cold start of each function). */
  useMode(mode: GuardMode): Promise<void>
  /** Forgets which findings were notified today and empties the queues, so scenarios are independent. */
  startScenario(): Promise<void>
  /** EventBridge's default bus: the CloudTrail rule's targets, then the findings bus until it is quiet. */
  deliverCloudTrailEvent(event: unknown): Promise<PipelineTrace>
  /** The schedule rule's targets (the audit), then the findings bus until it is quiet. */
  runScheduledAudit(): Promise<PipelineTrace>
  /**
   * Puts a `Support Access Finding` event on the findings bus with PutEvents, as the guard's
   * functions do (source `support-guard`), then follows the bus until it is quiet: the
   * template's rules decide which functions get it.
   */
  putFindingEvent(detail: FindingEventDetail): Promise<PipelineTrace>
  listBaselines(): Promise<readonly Baseline[]>
  stop(): Promise<void>
}

/**
 * Starts moto (throws EmulatorMissingError when moto_server is absent: callers must fail, never
 * skip), puts the name proxy in front of it, seeds the account and the stack's resources, sets
 * the functions' environment, loads the bundles and records baselines with one audit.
 */
export async function startE2eHarness(options: HarnessOptions = {}): Promise<E2eHarness> {
  const world = await startGuardWorld()
  try {
    const { proxy, iam, dynamo, events, sqs, account, stack, functionIds } = world
    const logLevel = options.logLevel ?? 'SILENT'
    let mode: GuardMode = options.mode ?? 'monitor'
    let restoreEnv = applyEnvironment(buildGuardEnvironment(proxy.endpoint, stack, mode, logLevel))
    world.onStop(() => restoreEnv())
    let bundles: BundleSet = await loadBundles(BUNDLE_DIR, functionIds)
    const baselines = new DynamoBaselineStore(DynamoDBDocumentClient.from(dynamo), stack.baselineTableName)
    const follower = new FindingsBusFollower(world.routes, sqs, stack)
    const pipeline = new Pipeline(follower, () => bundles, proxy.iamActions)
    await recordInitialBaselines({
      runAudit: () => pipeline.scheduleQuietly(),
      follower,
      list: () => baselines.list(E2E_ACCOUNT_ID),
      expected: [account.roles.supportTeam, account.roles.supportApp, account.escalation.roleArn],
    })

    return {
      iam,
      account,
      stack,
      get mode() {
        return mode
      },
      async useMode(next) {
        restoreEnv()
        restoreEnv = applyEnvironment(buildGuardEnvironment(proxy.endpoint, stack, next, logLevel))
        bundles = await loadBundles(BUNDLE_DIR, functionIds)
        mode = next
      },
      async startScenario() {
        await clearTable(dynamo, stack.notifyStateTableName)
        await sqs.drain(stack.busCaptureQueueUrl)
        await sqs.drain(stack.notificationQueueUrl)
      },
      deliverCloudTrailEvent: (event) => pipeline.deliver(event),
      runScheduledAudit: () => pipeline.schedule(),
      async putFindingEvent(detail) {
        const put = await events.send(
          new PutEventsCommand({
            Entries: [
              {
                EventBusName: stack.findingsBusName,
                Source: GUARD_EVENT_SOURCE,
                DetailType: FINDING_DETAIL_TYPE,
                Detail: JSON.stringify(detail),
              },
            ],
          }),
        )
        if ((put.FailedEntryCount ?? 0) > 0) {
          throw new Error(`PutEvents refused the finding event: ${JSON.stringify(put.Entries)}`)
        }
        return pipeline.followBus()
      },
      listBaselines: () => baselines.list(E2E_ACCOUNT_ID),
      stop: () => world.stop(),
    }
  } catch (error) {
    await world.stop()
    throw error
  }
}

/** Invokes bundles the way the template's rules would, and follows the findings bus until it is quiet. */
export class Pipeline {
  constructor(
    private readonly follower: FindingsBusFollower,
    private readonly bundles: () => BundleSet,
    /** Every IAM action the emulator received, in order (the name proxy's log). */
    private readonly iamActions: readonly string[],
  ) {}

  /** A CloudTrail event on the default bus, or on the template's bus `busId` (the intake bus). */
  async deliver(event: unknown, busId?: string): Promise<PipelineTrace> {
    const trace = createTrace()
    for (const functionId of this.follower.routeCloudTrailEvent(event, busId)) {
      await this.#invoke(trace, functionId, 'cloudtrail', event)
    }
    return this.#followBus(trace)
  }

  async schedule(): Promise<PipelineTrace> {
    const trace = createTrace()
    for (const functionId of this.follower.scheduledFunctions()) {
      await this.#invoke(trace, functionId, 'schedule', buildScheduledEvent())
    }
    return this.#followBus(trace)
  }

  /** Invokes one function with `event` (an SQS batch, say), then follows the findings bus. */
  async invoke(functionId: string, trigger: Invocation['trigger'], event: unknown): Promise<PipelineTrace> {
    const trace = createTrace()
    await this.#invoke(trace, functionId, trigger, event)
    return this.#followBus(trace)
  }

  /** What was put on the findings bus from outside the functions, followed until the bus is quiet. */
  followBus(): Promise<PipelineTrace> {
    return this.#followBus(createTrace())
  }

  /** Runs the scheduled functions and throws away what they put on the bus. */
  async scheduleQuietly(): Promise<void> {
    for (const functionId of this.follower.scheduledFunctions()) {
      await this.bundles().invoke(functionId, buildScheduledEvent())
    }
    await this.follower.drainBus()
  }

  async #invoke(trace: PipelineTrace, functionId: string, trigger: Invocation['trigger'], event: unknown) {
    const first = this.iamActions.length
    const result = await this.bundles().invoke(functionId, event)
    trace.invocations.push({ functionId, trigger, result, iamCalls: this.iamActions.slice(first) })
  }

  async #followBus(trace: PipelineTrace): Promise<PipelineTrace> {
    const notifications = await this.follower.follow({
      onEvent: (event) => recordBusEvent(trace, event),
      dispatch: (functionId, event) => this.#invoke(trace, functionId, 'findings-bus', event),
    })
    trace.notifications.push(...notifications)
    return trace
  }
}
