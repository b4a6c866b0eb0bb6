import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { EventBridgeClient } from '@aws-sdk/client-eventbridge'
import { IAMClient } from '@aws-sdk/client-iam'
import { SNSClient } from '@aws-sdk/client-sns'
import { type EmulatorClientConfig, emulatorClientConfig, startMotoServer } from '../emulator/moto-server.ts'
import { readTemplate } from '../template/template.ts'
import { type AwsNameProxy, startAwsNameProxy } from './aws-name-proxy.ts'
import { EmulatorSqs } from './emulator-sqs.ts'
import { type EventRoute, readEventRoutes } from './event-routes.ts'
import { createGuardStack, type GuardStack } from './guard-stack.ts'
import { type GuardAccount, seedGuardAccount } from './seed-guard-account.ts'

const ROOT = fileURLToPath(new URL('../../../', import.meta.url))

/** Where `npm run build` writes the Lambda bundles. */
export const BUNDLE_DIR = join(ROOT, 'dist', 'functions')

/** The project's template, whose rules route events and whose functions are bundled. */
export const TEMPLATE_PATH = join(ROOT, 'template.yaml')

/**
 * What every run of the guard against the emulator stands on: moto behind the name proxy, SDK
 * clients for the harness's own seeding and inspection (they talk to the name proxy), the
 * seeded account, the stack's resources and the template's event routes. No function is loaded.
 */
export interface GuardWorld {
  /** The name proxy in front of moto; its `iamActions` logs every IAM call that reached the emulator. */
  readonly proxy: AwsNameProxy
  /** SDK settings pointing at the name proxy. */
  readonly clientConfig: EmulatorClientConfig
  readonly iam: IAMClient
  readonly dynamo: DynamoDBClient
  readonly events: EventBridgeClient
  readonly sns: SNSClient
  readonly sqs: EmulatorSqs
  readonly account: GuardAccount
  readonly stack: GuardStack
  readonly routes: readonly EventRoute[]
  /** Every function some rule of the template targets. */
  readonly functionIds: readonly string[]
  /** Runs `cleanup` when the world stops, before what was started earlier (last in, first out). */
  onStop(cleanup: () => Promise<void> | void): void
  stop(): Promise<void>
}

/**
 * Starts moto (throws EmulatorMissingError when moto_server is absent: callers must fail, never
 * skip), puts the name proxy in front of it, seeds the account and creates the stack's resources.
 * On a failure everything started so far is stopped before the error is rethrown.
 */
export async function startGuardWorld(): Promise<GuardWorld> {
  const cleanups: Array<() => Promise<void> | void> = []
  const stop = async (): Promise<void> => {
    for (const cleanup of cleanups.reverse()) await cleanup()
    cleanups.length = 0
  }
  try {
    const moto = await startMotoServer()
    cleanups.push(() => moto.stop())
    const proxy = await startAwsNameProxy(moto.endpoint)
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
    const routes = readEventRoutes(readTemplate(TEMPLATE_PATH))
    const functionIds = [...new Set(routes.flatMap((route) => route.functionIds))]
    return {
      proxy,
      clientConfig,
      iam,
      dynamo,
      events,
      sns,
      sqs,
      account,
      stack,
      routes,
      functionIds,
      onStop: (cleanup) => cleanups.push(cleanup),
      stop,
    }
  } catch (error) {
    await stop()
    throw error
  }
}
