import { AssumeRoleCommand, type AssumeRoleCommandOutput, type STSClient } from '@aws-sdk/client-sts'
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types'
import { MEMBER_ROLE_NAME } from '#shared/catalog/guard-roles.ts'
import { DEFAULT_PARTITION, isAccountId, parseArn } from '#shared/policy/arn.ts'

/**
 * Session names the guard's functions give the member role. CloudTrail records the session name in
 * the caller's ARN (`assumed-role/<role>/<session>`): detect tells the guard's own reverts in a
 * member account by the remediate session's name.
 */
export const MEMBER_SESSION_NAMES = {
  detect: 'support-guard-detect',
  remediate: 'support-guard-remediate',
  audit: 'support-guard-audit',
  /** `support-guard snapshot --org`, run by a person or pipeline through the reader role. */
  snapshot: 'support-guard-snapshot',
} as const

export type MemberSessionName = (typeof MEMBER_SESSION_NAMES)[keyof typeof MEMBER_SESSION_NAMES]

/**
 * The session policy of the reading functions (detect, audit). A session's permissions are the
 * intersection of the role's and the session policy's (IAM User Guide, session policies), so a
 * session of the member role opened to read cannot write, whatever the role itself holds.
 */
export const READ_ONLY_SESSION_POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'ReadOnly',
      Effect: 'Allow',
      Action: ['iam:Get*', 'iam:List*', 'supportapp:List*'],
      Resource: '*',
    },
  ],
})

/** Credentials are renewed this long before they expire, so no call goes out with stale ones. */
const RENEW_BEFORE_MS = 5 * 60_000

/** The member role of an account could not be assumed, or the account is not one the guard may act in. */
export class MemberSessionError extends Error {
  override readonly name = 'MemberSessionError'
}

export interface MemberSessionOptions {
  readonly sts: Pick<STSClient, 'send'>
  readonly roleName?: string
  readonly sessionName: MemberSessionName
  /** `read` sessions carry READ_ONLY_SESSION_POLICY; `write` sessions (remediate) the role's own permissions. */
  readonly access: 'read' | 'write'
  readonly now?: () => number
}

/**
 * Sessions of the member role, one per account, each kept until shortly before its credentials
 * expire: a warm function makes one AssumeRole call per account and hour, not one per event.
 */
export class MemberSessions {
  readonly #options: MemberSessionOptions
  readonly #providers = new Map<string, AwsCredentialIdentityProvider>()

  constructor(options: MemberSessionOptions) {
    this.#options = options
  }

  /** The member role's ARN in `accountId`. */
  roleArn(accountId: string, partition: string = DEFAULT_PARTITION): string {
    return `arn:${partition}:iam::${accountId}:role/${this.#options.roleName ?? MEMBER_ROLE_NAME}`
  }

  /**
   * A credentials provider for `accountId`, the same one for every call: it assumes the member
   * role when first asked and again when the credentials near their end.
   * @throws MemberSessionError when `accountId` is not a 12-digit account ID.
   */
  credentials(accountId: string, partition: string = DEFAULT_PARTITION): AwsCredentialIdentityProvider {
    if (!isAccountId(accountId))
      throw new MemberSessionError(`not an account ID: ${JSON.stringify(accountId)}`)
    const roleArn = this.roleArn(accountId, partition)
    let provider = this.#providers.get(roleArn)
    if (!provider) {
      provider = renewing(() => this.#assume(roleArn), this.#options.now ?? Date.now)
      this.#providers.set(roleArn, provider)
    }
    return provider
  }

  async #assume(roleArn: string): Promise<AwsCredentialIdentity> {
    let credentials: AssumeRoleCommandOutput['Credentials']
    try {
      const answer = await this.#options.sts.send(
        new AssumeRoleCommand({
          RoleArn: roleArn,
          RoleSessionName: this.#options.sessionName,
          ...(this.#options.access === 'read' ? { Policy: READ_ONLY_SESSION_POLICY } : {}),
        }),
      )
      credentials = answer.Credentials
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error)
      throw new MemberSessionError(`could not assume ${roleArn}: ${reason}`, { cause: error })
    }
    if (!credentials?.AccessKeyId || !credentials.SecretAccessKey)
      throw new MemberSessionError(`AssumeRole of ${roleArn} returned no credentials`)
    return {
      accessKeyId: credentials.AccessKeyId,
      secretAccessKey: credentials.SecretAccessKey,
      ...(credentials.SessionToken ? { sessionToken: credentials.SessionToken } : {}),
      ...(credentials.Expiration ? { expiration: credentials.Expiration } : {}),
    }
  }
}

/**
 * A provider that fetches once and again only when the credentials are within RENEW_BEFORE_MS of
 * their expiration (never, when they carry none). Callers that ask while a fetch is under way
 * share it; a failed fetch is not kept, so the next call tries again.
 */
export function renewing(
  fetch: () => Promise<AwsCredentialIdentity>,
  now: () => number = Date.now,
): AwsCredentialIdentityProvider {
  let current: AwsCredentialIdentity | undefined
  let pending: Promise<AwsCredentialIdentity> | undefined
  return async () => {
    if (current && !nearExpiry(current, now())) return current
    if (!pending) {
      pending = fetch().then(
        (fresh) => {
          current = fresh
          pending = undefined
          return fresh
        },
        (error: unknown) => {
          pending = undefined
          throw error
        },
      )
    }
    return pending
  }
}

function nearExpiry(credentials: AwsCredentialIdentity, now: number): boolean {
  return credentials.expiration !== undefined && credentials.expiration.getTime() - RENEW_BEFORE_MS <= now
}

/**
 * One SDK client per account: the function's own for its own account, one on the member role's
 * session for each other account of the organisation, created when first needed and kept.
 */
export class AccountClients<C> {
  readonly #clients = new Map<string, C>()

  constructor(
    readonly own: C,
    private readonly sessions: MemberSessions | undefined,
    private readonly make: (credentials: AwsCredentialIdentityProvider) => C,
  ) {}

  /**
   * The client that acts in `accountId`, or undefined when this guard may not act there: another
   * account than `ownAccountId` while no organisation is configured.
   */
  for(accountId: string, own: FunctionAccount): C | undefined {
    if (accountId === own.accountId) return this.own
    if (!this.sessions) return undefined
    let client = this.#clients.get(accountId)
    if (!client) {
      client = this.make(this.sessions.credentials(accountId, own.partition))
      this.#clients.set(accountId, client)
    }
    return client
  }
}

/** The account and partition a function runs in, read from its own ARN. */
export interface FunctionAccount {
  readonly accountId: string
  readonly partition: string
}

/** The account and partition of `functionArn` (the Lambda context's `invokedFunctionArn`). */
export function functionAccountOf(functionArn: string): FunctionAccount | undefined {
  const parts = parseArn(functionArn)
  return parts?.account ? { accountId: parts.account, partition: parts.partition } : undefined
}

/** The ARN CloudTrail gives the calls of a member role's session in `accountId`. */
export function memberSessionArn(
  accountId: string,
  sessionName: MemberSessionName,
  partition: string,
): string {
  return `arn:${partition}:sts::${accountId}:assumed-role/${MEMBER_ROLE_NAME}/${sessionName}`
}
