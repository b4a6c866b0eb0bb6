import { randomUUID } from 'node:crypto'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge'
import { IAMClient } from '@aws-sdk/client-iam'
import { SNSClient } from '@aws-sdk/client-sns'
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
import { DynamoBaselineStore } from '#shared/aws/baseline-store.ts'
import type { Baseline } from '#shared/pipeline/baseline.ts'
import {
  FINDING_DETAIL_TYPE,
  type FindingEventDetail,
  GUARD_EVENT_SOURCE,
  type GuardMode,
} from '#shared/pipeline/bus-events.ts'
import { emulatorClientConfig, type MotoServer, startMotoServer } from '../moto-server.ts'
import { readTemplate } from '../template.ts'
import { type AwsNameProxy, startAwsNameProxy } from './aws-name-proxy.ts'
import { type BundleSet, loadBundles } from './bundles.ts'
import { E2E_ACCOUNT_ID, E2E_REGION, formatCloudTrailTime } from './cloudtrail-event.ts'
import { EmulatorSqs } from './emulator-sqs.ts'
import { type EventRoute, listScheduledFunctions, readEventRoutes, routeEvent } from './event-routes.ts'
import { applyEnvironment, buildGuardEnvironment } from './guard-environment.ts'
import { clearTable, createGuardStack, type GuardStack } from './guard-stack.ts'
import {
  createTrace,
  type Invocation,
  type PipelineTrace,
  parseSnsEnvelope,
  recordBusEvent,
} from './pipeline-trace.ts'
import { type GuardAccount, seedGuardAccount } from './seed-guard-account.ts'

const ROOT = fileURLToPath(new URL('../../../', import.meta.url))
/** Logical ID of the custom bus in template.yaml whose rules route findings and remediations. */
const FINDINGS_BUS_ID = 'FindingsBus'

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
  const cleanups: Array<() => Promise<void> | void> = []
  const stopAll = async (): Promise<void> => {
    for (const cleanup of cleanups.reverse()) await cleanup()
    cleanups.length = 0
  }
  try {
    const moto: MotoServer = await startMotoServer()
    cleanups.push(() => moto.stop())
    const proxy: AwsNameProxy = await startAwsNameProxy(moto.endpoint)
    cleanups.push(() => proxy.stop())
    const clientConfig = emulatorClientConfig(proxy.endpoint)
    const iam = new IAMClient(clientConfig)
    const dynamo = new DynamoDBClient(clientConfig)
    const events = new EventBridgeClient(clientConfig)
    const sns = new SNSClient(clientConfig)
    cleanups.push(() => {
      for (const client of [iam, dynamo, events, sns]) client.destroy()
    })
    const sqs = new EmulatorSqs(clientConfig)
    const account = await seedGuardAccount(iam)
    const stack = await createGuardStack({ dynamo, events, sns, sqs })
    const routes = readEventRoutes(readTemplate(join(ROOT, 'template.yaml')))
    const functionIds = [...new Set(routes.flatMap((route) => route.functionIds))]
    const logLevel = options.logLevel ?? 'SILENT'
    let mode: GuardMode = options.mode ?? 'monitor'
    let restoreEnv = applyEnvironment(buildGuardEnvironment(proxy.endpoint, stack, mode, logLevel))
    cleanups.push(() => restoreEnv())
    let bundles: BundleSet = await loadBundles(join(ROOT, 'dist', 'functions'), functionIds)
    const baselines = new DynamoBaselineStore(DynamoDBDocumentClient.from(dynamo), stack.baselineTableName)

    const pipeline = new Pipeline(routes, () => bundles, sqs, stack, proxy.iamActions)
    await recordInitialBaselines(pipeline, sqs, stack, () => baselines.list(E2E_ACCOUNT_ID), account)

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
        bundles = await loadBundles(join(ROOT, 'dist', 'functions'), functionIds)
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
      stop: stopAll,
    }
  } catch (error) {
    await stopAll()
    throw error
  }
}

/** Invokes bundles the way the template's rules would, and follows the findings bus until it is quiet. */
class Pipeline {
  constructor(
    private readonly routes: readonly EventRoute[],
    private readonly bundles: () => BundleSet,
    private readonly sqs: EmulatorSqs,
    private readonly stack: GuardStack,
    /** Every IAM action the emulator received, in order (the name proxy's log). */
    private readonly iamActions: readonly string[],
  ) {}

  async deliver(event: unknown): Promise<PipelineTrace> {
    const trace = createTrace()
    for (const functionId of routeEvent(this.routes, undefined, event)) {
      await this.#invoke(trace, functionId, 'cloudtrail', event)
    }
    return this.#followBus(trace)
  }

  async schedule(): Promise<PipelineTrace> {
    const trace = createTrace()
    for (const functionId of listScheduledFunctions(this.routes)) {
      await this.#invoke(trace, functionId, 'schedule', buildScheduledEvent())
    }
    return this.#followBus(trace)
  }

  /** What was put on the findings bus from outside the functions, followed until the bus is quiet. */
  followBus(): Promise<PipelineTrace> {
    return this.#followBus(createTrace())
  }

  /** Runs the scheduled functions and throws away what they put on the bus. */
  async scheduleQuietly(): Promise<void> {
    for (const functionId of listScheduledFunctions(this.routes)) {
      await this.bundles().invoke(functionId, buildScheduledEvent())
    }
    await this.sqs.drain(this.stack.busCaptureQueueUrl)
  }

  async #invoke(trace: PipelineTrace, functionId: string, trigger: Invocation['trigger'], event: unknown) {
    const first = this.iamActions.length
    const result = await this.bundles().invoke(functionId, event)
    trace.invocations.push({ functionId, trigger, result, iamCalls: this.iamActions.slice(first) })
  }

  async #followBus(trace: PipelineTrace): Promise<PipelineTrace> {
    const pending = await this.#drainBus()
    for (let event = pending.shift(); event !== undefined; event = pending.shift()) {
      recordBusEvent(trace, event)
      for (const functionId of routeEvent(this.routes, FINDINGS_BUS_ID, event)) {
        await this.#invoke(trace, functionId, 'findings-bus', event)
        pending.push(...(await this.#drainBus()))
      }
    }
    const messages = await this.sqs.drain(this.stack.notificationQueueUrl)
    trace.notifications.push(...messages.map((message) => parseSnsEnvelope(message.body)))
    return trace
  }

  async #drainBus(): Promise<unknown[]> {
    const messages = await this.sqs.drain(this.stack.busCaptureQueueUrl)
    return messages.map((message): unknown => JSON.parse(message.body))
  }
}

/**
 * The audit records a baseline for every protected principal that is compliant; the revert of a
 * document, trust or policy version needs one. A seeded account without them is a harness fault.
 */
async function recordInitialBaselines(
  pipeline: Pipeline,
  sqs: EmulatorSqs,
  stack: GuardStack,
  list: () => Promise<readonly Baseline[]>,
  account: GuardAccount,
): Promise<void> {
  await pipeline.scheduleQuietly()
  await sqs.drain(stack.notificationQueueUrl)
  const recorded = new Set((await list()).map((baseline) => baseline.principalArn))
  const expected = [account.roles.supportTeam, account.roles.supportApp, account.escalation.roleArn]
  const missing = expected.filter((arn) => !recorded.has(arn))
  if (missing.length > 0) {
    throw new Error(
      `the initial audit recorded no baseline for ${missing.join(', ')}: the seeded account is not compliant`,
    )
  }
}

/** What an EventBridge schedule rule sends its target. */
function buildScheduledEvent(): Record<string, unknown> {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: E2E_ACCOUNT_ID,
    time: formatCloudTrailTime(new Date()),
    region: E2E_REGION,
    resources: [`arn:aws:events:${E2E_REGION}:${E2E_ACCOUNT_ID}:rule/support-guard-AuditScheduleRule`],
    detail: {},
  }
}
