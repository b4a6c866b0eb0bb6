import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { beforeAll, describe, expect, it } from 'vitest'
import { listTemplateFunctions, readTemplate } from '#test-support/template/template.ts'
import { type BundleCall, bundleFunction, readBundleCalls } from './bundle-calls.ts'
import {
  asRecord,
  functionEnvironment,
  functionStatements,
  referencedId,
  resourceProperties,
  unwrapConditional,
} from './function-policies.ts'

const ROOT = fileURLToPath(new URL('../../../', import.meta.url))
const template = readTemplate(join(ROOT, 'template.yaml'))
const functions = listTemplateFunctions(template)
const BUILD_TIMEOUT_MS = 120_000

/**
 * A permission as this test compares them: the action, and the template resource it is scoped to
 * when the role names one (`dynamodb:GetItem on BaselineTable`); IAM and Support App actions are
 * compared by action alone, their ARN patterns are checked by the other template tests.
 */
type Permission = string

interface Exception {
  readonly fn: string
  readonly permission: Permission
  readonly why: string
  /** Methods whose bodies hold the call; the bundle must never call them (no `.name` access at all). */
  readonly uncalledMethods?: readonly string[]
}

/**
 * Permissions a role needs for calls its bundle does not make itself. SNS encrypts a message to a
 * KMS-encrypted topic with the publisher's permissions: "The publisher must have the
 * kms:GenerateDataKey and kms:Decrypt permissions" (Amazon SNS Developer Guide, key management).
 */
const MADE_ON_THE_FUNCTIONS_BEHALF: readonly Exception[] = [
  {
    fn: 'NotifyFunction',
    permission: 'kms:GenerateDataKey on NotificationKey',
    why: 'SNS generates the data key for the encrypted topic',
  },
  { fn: 'NotifyFunction', permission: 'kms:Decrypt on NotificationKey', why: 'SNS decrypts the data key' },
  // Lambda's event source mapping polls the queue with the function's execution role (AWS Lambda
  // Developer Guide, using Lambda with Amazon SQS).
  ...['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'].map((action) => ({
    fn: 'AuditFunction',
    permission: `${action} on AuditQueue`,
    why: 'the event source mapping reads and deletes the audit queue messages',
  })),
]

/**
 * Calls a bundle carries in code no caller reaches: esbuild keeps a class whole, unused methods
 * included. The test proves each listed method is never called, except where the reason says why
 * it cannot.
 */
const CARRIED_BUT_NEVER_CALLED: readonly Exception[] = [
  {
    fn: 'DetectFunction',
    permission: 'iam:ListPolicyVersions',
    why: 'IamReader.listPolicyVersions has no caller',
    uncalledMethods: ['listPolicyVersions'],
  },
  {
    fn: 'RemediateFunction',
    permission: 'iam:ListPolicyVersions',
    why: 'IamReader.listPolicyVersions has no caller',
    uncalledMethods: ['listPolicyVersions'],
  },
  {
    fn: 'RemediateFunction',
    permission: 'dynamodb:PutItem on BaselineTable',
    why: 'DynamoBaselineStore.put and .putChange: remediate reads baselines and change records only',
    uncalledMethods: ['put', 'putChange'],
  },
  {
    fn: 'AuditFunction',
    permission: 'dynamodb:UpdateItem on BaselineTable',
    why: 'the document client updates only in DynamoAuditRunStore; DynamoBaselineStore has no update',
  },
  {
    fn: 'AuditFunction',
    permission: 'dynamodb:GetItem on BaselineTable',
    why:
      'DynamoBaselineStore.get and .getChange: the audit lists baselines (Query) and never gets one; ' +
      '`get` is too common a name (Map.get) to prove unused in minified code',
    uncalledMethods: ['getChange'],
  },
]

/** Whether the bundle reads a property of that name anywhere (a call, or a method passed along). */
function accessesMember(bundle: string, method: string): boolean {
  return new RegExp(`\\.${method}(?![\\w$])`).test(bundle)
}

function envTarget(fn: string, name: string): string {
  return referencedId(unwrapConditional(functionEnvironment(template, fn)[name])) ?? `<no ${name}>`
}

/** The guard's own stores: the tables named by the function's `*_TABLE_NAME` variables. */
function storeTables(fn: string): string[] {
  const tables = Object.keys(functionEnvironment(template, fn))
    .filter((name) => name.endsWith('_TABLE_NAME') && name !== 'IDEMPOTENCY_TABLE_NAME')
    .map((name) => envTarget(fn, name))
  return tables.length > 0 ? tables : ['<no store table>']
}

/**
 * The environment variable naming where a service client's calls go. The raw DynamoDB client is only
 * Powertools idempotency's (the guard's own stores use the document client); events and SNS go to the
 * bus and the topic the function is told about.
 */
const CLIENT_TARGET_ENV: Readonly<Record<string, string>> = {
  dynamodb: 'IDEMPOTENCY_TABLE_NAME',
  events: 'FINDINGS_BUS_NAME',
  sns: 'NOTIFICATION_TOPIC_ARN',
  sqs: 'AUDIT_QUEUE_URL',
}

function callPermissions(fn: string, call: BundleCall): Permission[] {
  const envName = CLIENT_TARGET_ENV[call.action.split(':')[0] ?? '']
  if (call.via === 'document') return storeTables(fn).map((table) => `${call.action} on ${table}`)
  if (envName === undefined) return [call.action]
  return [`${call.action} on ${envTarget(fn, envName)}`]
}

/** What the function's inline policies allow, in the same terms. */
function rolePermissions(fn: string): Permission[] {
  const statements = functionStatements(template, fn).filter((statement) => statement.effect === 'Allow')
  const permissions = statements.flatMap((statement) =>
    statement.actions.flatMap((action) =>
      statement.resources.map((resource) => {
        const target = referencedId(resource)
        return target === undefined ? action : `${action} on ${target}`
      }),
    ),
  )
  return [...new Set(permissions)].sort()
}

function exceptionsOf(list: readonly Exception[], fn: string): Set<Permission> {
  return new Set(list.filter((entry) => entry.fn === fn).map((entry) => entry.permission))
}

const bundles = new Map<string, string>()
const calls = new Map<string, Permission[]>()

beforeAll(async () => {
  await Promise.all(
    functions.map(async (fn) => {
      const bundle = await bundleFunction(fn)
      bundles.set(fn.logicalId, bundle)
      const permissions = readBundleCalls(bundle, fn.logicalId).flatMap((call) =>
        callPermissions(fn.logicalId, call),
      )
      calls.set(fn.logicalId, [...new Set(permissions)].sort())
    }),
  )
}, BUILD_TIMEOUT_MS)

describe('each role allows exactly the AWS calls its bundle makes', () => {
  it.each(functions.map((fn) => fn.logicalId))('%s: every call of the bundle is allowed', (fn) => {
    const allowed = new Set(rolePermissions(fn))
    const neverCalled = exceptionsOf(CARRIED_BUT_NEVER_CALLED, fn)
    const missing = (calls.get(fn) ?? []).filter(
      (permission) => !allowed.has(permission) && !neverCalled.has(permission),
    )
    expect(missing, `${fn}'s bundle calls ${missing.join(', ')}, which its role does not allow`).toEqual([])
  })

  it.each(functions.map((fn) => fn.logicalId))('%s: every allowed action is one the bundle calls', (fn) => {
    const called = new Set(calls.get(fn) ?? [])
    const onBehalf = exceptionsOf(MADE_ON_THE_FUNCTIONS_BEHALF, fn)
    const unused = rolePermissions(fn).filter(
      (permission) => !called.has(permission) && !onBehalf.has(permission),
    )
    expect(unused, `${fn}'s role allows ${unused.join(', ')}, which its bundle never calls`).toEqual([])
  })
})

describe('the listed exceptions', () => {
  const proofs = CARRIED_BUT_NEVER_CALLED.flatMap((entry) =>
    (entry.uncalledMethods ?? []).map((method) => ({ ...entry, method })),
  )

  it.each(proofs)('$fn never calls $method ($permission)', ({ fn, method, permission }) => {
    expect(
      accessesMember(bundles.get(fn) ?? '', method),
      `${fn} calls ${method}: allow ${permission} in its role and drop the exception`,
    ).toBe(false)
  })

  it('each excuse a call the bundle still carries', () => {
    const stale = CARRIED_BUT_NEVER_CALLED.filter(
      (entry) => !(calls.get(entry.fn) ?? []).includes(entry.permission),
    ).map((entry) => `${entry.fn}: ${entry.permission} (${entry.why})`)
    expect(stale, 'these exceptions no longer apply: remove them').toEqual([])
  })

  it('count KMS as SNS’s only while notify publishes to a topic encrypted with that key', () => {
    expect(calls.get('NotifyFunction')).toContain('sns:Publish on NotificationTopic')
    expect(referencedId(asRecord(resourceProperties(template, 'NotificationTopic')).KmsMasterKeyId)).toBe(
      'NotificationKey',
    )
  })
})
