import { IAMClient } from '@aws-sdk/client-iam'
import { readAuthorizationDetails } from '#shared/aws/authorization-details.ts'
import { SupportAppChannelReader } from '#shared/aws/support-app-channels.ts'
import { parseAccountSnapshot } from '#shared/snapshot/parse-snapshot.ts'
import type { LiveCommands } from './run-cli.ts'

/**
 * Commands that read the live account through the AWS SDK credential chain. IAM is global;
 * its endpoint is in us-east-1 unless --region says otherwise. --endpoint-url points the
 * client at another endpoint (a local emulator); AWS_ENDPOINT_URL works too.
 */
export const liveCommands: LiveCommands = {
  readLiveSnapshot: async ({ region, endpointUrl }) => {
    const iam = new IAMClient({
      region: region ?? 'us-east-1',
      ...(endpointUrl ? { endpoint: endpointUrl } : {}),
    })
    const details = await readAuthorizationDetails(iam)
    // Channel configurations complete the picture; without them the audit still runs on trust and config.
    const channels = await new SupportAppChannelReader(endpointUrl ? { endpoint: endpointUrl } : {})
      .list(warn)
      .catch((error: unknown) => {
        warn(
          `Support App channel configurations not read: ${error instanceof Error ? error.message : String(error)}`,
        )
        return []
      })
    return parseAccountSnapshot({ ...details, SupportAppSlackChannelConfigurations: channels })
  },
}

function warn(message: string): void {
  process.stderr.write(`support-guard: warning: ${message}\n`)
}
