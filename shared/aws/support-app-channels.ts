import { createHash, createHmac } from 'node:crypto'
import { defaultProvider } from '@aws-sdk/credential-provider-node'
import { SignatureV4 } from '@smithy/signature-v4'
import type { AwsCredentialIdentityProvider, SourceData } from '@smithy/types'
import type { SlackChannelConfiguration } from '#shared/snapshot/types.ts'
import { readEnv } from './runtime-config.ts'

/** Listing the Support App's Slack channel configurations failed. */
export class SupportAppReadError extends Error {
  override readonly name = 'SupportAppReadError'
}

export interface SupportAppChannelOptions {
  /** The Support App API is served from us-east-1. */
  readonly region?: string
  /** Overrides `https://supportapp.<region>.amazonaws.com`; else AWS_ENDPOINT_URL_SUPPORTAPP or AWS_ENDPOINT_URL. */
  readonly endpoint?: string
  readonly credentials?: AwsCredentialIdentityProvider
  readonly fetch?: typeof fetch
}

/**
 * Reads `ListSlackChannelConfigurations` (POST /control/list-slack-channel-configurations,
 * SigV4 service `supportapp`). The AWS SDK for JavaScript v3 has no Support App client on
 * the npm registry, so the call is signed with the SDK's own signer and sent with fetch.
 * An account without the Support App (or without the permission) answers
 * AccessDeniedException: that is "no channels", reported through `onDenied`.
 */
export class SupportAppChannelReader {
  readonly #region: string
  readonly #endpoint: URL
  readonly #signer: SignatureV4
  readonly #fetch: typeof fetch

  constructor(options: SupportAppChannelOptions = {}) {
    this.#region = options.region ?? 'us-east-1'
    // Like the SDK clients, honour the endpoint override variables (local emulators).
    const endpoint = options.endpoint ?? readEnv('AWS_ENDPOINT_URL_SUPPORTAPP') ?? readEnv('AWS_ENDPOINT_URL')
    this.#endpoint = new URL(endpoint ?? `https://supportapp.${this.#region}.amazonaws.com`)
    this.#signer = new SignatureV4({
      service: 'supportapp',
      region: this.#region,
      credentials: options.credentials ?? defaultProvider(),
      sha256: NodeSha256,
    })
    this.#fetch = options.fetch ?? fetch
  }

  async list(onDenied?: (message: string) => void): Promise<SlackChannelConfiguration[]> {
    const channels: SlackChannelConfiguration[] = []
    let nextToken: string | undefined
    do {
      const page = await this.#call(nextToken === undefined ? {} : { nextToken })
      if (page === 'denied') {
        onDenied?.('Support App channel configurations are not readable (AccessDeniedException)')
        return []
      }
      for (const item of page.slackChannelConfigurations ?? []) {
        if (item.teamId && item.channelId && item.channelRoleArn) {
          channels.push({
            teamId: item.teamId,
            channelId: item.channelId,
            ...(item.channelName ? { channelName: item.channelName } : {}),
            channelRoleArn: item.channelRoleArn,
          })
        }
      }
      nextToken = page.nextToken ?? undefined
    } while (nextToken)
    return channels
  }

  async #call(body: Record<string, string>): Promise<ChannelPage | 'denied'> {
    const payload = JSON.stringify(body)
    const path = `${this.#endpoint.pathname.replace(/\/$/, '')}/control/list-slack-channel-configurations`
    const signed = await this.#signer.sign({
      method: 'POST',
      protocol: this.#endpoint.protocol,
      hostname: this.#endpoint.hostname,
      ...(this.#endpoint.port ? { port: Number(this.#endpoint.port) } : {}),
      path,
      query: {},
      headers: { 'content-type': 'application/json', host: this.#endpoint.host },
      body: payload,
    })
    let response: Response
    try {
      response = await this.#fetch(new URL(path, this.#endpoint), {
        method: 'POST',
        headers: signed.headers,
        body: payload,
      })
    } catch (error) {
      throw new SupportAppReadError('ListSlackChannelConfigurations could not be sent', { cause: error })
    }
    const text = await response.text()
    if (response.status === 403 || /AccessDenied/.test(response.headers.get('x-amzn-errortype') ?? ''))
      return 'denied'
    if (!response.ok)
      throw new SupportAppReadError(
        `ListSlackChannelConfigurations failed with HTTP ${response.status}: ${text.slice(0, 200)}`,
      )
    try {
      return JSON.parse(text) as ChannelPage
    } catch (error) {
      throw new SupportAppReadError('ListSlackChannelConfigurations returned a body that is not JSON', {
        cause: error,
      })
    }
  }
}

interface ChannelPage {
  readonly nextToken?: string | null
  readonly slackChannelConfigurations?: readonly {
    readonly teamId?: string
    readonly channelId?: string
    readonly channelName?: string
    readonly channelRoleArn?: string
  }[]
}

/** SHA-256 (and HMAC-SHA-256 when given a secret) over node:crypto, in the shape the SigV4 signer expects. */
class NodeSha256 {
  #hash: ReturnType<typeof createHash> | ReturnType<typeof createHmac>

  constructor(private readonly secret?: SourceData) {
    this.#hash = this.#create()
  }

  update(data: Uint8Array): void {
    this.#hash.update(data)
  }

  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.#hash.digest())
  }

  reset(): void {
    this.#hash = this.#create()
  }

  #create() {
    if (this.secret === undefined) return createHash('sha256')
    return createHmac('sha256', typeof this.secret === 'string' ? this.secret : toBytes(this.secret))
  }
}

function toBytes(data: ArrayBuffer | ArrayBufferView): Uint8Array {
  return ArrayBuffer.isView(data)
    ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
    : new Uint8Array(data)
}
