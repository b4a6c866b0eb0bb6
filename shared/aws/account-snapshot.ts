import type { IAMClient } from '@aws-sdk/client-iam'
import type { OrganizationFile } from '#shared/snapshot/organization.ts'
import { parseAccountSnapshot } from '#shared/snapshot/parse-snapshot.ts'
import type { AccountSnapshot } from '#shared/snapshot/types.ts'
import { readAuthorizationDetails } from './authorization-details.ts'
import type { SupportAppChannelReader } from './support-app-channels.ts'

/** What reads one account: its IAM and its Support App channels (the function's own, or a member session's). */
export interface AccountReaders {
  readonly iam: IAMClient
  readonly channels: SupportAppChannelReader
}

export interface ReadAccountOptions {
  readonly warn: (message: string) => void
  /** The organisation the account belongs to: its SCPs are then evaluated level by level. */
  readonly organization?: () => Promise<OrganizationFile>
}

/**
 * One account as an audit reads it: its authorization details (every page), its Support App
 * channels and, for the central guard, its organisation. The channels complete the picture; when
 * they cannot be read the audit still runs on trust and config, and `warn` says why.
 */
export async function readAccountSnapshot(
  readers: AccountReaders,
  accountId: string | undefined,
  options: ReadAccountOptions,
): Promise<AccountSnapshot> {
  const details = await readAuthorizationDetails(readers.iam, accountId)
  const configurations = await readers.channels.list(options.warn).catch((error: unknown) => {
    options.warn(
      `Support App channel configurations not read: ${error instanceof Error ? error.message : String(error)}`,
    )
    return []
  })
  const snapshot = parseAccountSnapshot({ ...details, SupportAppSlackChannelConfigurations: configurations })
  return options.organization ? { ...snapshot, organization: await options.organization() } : snapshot
}
