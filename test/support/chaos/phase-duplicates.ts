import type { IAMClient } from '@aws-sdk/client-iam'
import { type CloudTrailEvent, identifyIamUser } from '../e2e/cloudtrail-event.ts'
import type { GuardWorld } from '../e2e/guard-world.ts'
import { detachRolePolicy } from '../e2e/iam-changes.ts'
import { readRoleState } from '../e2e/iam-state.ts'
import type { SnsNotification } from '../e2e/pipeline-trace.ts'
import { SUPPORT_ACCESS_ARN } from '../e2e/seed-guard-account.ts'
import { createRequiredRoles, forEachLimited, roleArnOf } from './chaos-principals.ts'
import { type ChaosWorld, runInOwnWorld } from './chaos-world.ts'
import { uniformFaults } from './fault-plan.ts'
import { type GuardWrite, listGuardWrites } from './guard-writes.ts'
import { eventIdsOf, outcomeOf } from './notification-index.ts'

/** How the duplicates phase runs. */
export interface DuplicatesOptions {
  /** Changes of each group: delivered `copies` times one after another, and `copies` times at once. */
  readonly changesPerGroup: number
  readonly copies: number
  readonly seed: number
  readonly timeoutMs: number
  /** Execution environments of remediate and notify; detect gets at least `copies`. */
  readonly concurrency: number
  /** Changes in flight side by side (each on its own role). */
  readonly parallelChanges: number
  /** Failures injected meanwhile (default none: then every figure must be exact). */
  readonly faultRate?: number
}

/** What one group of duplicated changes came to. */
export interface DuplicateGroupReport {
  readonly group: 'in turn' | 'at once'
  readonly changes: number
  readonly deliveries: number
  /** IAM writes by the functions on the group's roles, one per SDK operation. */
  readonly revertWrites: number
  readonly findingNotifications: number
  readonly remediationNotifications: number
  readonly deadLetters: number
  /** `role: problem` for every change that did not end with one revert, one finding and one outcome message. */
  readonly problems: readonly string[]
}

/** The duplicates phase's figures. */
export interface DuplicatesReport {
  readonly groups: readonly DuplicateGroupReport[]
  readonly wallMs: number
}

interface Change {
  readonly roleName: string
  readonly event: CloudTrailEvent
}

/** The roles the duplicates phase acts on, created before the first audit. */
export interface DuplicatesSetup {
  readonly roles: readonly string[]
  /** They must get a baseline from the first audit. */
  readonly requiredRoleArns: readonly string[]
}

/** Detect's execution environments the phase needs: one per copy delivered at once. */
export function duplicatesDetectConcurrency(options: DuplicatesOptions): number {
  return Math.max(options.copies, options.concurrency)
}

/** Creates a required role per change (two groups of `changesPerGroup`). */
export async function prepareDuplicates(
  world: GuardWorld,
  options: DuplicatesOptions,
): Promise<DuplicatesSetup> {
  const roles = await createRequiredRoles(world.iam, options.changesPerGroup * 2, 'dup-')
  return { roles, requiredRoleArns: roles.map(roleArnOf) }
}

/**
 * Duplicate deliveries in enforce mode: each change (AWSSupportAccess detached from a required
 * role of its own) is delivered `copies` times, in turn for one group and at once (separate
 * execution environments) for the other. Each change must get exactly one revert write, one
 * finding notification and one remediation notification, and end with the policy attached.
 */
export async function runDuplicates(options: DuplicatesOptions): Promise<DuplicatesReport> {
  return runInOwnWorld(
    {
      mode: 'enforce',
      seed: options.seed,
      timeoutMs: options.timeoutMs,
      // Ten deliveries at once need ten environments: a deployment reserving none (DetectConcurrency 0).
      capByReservedConcurrency: false,
      concurrency: {
        DetectFunction: duplicatesDetectConcurrency(options),
        RemediateFunction: options.concurrency,
        NotifyFunction: options.concurrency,
      },
    },
    (world) => prepareDuplicates(world, options),
    (chaos, setup) => runDuplicatesIn(chaos, setup, options),
  )
}

/** Runs the phase in an enforce-mode world prepared with `prepareDuplicates`. */
export async function runDuplicatesIn(
  chaos: ChaosWorld,
  setup: DuplicatesSetup,
  options: DuplicatesOptions,
): Promise<DuplicatesReport> {
  const started = Date.now()
  const changes = await detachEach(chaos.world.iam, setup.roles)
  if ((options.faultRate ?? 0) > 0) chaos.faultProxy.setFaults(uniformFaults(options.faultRate ?? 0))
  try {
    const inTurn = changes.slice(0, options.changesPerGroup)
    const atOnce = changes.slice(options.changesPerGroup)
    const groups = [
      await runGroup(chaos, 'in turn', inTurn, options, async (send, event) => {
        for (let copy = 0; copy < options.copies; copy++) await send(event)
      }),
      await runGroup(chaos, 'at once', atOnce, options, async (send, event) => {
        await Promise.all(Array.from({ length: options.copies }, () => send(event)))
      }),
    ]
    return { groups, wallMs: Date.now() - started }
  } finally {
    chaos.faultProxy.setFaults(undefined)
  }
}

/** Every figure that makes the phase fail. */
export function listDuplicateViolations(report: DuplicatesReport): string[] {
  return report.groups.flatMap((group) =>
    group.problems.map((problem) => `duplicates (${group.group}): ${problem}`),
  )
}

/** `duplicates: changes 200, deliveries 2000, revert writes 200, …` and a line per group. */
export function formatDuplicates(report: DuplicatesReport): string[] {
  const sum = (pick: (group: DuplicateGroupReport) => number) =>
    report.groups.reduce((total, group) => total + pick(group), 0)
  const problems = sum((group) => group.problems.length)
  const lines = [
    `duplicates: changes ${sum((g) => g.changes)}, deliveries ${sum((g) => g.deliveries)}, revert writes ${sum((g) => g.revertWrites)}, finding notifications ${sum((g) => g.findingNotifications)}, remediation notifications ${sum((g) => g.remediationNotifications)}, dead-lettered ${sum((g) => g.deadLetters)}, violations ${problems}`,
  ]
  for (const group of report.groups) {
    lines.push(
      `  ${group.group}: ${group.changes} changes × ${group.changes === 0 ? 0 : group.deliveries / group.changes} deliveries, revert writes ${group.revertWrites}, finding notifications ${group.findingNotifications}, remediation notifications ${group.remediationNotifications}, dead-lettered ${group.deadLetters}`,
    )
    for (const problem of group.problems.slice(0, 5)) lines.push(`    ${problem}`)
  }
  lines.push(`  wall time ${(report.wallMs / 1000).toFixed(1)} s`)
  return lines
}

async function detachEach(iam: IAMClient, roles: readonly string[]): Promise<Change[]> {
  const actor = identifyIamUser('ops-admin')
  const changes: Change[] = []
  await forEachLimited(roles, async (roleName, index) => {
    changes[index] = { roleName, event: await detachRolePolicy(iam, actor, roleName, SUPPORT_ACCESS_ARN) }
  })
  return changes
}

async function runGroup(
  chaos: ChaosWorld,
  group: DuplicateGroupReport['group'],
  changes: readonly Change[],
  options: DuplicatesOptions,
  deliverCopies: (send: (event: unknown) => Promise<void>, event: CloudTrailEvent) => Promise<void>,
): Promise<DuplicateGroupReport> {
  const firstRequest = chaos.faultProxy.requests.length
  const firstNotification = chaos.observations.notifications.length
  const firstDeadLetter = chaos.lambda.deadLetters.length
  await chaos.drive((send) =>
    forEachLimited(changes, (change) => deliverCopies(send, change.event), options.parallelChanges),
  )
  const writes = listGuardWrites(chaos.faultProxy.requests.slice(firstRequest))
  const notifications = chaos.observations.notifications.slice(firstNotification)
  const problems: string[] = []
  let findingNotifications = 0
  let remediationNotifications = 0
  for (const change of changes) {
    const counted = countFor(change, writes, notifications)
    findingNotifications += counted.findings
    remediationNotifications += counted.outcomes
    problems.push(...counted.problems)
    const state = await readRoleState(chaos.world.iam, change.roleName)
    if (!state?.attached.includes(SUPPORT_ACCESS_ARN)) {
      problems.push(`${change.roleName}: AWSSupportAccess is not attached at the end`)
    }
  }
  return {
    group,
    changes: changes.length,
    deliveries: changes.length * options.copies,
    revertWrites: writes.filter((write) => changes.some((change) => change.roleName === write.target)).length,
    findingNotifications,
    remediationNotifications,
    deadLetters: chaos.lambda.deadLetters.length - firstDeadLetter,
    problems,
  }
}

function countFor(
  change: Change,
  writes: readonly GuardWrite[],
  notifications: readonly SnsNotification[],
): { findings: number; outcomes: number; problems: string[] } {
  const eventId = String(change.event.detail.eventID)
  const known = new Set([eventId])
  const about = notifications.filter((notification) => eventIdsOf(notification, known).length > 0)
  const findings = about.filter((notification) => outcomeOf(notification) === 'open').length
  const outcomes = about.filter((notification) => outcomeOf(notification) !== 'open')
  const reverts = writes.filter((write) => write.target === change.roleName)
  const problems: string[] = []
  const describe = (list: readonly GuardWrite[]) => list.map((write) => write.action).join(', ') || 'none'
  if (reverts.length !== 1 || reverts[0]?.action !== 'AttachRolePolicy') {
    problems.push(
      `${change.roleName}: ${reverts.length} revert writes (${describe(reverts)}), expected one AttachRolePolicy`,
    )
  }
  if (findings !== 1) problems.push(`${change.roleName}: ${findings} finding notifications, expected 1`)
  if (outcomes.length !== 1 || outcomeOf(outcomes[0] as SnsNotification) !== 'reverted') {
    problems.push(
      `${change.roleName}: remediation notifications ${outcomes.map(outcomeOf).join(', ') || 'none'}, expected one "reverted"`,
    )
  }
  return { findings, outcomes: outcomes.length, problems }
}
