import { writeFile } from 'node:fs/promises'
import { toAuthorizationDetails } from '#shared/snapshot/to-authorization-details.ts'
import type { AccountSnapshot } from '#shared/snapshot/types.ts'

/** Writes a snapshot in the `get-account-authorization-details` shape the CLI reads back. */
export async function writeSnapshotFile(path: string, snapshot: AccountSnapshot): Promise<void> {
  await writeFile(path, `${JSON.stringify(toAuthorizationDetails(snapshot), null, 2)}\n`)
}
