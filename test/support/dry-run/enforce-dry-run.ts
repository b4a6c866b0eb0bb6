import type { GuardConfig } from '#shared/config/guard-config.ts'
import { parseChangeEvent } from '#shared/events/parse-change-event.ts'
import type { ChangeEvent } from '#shared/events/types.ts'
import type { BusEvent, FindingEventDetail, RemediationEventDetail } from '#shared/pipeline/bus-events.ts'
import { mutationOfChange } from '#shared/pipeline/change-mutation.ts'
import { detectChange } from '#shared/pipeline/detect-change.ts'
import { targetArnOf } from '#shared/pipeline/enforcement.ts'
import { MemoryBaselineStore } from '#shared/pipeline/memory-baseline-store.ts'
import { applyMutation } from '#shared/pipeline/mutate-snapshot.ts'
import { captureProtectedBaselines } from '#shared/pipeline/protected-baselines.ts'
import { remediateFinding } from '#shared/pipeline/remediate-finding.ts'
import { describeStep, type RemediationStep } from '#shared/pipeline/remediation-steps.ts'
import { MemoryRevertJournal } from '#shared/pipeline/revert-journal.ts'
import type { AccountSnapshot, GroupRecord, RoleRecord, UserRecord } from '#shared/snapshot/types.ts'
import { MemoryAccount } from '../emulator/memory-account.ts'

export interface DryRunEvent {
  readonly name: string
  readonly event: unknown
}

/** One IAM write the guard made in enforce mode, with the finding that asked for it. */
export interface DryRunWrite {
  readonly event: string
  readonly eventName: string
  readonly finding: Pick<FindingEventDetail, 'id' | 'rule' | 'severity' | 'principalArn'>
  readonly step: RemediationStep
  /** ARN of the principal or policy written, as the account names it. */
  readonly target: string
  readonly command: string
}

export interface DryRunSummary {
  readonly events: number
  readonly changes: number
  readonly findings: number
  readonly withheld: number
  readonly writes: readonly DryRunWrite[]
}

const SILENT = { info: () => {}, warn: () => {} }

/**
 * Plays each event through detect and then remediate, in enforce mode, against its own copy of
 * `account` (with the principals the event names added when the account lacks them, as plain
 * principals nobody protects) and returns every IAM write the guard made. Writes nothing real.
 */
export async function runEnforceDryRun(
  events: readonly DryRunEvent[],
  account: AccountSnapshot,
  config: GuardConfig,
): Promise<DryRunSummary> {
  let changes = 0
  let findings = 0
  let withheld = 0
  const writes: DryRunWrite[] = []
  for (const { name, event } of events) {
    const outcome = parseChangeEvent(event)
    if (outcome.status !== 'change') continue
    changes += 1
    const { change } = outcome
    // The event's account is the account: its records keep the export's ARNs, its keys the event's ID.
    const before = { ...withNamedPrincipals(account, change), accountId: change.accountId }
    const mutation = mutationOfChange(change)
    const live = new MemoryAccount(mutation ? applyMutation(before, mutation) : before)
    const store = new MemoryBaselineStore(
      captureProtectedBaselines(before, config, { recordedAt: change.eventTime, source: 'snapshot' }),
    )
    const published: BusEvent[] = []
    const publisher = { publish: async (batch: readonly BusEvent[]) => void published.push(...batch) }
    const common = {
      reader: live.reader,
      baselines: store,
      changes: store,
      publisher,
      config,
      logger: SILENT,
    }
    const detected = await detectChange(outcome, {
      ...common,
      mode: 'enforce',
      now: () => new Date(change.eventTime),
    })
    findings += detected.findings.length
    withheld += detected.findings.filter((finding) => finding.withheld !== undefined).length
    for (const finding of detected.findings.filter((entry) => entry.remediation.automatic)) {
      const state = live.snapshot
      const applied: RemediationStep[] = []
      const writer = {
        apply: async (step: RemediationStep) => {
          applied.push(step)
          live.apply(step)
        },
      }
      const result: RemediationEventDetail = await remediateFinding(finding, {
        ...common,
        writer,
        journal: new MemoryRevertJournal(),
        mode: 'enforce',
      })
      for (const step of applied) {
        writes.push({
          event: name,
          eventName: change.eventName,
          finding: {
            id: result.findingId,
            rule: result.rule,
            severity: finding.severity,
            principalArn: finding.principalArn,
          },
          step,
          target: targetArnOf(step, state),
          command: describeStep(step),
        })
      }
    }
  }
  return { events: events.length, changes, findings, withheld, writes }
}

/** The account with every role, user and group the change names present (empty when it was absent). */
function withNamedPrincipals(account: AccountSnapshot, change: ChangeEvent): AccountSnapshot {
  const { roleName, userName, groupName } = change.parameters
  const has = (list: readonly { name: string }[], name: string) =>
    list.some((entry) => entry.name.toLowerCase() === name.toLowerCase())
  const arn = (type: string, name: string) => `arn:aws:iam::${account.accountId}:${type}/${name}`
  const roles: RoleRecord[] =
    roleName && !has(account.roles, roleName)
      ? [
          {
            kind: 'role',
            arn: arn('role', roleName),
            name: roleName,
            path: '/',
            inline: [],
            attached: [],
            trustPolicy: {
              Version: '2012-10-17',
              Statement: [
                {
                  Effect: 'Allow',
                  Principal: { AWS: `arn:aws:iam::${account.accountId}:root` },
                  Action: 'sts:AssumeRole',
                },
              ],
            },
          },
        ]
      : []
  const users: UserRecord[] =
    userName && !has(account.users, userName)
      ? [
          {
            kind: 'user',
            arn: arn('user', userName),
            name: userName,
            path: '/',
            inline: [],
            attached: [],
            groups: [],
          },
        ]
      : []
  const groups: GroupRecord[] =
    groupName && !has(account.groups, groupName)
      ? [{ arn: arn('group', groupName), name: groupName, path: '/', inline: [], attached: [] }]
      : []
  return {
    ...account,
    roles: [...account.roles, ...roles],
    users: [...account.users, ...users],
    groups: [...account.groups, ...groups],
  }
}
