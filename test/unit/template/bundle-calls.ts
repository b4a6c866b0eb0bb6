import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import type { TemplateFunction } from '#test-support/template/template.ts'
import { toEsbuildOptions } from '../../../scripts/build.ts'

const ROOT = fileURLToPath(new URL('../../../', import.meta.url))

/** The bundle shows an AWS call this reader cannot name, or hides its calls from it. */
export class UnreadableBundleError extends Error {
  override readonly name = 'UnreadableBundleError'
}

/** One AWS API call a bundle can make, as the IAM action it needs. */
export interface BundleCall {
  readonly action: string
  /**
   * How the call is made: `document` through the DynamoDB document client (the guard's own stores),
   * `client` through a service client, `signed` as a SigV4-signed HTTP request.
   */
  readonly via: 'document' | 'client' | 'signed'
}

/**
 * Bundles one function in memory with the options scripts/build.ts uses (the template's esbuild
 * Metadata through toEsbuildOptions, the same output directory), writing nothing.
 */
export async function bundleFunction(fn: TemplateFunction): Promise<string> {
  const options = toEsbuildOptions(fn.buildProperties, {
    logicalId: fn.logicalId,
    entryPoints: fn.entryPoints,
    outdir: join(ROOT, 'dist', 'functions', fn.logicalId),
  })
  const result = await build({ ...options, absWorkingDir: ROOT, write: false, logLevel: 'silent' })
  const code = result.outputFiles.filter((file) => !file.path.endsWith('.map'))
  const [only] = code
  if (only === undefined || code.length !== 1) {
    throw new UnreadableBundleError(`${fn.logicalId}: expected one bundle, esbuild wrote ${code.length}`)
  }
  return only.text
}

/** IAM service prefix of each SDK client package the functions import. */
const CLIENT_SERVICES: Readonly<Record<string, string>> = {
  '@aws-sdk/client-dynamodb': 'dynamodb',
  '@aws-sdk/client-eventbridge': 'events',
  '@aws-sdk/client-iam': 'iam',
  '@aws-sdk/client-organizations': 'organizations',
  '@aws-sdk/client-sns': 'sns',
  '@aws-sdk/client-sqs': 'sqs',
  '@aws-sdk/client-sts': 'sts',
}

/** lib-dynamodb commands are named after the DynamoDB operation they send, less its `Item(s)`. */
const DOCUMENT_OPERATIONS: Readonly<Record<string, string | readonly string[]>> = {
  Get: 'GetItem',
  Put: 'PutItem',
  Update: 'UpdateItem',
  Delete: 'DeleteItem',
  Query: 'Query',
  Scan: 'Scan',
  BatchGet: 'BatchGetItem',
  BatchWrite: 'BatchWriteItem',
  TransactGet: 'TransactGetItems',
  // IAM has no action for a write transaction: each of its items is authorised by its own action
  // (DynamoDB Developer Guide, IAM with transactions). The guard's one transaction puts and updates.
  TransactWrite: ['PutItem', 'UpdateItem'],
}

/** Imported names that make no AWS call: clients, errors, marshalling helpers, credential providers. */
const NOT_A_CALL = /(Client|Exception)$|^(marshall|unmarshall|convertToAttr|convertToNative|defaultProvider)$/

/**
 * SigV4-signed HTTP calls made without an SDK client: the signer's `service` name, and per operation
 * a text only its request carries (the REST path) and the IAM action it needs.
 */
const SIGNED_OPERATIONS: Readonly<Record<string, readonly { marker: string; action: string }[]>> = {
  supportapp: [
    {
      marker: '/control/list-slack-channel-configurations',
      action: 'supportapp:ListSlackChannelConfigurations',
    },
  ],
}

/** Batch calls IAM authorises by the action they batch (Amazon SQS Developer Guide, batch actions). */
const BATCH_ACTIONS: Readonly<Record<string, string>> = { 'sqs:SendMessageBatch': 'SendMessage' }

const NAMED_SDK_IMPORT = /import\s*\{([^}]*)\}\s*from\s*["'](@aws-sdk\/[^"']+)["'];?/g

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

/**
 * Whether an identifier is used outside the import statements. A property `.name` does not count,
 * nor text after a backslash: a minified name such as `s_` also reads inside a regex's `[\s_-]`.
 */
export function isReferenced(body: string, identifier: string): boolean {
  return new RegExp(`(?<![\\w$.\\\\])${escapeRegExp(identifier)}(?![\\w$])`).test(body)
}

function toCall(module: string, name: string, where: string): BundleCall | BundleCall[] | undefined {
  if (NOT_A_CALL.test(name)) return undefined
  const operation = /^(.+)Command$/.exec(name)?.[1] ?? /^paginate(.+)$/.exec(name)?.[1]
  if (operation === undefined)
    throw new UnreadableBundleError(`${where}: unclassified import ${name} from ${module}`)
  if (module === '@aws-sdk/lib-dynamodb') {
    const itemOperation = DOCUMENT_OPERATIONS[operation]
    if (itemOperation === undefined)
      throw new UnreadableBundleError(`${where}: unknown document command ${name}`)
    return [itemOperation]
      .flat()
      .map((operation): BundleCall => ({ action: `dynamodb:${operation}`, via: 'document' }))
  }
  const service = CLIENT_SERVICES[module]
  if (service === undefined)
    throw new UnreadableBundleError(`${where}: no IAM service prefix known for ${module}`)
  return { action: `${service}:${BATCH_ACTIONS[`${service}:${operation}`] ?? operation}`, via: 'client' }
}

/**
 * The AWS calls a bundle can make. The SDK is external, so each command class or paginator arrives
 * by a named import; one whose local name is used beyond its import is a call the bundle can make.
 * Code esbuild keeps but no caller reaches (a class's unused method) still counts: the test lists
 * those calls with the reason. Any other way of reaching the SDK is refused, not guessed.
 */
export function readBundleCalls(bundle: string, where: string): BundleCall[] {
  const imports: { module: string; name: string; local: string }[] = []
  const body = bundle.replace(NAMED_SDK_IMPORT, (_, names: string, module: string) => {
    for (const entry of names.split(',')) {
      const [name, local] = entry.trim().split(/\s+as\s+/)
      if (name) imports.push({ module, name, local: local ?? name })
    }
    return ''
  })
  const hidden = /["']@aws-sdk\/[^"']+["']/.exec(body)
  if (hidden !== null) {
    throw new UnreadableBundleError(`${where}: ${hidden[0]} is reached other than by a named import`)
  }
  const calls = imports
    .filter((entry) => isReferenced(body, entry.local))
    .flatMap((entry) => toCall(entry.module, entry.name, where) ?? [])
  return [...calls, ...readSignedCalls(bundle, where)]
}

function readSignedCalls(bundle: string, where: string): BundleCall[] {
  const services = new Set([...bundle.matchAll(/service:"([a-z0-9-]+)"/g)].map((match) => match[1] ?? ''))
  return [...services].flatMap((service) => {
    const found = (SIGNED_OPERATIONS[service] ?? []).filter((operation) => bundle.includes(operation.marker))
    if (found.length === 0)
      throw new UnreadableBundleError(`${where}: a request signed for ${service} the test cannot name`)
    return found.map((operation): BundleCall => ({ action: operation.action, via: 'signed' }))
  })
}
