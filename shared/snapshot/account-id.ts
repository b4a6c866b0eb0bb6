import { accountIdOfIamArn } from '#shared/policy/arn.ts'
import { SnapshotError } from './snapshot-error.ts'

/** An entry of the export that carries an ARN, with how issues name it. */
export interface ArnEntry {
  readonly arn: string
  readonly subject: string
  readonly path: string
}

export interface AccountResolution<E extends ArnEntry> {
  /** The account the export describes. */
  readonly accountId: string
  /** Entries whose ARN names another account, each with the account it names. */
  readonly foreign: readonly { readonly entry: E; readonly account: string }[]
}

/** What an account export without any account in it is attributed to. */
const PLACEHOLDER_ACCOUNT = '000000000000'

/**
 * The account the export describes, and the entries that belong to another one.
 *
 * The export's account is `AccountId` when given, else the account most ARNs name. A few
 * entries of another account (an example overlay, a hand-merged file) are left to the caller to
 * skip by name: judging them against this account would be wrong (same-account trust,
 * reachability). A contradiction about the export as a whole is an error: `AccountId` naming an
 * account that fewer ARNs name than another, or, without `AccountId`, two accounts named
 * equally often, so that nothing says which one the export describes.
 * @throws SnapshotError naming both accounts.
 */
export function resolveAccount<E extends ArnEntry>(
  declared: string | undefined,
  entries: readonly E[],
): AccountResolution<E> {
  // AWS managed policies name no account.
  const accounts = entries.map((entry) => accountIdOfIamArn(entry.arn))
  const counts = new Map<string, number>()
  for (const account of accounts)
    if (account !== undefined) counts.set(account, (counts.get(account) ?? 0) + 1)
  const example = (account: string) => entries[accounts.indexOf(account)]
  // Map order is first-seen order: the first account to reach the highest count leads.
  const ranked = [...counts].sort((a, b) => b[1] - a[1])
  const [top, second] = ranked
  if (declared !== undefined) {
    const own = counts.get(declared) ?? 0
    if (top && top[0] !== declared && top[1] > own) {
      const found = example(top[0])
      throw new SnapshotError(
        `snapshot.AccountId: is ${declared}, but ${top[1]} of its entries ${top[1] === 1 ? 'is' : 'are'} in account ${top[0]} (such as ${found?.subject}, ${found?.path}) and ${own} in ${declared}; an export describes one account`,
        'AccountId',
      )
    }
  } else if (top && second && top[1] === second[1]) {
    const first = example(top[0])
    const other = example(second[0])
    throw new SnapshotError(
      `snapshot.${other?.path}.Arn: the export names accounts ${top[0]} (such as ${first?.subject}) and ${second[0]} (such as ${other?.subject}) equally often; add AccountId to say which one it describes`,
      `${other?.path}.Arn`,
    )
  }
  const accountId = declared ?? top?.[0] ?? PLACEHOLDER_ACCOUNT
  const foreign: { entry: E; account: string }[] = []
  accounts.forEach((account, index) => {
    const entry = entries[index]
    if (account !== undefined && account !== accountId && entry) foreign.push({ entry, account })
  })
  return { accountId, foreign }
}
