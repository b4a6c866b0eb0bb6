import type { IAMClient } from '@aws-sdk/client-iam'
import { parseAccountSnapshot } from '#shared/snapshot/parse-snapshot.ts'
import type { AccountSnapshot } from '#shared/snapshot/types.ts'
import { readAuthorizationDetails } from './authorization-details.ts'
import type { SupportAppChannelReader } from './support-app-channels.ts'

/**
 * One account as an audit reads it: its authorization details (every page) and its Support App
 * channels. The channels complete the picture; when they cannot be read the audit still runs on
 * trust and config, and `warn` says why.
 */
export async function readAccountSnapshot(
  iam: IAMClient,
  channels: SupportAppChannelReader,
  accountId: string | undefined,
  warn: (message: string) => void,
): Promise<AccountSnapshot> {
  const details = await readAuthorizationDetails(iam, accountId)
  const configurations = await channels.list(warn).catch((error: unknown) => {
    warn(
      `Support App channel configurations not read: ${error instanceof Error ? error.message : String(error)}`,
    )
    return []
  })
  return parseAccountSnapshot({ ...details, SupportAppSlackChannelConfigurations: configurations })
}
