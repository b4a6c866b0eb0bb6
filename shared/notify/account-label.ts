/**
 * An account as a notification names it: its ID, then its name in AWS Organizations when known
 * (`111122223333 (workload-prod)`). The ID comes first and always, so a reader can search for it
 * and a message without a name still says which account it is.
 */
export function accountLabel(accountId: string, accountName?: string): string {
  const name = accountName?.replace(/\s+/gu, ' ').trim()
  return name ? `${accountId} (${name})` : accountId
}
