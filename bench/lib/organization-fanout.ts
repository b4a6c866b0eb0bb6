/**
 * The organisation audit's fan-out against moto_server: an organisation of member accounts, each
 * seeded with a synthetic account; the planner queues one assignment per account and each is
 * audited as the audit function does (member session, `readAccountSnapshot`, the scheduled audit),
 * twice: a cold run (no session yet) and a warm one (sessions kept). Counts the STS, IAM and
 * Organizations calls of each run through the SDK clients (countCalls).
 */
import { IAMClient } from '@aws-sdk/client-iam'
import {
  CreateAccountCommand,
  CreateOrganizationCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations'
import { STSClient } from '@aws-sdk/client-sts'
import { readAccountSnapshot } from '#shared/aws/account-snapshot.ts'
import { AUTHORIZATION_DETAILS_PAGE_SIZE } from '#shared/aws/authorization-details.ts'
import { type CallCounter, countCalls } from '#shared/aws/call-counter.ts'
import { AccountClients, MEMBER_SESSION_NAMES, MemberSessions } from '#shared/aws/member-sessions.ts'
import { CachedOrganization } from '#shared/aws/organization-facts.ts'
import { SupportAppChannelReader } from '#shared/aws/support-app-channels.ts'
import { DEFAULT_CONFIG } from '#shared/config/guard-config.ts'
import { MemoryAuditRunStore, MemoryExposureStore } from '#shared/pipeline/memory-audit-run-store.ts'
import { MemoryBaselineStore } from '#shared/pipeline/memory-baseline-store.ts'
import type { AuditAssignment } from '#shared/pipeline/organization-audit.ts'
import {
  auditAssignment,
  crossAccountReach,
  planOrganizationAudit,
} from '#shared/pipeline/organization-audit.ts'
import { runScheduledAudit } from '#shared/pipeline/run-audit.ts'
import { parseAccountSnapshot } from '#shared/snapshot/parse-snapshot.ts'
import { iamInAccount } from '#test-support/e2e/organization-guard.ts'
import { emulatorClientConfig, startMotoServer } from '#test-support/emulator/moto-server.ts'
import { generateAccount } from '#test-support/synthetic/synthetic-account.ts'
import { seedSnapshot } from './seed-snapshot.ts'
import { formatMs, renderTable } from './table.ts'

export interface FanoutRun {
  readonly label: 'cold' | 'warm'
  readonly wallMs: number
  readonly organizations: Readonly<Record<string, number>>
  readonly sts: Readonly<Record<string, number>>
  /** Every member's IAM calls together, by operation. */
  readonly iam: Readonly<Record<string, number>>
}

export interface FanoutResult {
  readonly members: number
  readonly principalsPerMember: number
  /** Users, groups, roles and customer managed policies of one member: what its pages hold. */
  readonly entitiesPerMember: number
  readonly runs: readonly FanoutRun[]
}

const silent = { info: () => undefined, warn: () => undefined }

/** Seeds `members` accounts of `principals` each in a fresh emulator and audits them twice through the fan-out. */
export async function measureFanout(
  members: number,
  principals: number,
  seed: number,
): Promise<FanoutResult> {
  const moto = await startMotoServer()
  const config = emulatorClientConfig(moto.endpoint)
  const organizations = new OrganizationsClient(config)
  const sts = new STSClient(config)
  try {
    await organizations.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }))
    let entities = 0
    for (let index = 0; index < members; index++) {
      const created = await organizations.send(
        new CreateAccountCommand({ AccountName: `member-${index}`, Email: `member-${index}@example.com` }),
      )
      const accountId = created.CreateAccountStatus?.AccountId ?? ''
      const snapshot = parseAccountSnapshot(generateAccount({ principals, seed: seed + index, accountId }))
      entities =
        snapshot.users.length + snapshot.groups.length + snapshot.roles.length + snapshot.policies.length
      const seeder = await iamInAccount(config, accountId)
      await seedSnapshot(seeder, snapshot)
      seeder.destroy()
    }
    // The audit function's parts, as its handler wires them, with every client counted.
    const organizationCalls = countCalls(organizations)
    const stsCalls = countCalls(sts)
    const iamCounters: CallCounter[] = []
    const accounts = new AccountClients(
      { iam: new IAMClient(config), channels: new SupportAppChannelReader({ endpoint: moto.endpoint }) },
      new MemberSessions({ sts, sessionName: MEMBER_SESSION_NAMES.audit, access: 'read' }),
      (credentials) => {
        const iam = new IAMClient({ ...config, credentials })
        iamCounters.push(countCalls(iam))
        return { iam, channels: new SupportAppChannelReader({ endpoint: moto.endpoint, credentials }) }
      },
    )
    const own = { accountId: '123456789012', partition: 'aws' }
    const runs: FanoutRun[] = []
    for (const label of ['cold', 'warm'] as const) {
      for (const counter of [organizationCalls, stsCalls, ...iamCounters]) counter.reset()
      // Read once per run, as the audit function's containers keep it through a run.
      const facts = new CachedOrganization(organizations)
      const exposures = new MemoryExposureStore()
      const started = performance.now()
      const store = new MemoryAuditRunStore()
      const queued: AuditAssignment[] = []
      await planOrganizationAudit({
        listAccounts: async () =>
          (await facts.get()).Accounts.filter((account) => account.Id !== own.accountId).map((account) => ({
            id: account.Id,
          })),
        runs: store,
        queue: { send: async (assignments) => void queued.push(...assignments) },
        newRunId: () => `bench-${label}`,
        now: () => new Date(),
        logger: silent,
      })
      for (const assignment of queued)
        await auditAssignment(assignment, {
          audit: (accountId) => {
            const reader = accounts.for(accountId, own)
            if (!reader) throw new Error(`no reader for ${accountId}`)
            return runScheduledAudit({
              readSnapshot: () =>
                readAccountSnapshot(reader, accountId, {
                  warn: () => undefined,
                  organization: () => facts.get(),
                }),
              externalSupportRoles: crossAccountReach(exposures, DEFAULT_CONFIG),
              publisher: { publish: async () => undefined },
              baselines: new MemoryBaselineStore(),
              config: DEFAULT_CONFIG,
              mode: 'monitor',
              logger: silent,
              now: () => new Date(),
            })
          },
          runs: store,
          publisher: { publish: async () => undefined },
          finalAttempt: true,
          now: () => new Date(),
          logger: silent,
        })
      runs.push({
        label,
        wallMs: performance.now() - started,
        organizations: Object.fromEntries(organizationCalls.counts),
        sts: Object.fromEntries(stsCalls.counts),
        iam: sumCounts(iamCounters),
      })
    }
    return { members, principalsPerMember: principals, entitiesPerMember: entities, runs }
  } finally {
    organizations.destroy()
    sts.destroy()
    await moto.stop()
  }
}

function sumCounts(counters: readonly CallCounter[]): Record<string, number> {
  const total: Record<string, number> = {}
  for (const counter of counters)
    for (const [operation, count] of counter.counts) total[operation] = (total[operation] ?? 0) + count
  return total
}

export function renderFanout(result: FanoutResult): string[] {
  const perMember = (counts: Readonly<Record<string, number>>) =>
    Object.entries(counts)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([operation, count]) => `${operation} ${(count / result.members).toFixed(1)}`)
      .join(', ') || 'none'
  const pages = Math.ceil(result.entitiesPerMember / AUTHORIZATION_DETAILS_PAGE_SIZE)
  return [
    ...renderTable(
      ['run', 'wall ms', 'ms per account', 'STS per account', 'IAM per account', 'Organizations per run'],
      result.runs.map((run) => [
        run.label,
        formatMs(run.wallMs),
        formatMs(run.wallMs / result.members),
        perMember(run.sts),
        perMember(run.iam),
        Object.entries(run.organizations)
          .map(([operation, count]) => `${operation} ${count}`)
          .join(', ') || 'none',
      ]),
    ),
    '',
    `Each member holds ${result.entitiesPerMember} users, groups, roles and customer managed policies. moto answers GetAccountAuthorizationDetails in one page whatever its size; IAM pages it at \`MaxItems\`, which the guard sets to ${AUTHORIZATION_DETAILS_PAGE_SIZE}: about ${pages} call(s) per member in AWS (plus AWS managed policies in use), against ${Math.ceil(result.entitiesPerMember / 100)} at IAM's default of 100. The Support App's channels are one more call per account, not signed through an SDK client and not counted here.`,
  ]
}
