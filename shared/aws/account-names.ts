import { DescribeAccountCommand, type OrganizationsClient } from '@aws-sdk/client-organizations'
import type { AccountNames } from '#shared/notify/notify-event.ts'

/**
 * A name not found (the call was denied, the account left the organisation, Organizations was
 * down) is asked again after this long: long enough that a burst of findings about one account
 * makes one call, not one per event; short enough that a fixed permission shows soon.
 */
export const ACCOUNT_NAME_MISS_TTL_MS = 5 * 60 * 1000

/** DescribeAccount takes a 12-digit account ID; anything else is not worth a call. */
const ACCOUNT_ID = /^\d{12}$/

export interface AccountNamesLogger {
  warn(message: string, attributes: Readonly<Record<string, unknown>>): void
}

interface CachedName {
  readonly name: string | undefined
  /** When a miss may be asked again; a name found is kept for the life of the container. */
  readonly until: number
}

/**
 * Account names from AWS Organizations (`DescribeAccount`; the management account or a delegated
 * administrator may call it), kept for the life of the Lambda container: an account's name rarely
 * changes, and a warm container that shows an old name for a while costs nothing. The cache holds
 * at most one entry per account of the organisation. Never throws: a failed call is logged, taken
 * as "no name" and remembered for `ACCOUNT_NAME_MISS_TTL_MS`.
 */
export class OrganizationsAccountNames implements AccountNames {
  readonly #client: OrganizationsClient
  readonly #logger: AccountNamesLogger
  readonly #now: () => number
  readonly #names = new Map<string, CachedName>()

  constructor(client: OrganizationsClient, logger: AccountNamesLogger, now: () => number = Date.now) {
    this.#client = client
    this.#logger = logger
    this.#now = now
  }

  async nameOf(accountId: string): Promise<string | undefined> {
    if (!ACCOUNT_ID.test(accountId)) return undefined
    const cached = this.#names.get(accountId)
    if (cached !== undefined && (cached.name !== undefined || this.#now() < cached.until)) return cached.name
    const name = await this.#describe(accountId)
    this.#names.set(accountId, {
      name,
      until: name === undefined ? this.#now() + ACCOUNT_NAME_MISS_TTL_MS : Number.POSITIVE_INFINITY,
    })
    return name
  }

  async #describe(accountId: string): Promise<string | undefined> {
    try {
      const { Account } = await this.#client.send(new DescribeAccountCommand({ AccountId: accountId }))
      return Account?.Name || undefined
    } catch (error) {
      this.#logger.warn('could not read the account name from AWS Organizations', {
        accountId,
        retryAfterMs: ACCOUNT_NAME_MISS_TTL_MS,
        error,
      })
      return undefined
    }
  }
}
