/**
 * The bounds cases that run inside one process (cases 2 to 4), each reduced to whether it
 * held and one line of result for the table.
 */
import { largeGroupHolds, runLargeGroupCase } from './large-group-case.ts'
import { maxDocumentsHold, runMaxDocumentsCase } from './max-documents-case.ts'
import { roleQuotasHold, runRoleQuotasCase } from './role-quotas-case.ts'

/** What a case reports: whether it held (it found what it must) and a line for the table. */
export interface CaseReport {
  readonly ok: boolean
  readonly result: string
}

/** Members of the large group: the index of the member that must be found is `GROUP_MEMBERS - 1`. */
export const GROUP_MEMBERS = 1000

export interface InProcessCase {
  readonly name: string
  readonly title: string
  readonly run: () => Promise<CaseReport>
}

const yes = (found: boolean) => (found ? 'found' : 'MISSED')

export const IN_PROCESS_CASES: readonly InProcessCase[] = [
  {
    name: 'max-documents',
    title: '2. documents at IAM maximum (managed 6,144, inline 10,240, trust 4,096): parse, audit, 3 changes',
    run: async () => {
      const outcome = await runMaxDocumentsCase()
      const changes = outcome.changes.map((change) => `${change.expected} ${yes(change.found)}`).join(', ')
      return {
        ok: maxDocumentsHold(outcome),
        result: `${outcome.parseIssues} parse issues, CreateCase ${outcome.createCase}; ${changes}`,
      }
    },
  },
  {
    name: 'large-group',
    title: `3. group of ${GROUP_MEMBERS.toLocaleString('en-US')} users, AWSSupportAccess detached from it: detect`,
    run: async () => {
      const bulk = await runLargeGroupCase(GROUP_MEMBERS, 'last', 'bulk')
      const oneByOne = await runLargeGroupCase(GROUP_MEMBERS, 'last', 'one-by-one')
      const all = await runLargeGroupCase(GROUP_MEMBERS, 'all', 'bulk')
      return {
        ok: [bulk, oneByOne, all].every(largeGroupHolds),
        result: `${bulk.principalsChecked ?? 'unknown'} principals checked; required ${bulk.lastMember} (index ${GROUP_MEMBERS - 1}) ${yes(bulk.lastMemberFound)} (bulk read), ${yes(oneByOne.lastMemberFound)} (one by one); all required: ${all.lostFound}/${all.members} losses found`,
      }
    },
  },
  {
    name: 'role-quotas',
    title: '4. role with 20 attached (6,144 each) and 10 inline policies: audit, 2 changes',
    run: async () => {
      const outcome = await runRoleQuotasCase()
      const changes = outcome.changes
        .map((change) => `${change.change.split(' ')[0]} ${yes(change.found)}`)
        .join(', ')
      return {
        ok: roleQuotasHold(outcome),
        result: `${outcome.attached} attached, ${outcome.inline} inline, CreateCase ${outcome.createCase}; SUPPORT_ACCESS_LOST on ${changes}`,
      }
    },
  },
]
