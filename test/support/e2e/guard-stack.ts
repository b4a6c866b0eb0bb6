import {
  CreateTableCommand,
  DeleteItemCommand,
  type DynamoDBClient,
  type KeySchemaElement,
  paginateScan,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb'
import {
  CreateEventBusCommand,
  type EventBridgeClient,
  PutRuleCommand,
  PutTargetsCommand,
} from '@aws-sdk/client-eventbridge'
import { CreateTopicCommand, type SNSClient, SubscribeCommand } from '@aws-sdk/client-sns'
import { GUARD_EVENT_SOURCE } from '#shared/pipeline/bus-events.ts'
import { E2E_ACCOUNT_ID } from './cloudtrail-event.ts'
import type { EmulatorSqs } from './emulator-sqs.ts'

/** What the stack would create, made directly in the emulator, plus two queues to read its output. */
export interface GuardStack {
  readonly findingsBusName: string
  readonly baselineTableName: string
  readonly idempotencyTableName: string
  readonly notifyStateTableName: string
  readonly topicArn: string
  /** Receives every event put on the findings bus (a rule on the bus with an SQS target). */
  readonly busCaptureQueueUrl: string
  /** Subscribed to the topic without raw delivery: each body is the SNS JSON envelope. */
  readonly notificationQueueUrl: string
}

export interface StackClients {
  readonly dynamo: DynamoDBClient
  readonly events: EventBridgeClient
  readonly sns: SNSClient
  readonly sqs: EmulatorSqs
}

/** Name of the remediate function's role; detect treats its calls as the guard's own. */
export const REMEDIATION_ROLE_ARN = `arn:aws:iam::${E2E_ACCOUNT_ID}:role/support-guard-RemediateFunctionRole-1A2B3C4D5E6F`

/**
 * The whole event, as a target without a transformer gets it. moto builds a target's input by
 * parsing each input path anew (about 25 ms each); without a transformer it uses eight, which
 * made every PutEvents on the findings bus take some 200 ms. One path and the whole-event
 * placeholder give the same event (moto adds its `ingestion-time`).
 */
const WHOLE_EVENT = { InputPathsMap: { id: '$.id' }, InputTemplate: '<aws.events.event.json>' }

const PK_SK: KeySchemaElement[] = [
  { AttributeName: 'pk', KeyType: 'HASH' },
  { AttributeName: 'sk', KeyType: 'RANGE' },
]

/**
 * Creates the findings bus, the three tables (keys and TTL attributes as template.yaml declares
 * them) and the notification topic. The emulator's EventBridge cannot invoke Lambda targets, so a
 * rule on the bus copies every guard event to an SQS queue, and the harness routes from there.
 */
export async function createGuardStack(clients: StackClients): Promise<GuardStack> {
  const findingsBusName = 'support-guard-findings'
  await clients.events.send(new CreateEventBusCommand({ Name: findingsBusName }))
  const capture = await clients.sqs.createQueue('findings-bus-capture')
  await clients.events.send(
    new PutRuleCommand({
      Name: 'capture-guard-events',
      EventBusName: findingsBusName,
      EventPattern: JSON.stringify({ source: [GUARD_EVENT_SOURCE] }),
      State: 'ENABLED',
    }),
  )
  await clients.events.send(
    new PutTargetsCommand({
      Rule: 'capture-guard-events',
      EventBusName: findingsBusName,
      Targets: [{ Id: 'capture', Arn: capture.arn, InputTransformer: WHOLE_EVENT }],
    }),
  )

  const baselineTableName = 'support-guard-baseline'
  const idempotencyTableName = 'support-guard-idempotency'
  const notifyStateTableName = 'support-guard-notify-state'
  await createTable(clients.dynamo, baselineTableName, PK_SK)
  await createTable(
    clients.dynamo,
    idempotencyTableName,
    [{ AttributeName: 'id', KeyType: 'HASH' }],
    'expiration',
  )
  await createTable(clients.dynamo, notifyStateTableName, PK_SK, 'expiresAt')

  const topic = await clients.sns.send(new CreateTopicCommand({ Name: 'support-guard-notifications' }))
  const topicArn = topic.TopicArn
  if (topicArn === undefined) throw new Error('CreateTopic returned no TopicArn')
  const notifications = await clients.sqs.createQueue('notification-subscriber')
  await clients.sns.send(
    new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: notifications.arn }),
  )

  return {
    findingsBusName,
    baselineTableName,
    idempotencyTableName,
    notifyStateTableName,
    topicArn,
    busCaptureQueueUrl: capture.url,
    notificationQueueUrl: notifications.url,
  }
}

/** Removes every item of a pk/sk table (used to forget which findings were already notified today). */
export async function clearTable(dynamo: DynamoDBClient, tableName: string): Promise<number> {
  let removed = 0
  for await (const page of paginateScan(
    { client: dynamo },
    { TableName: tableName, ProjectionExpression: 'pk, sk' },
  )) {
    for (const item of page.Items ?? []) {
      if (item.pk === undefined || item.sk === undefined) continue
      await dynamo.send(new DeleteItemCommand({ TableName: tableName, Key: { pk: item.pk, sk: item.sk } }))
      removed++
    }
  }
  return removed
}

/** A table with string keys as the template declares it, and its TTL attribute when given. */
export async function createTable(
  dynamo: DynamoDBClient,
  tableName: string,
  keySchema: KeySchemaElement[],
  ttlAttribute?: string,
): Promise<void> {
  await dynamo.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: keySchema,
      AttributeDefinitions: keySchema.map((key) => ({
        AttributeName: key.AttributeName,
        AttributeType: 'S',
      })),
    }),
  )
  if (ttlAttribute) {
    await dynamo.send(
      new UpdateTimeToLiveCommand({
        TableName: tableName,
        TimeToLiveSpecification: { AttributeName: ttlAttribute, Enabled: true },
      }),
    )
  }
}
