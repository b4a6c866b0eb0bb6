import { IAMClient } from '@aws-sdk/client-iam'
import { OrganizationsClient } from '@aws-sdk/client-organizations'
import { STSClient } from '@aws-sdk/client-sts'
import type { AwsCredentialIdentityProvider } from '@smithy/types'
import { readAccountSnapshot } from '#shared/aws/account-snapshot.ts'
import { MEMBER_SESSION_NAMES, MemberSessions } from '#shared/aws/member-sessions.ts'
import { readOrganizationData } from '#shared/aws/organization-reader.ts'
import { SupportAppChannelReader } from '#shared/aws/support-app-channels.ts'
import type { AccountSnapshot } from '#shared/snapshot/types.ts'
import type { LiveCommands, OrganizationSnapshotItem } from './run-cli.ts'

/**
 * Commands that read the live account through the AWS SDK credential chain. IAM is global;
 * its endpoint is in us-east-1 unless --region says otherwise. --endpoint-url points the
 * client at another endpoint (a local emulator); AWS_ENDPOINT_URL works too.
 */
export const liveCommands: LiveCommands = {
  readLiveSnapshot: ({ region, endpointUrl }) => readAccount({ region, endpointUrl }),

  /**
   * The organisation as AWS Organizations describes it (with the caller's credentials: the
   * management or a delegated administrator account), then each of its accounts read through
   * `memberRole` in that account. An account whose role cannot be assumed or read is reported
   * and the others are read.
   */
  async *readOrganizationSnapshots({ region, endpointUrl, memberRole }) {
    const organizations = new OrganizationsClient({
      region: region ?? 'us-east-1',
      ...(endpointUrl ? { endpoint: endpointUrl } : {}),
    })
    const organization = await readOrganizationData(organizations)
    yield { kind: 'organization', organization }
    const sts = new STSClient({
      region: region ?? 'us-east-1',
      ...(endpointUrl ? { endpoint: endpointUrl } : {}),
    })
    const sessions = new MemberSessions({
      sts,
      roleName: memberRole,
      sessionName: MEMBER_SESSION_NAMES.snapshot,
      access: 'read',
    })
    for (const account of organization.Accounts) {
      const name = account.Name
      try {
        const credentials = sessions.credentials(account.Id)
        const snapshot = await readAccount({ region, endpointUrl, credentials, accountId: account.Id })
        if (snapshot.accountId !== account.Id)
          throw new Error(`the role answered for account ${snapshot.accountId}, not ${account.Id}`)
        yield { kind: 'account', accountId: account.Id, ...(name ? { name } : {}), snapshot }
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error)
        yield {
          kind: 'failed',
          accountId: account.Id,
          ...(name ? { name } : {}),
          reason,
        } satisfies OrganizationSnapshotItem
      }
    }
  },
}

/** One account through the SDK: its authorization details and Support App channels. */
async function readAccount(options: {
  region?: string | undefined
  endpointUrl?: string | undefined
  credentials?: AwsCredentialIdentityProvider
  accountId?: string
}): Promise<AccountSnapshot> {
  const { region, endpointUrl, credentials } = options
  const iam = new IAMClient({
    region: region ?? 'us-east-1',
    ...(endpointUrl ? { endpoint: endpointUrl } : {}),
    ...(credentials ? { credentials } : {}),
  })
  const channels = new SupportAppChannelReader({
    ...(endpointUrl ? { endpoint: endpointUrl } : {}),
    ...(credentials ? { credentials } : {}),
  })
  return readAccountSnapshot({ iam, channels }, options.accountId, { warn })
}

function warn(message: string): void {
  process.stderr.write(`support-guard: warning: ${message}\n`)
}
