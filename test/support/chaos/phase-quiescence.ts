import type { IAMClient } from '@aws-sdk/client-iam'
import { REMEDIATION_DETAIL_TYPE } from '#shared/pipeline/bus-events.ts'
import { type CloudTrailEvent, identifyIamUser } from '../e2e/cloudtrail-event.ts'
import type { GuardWorld } from '../e2e/guard-world.ts'
import { detachRolePolicy, putRolePermissionsBoundary, putRolePolicy } from '../e2e/iam-changes.ts'
import { readRoleState } from '../e2e/iam-state.ts'
import { DENY_SUPPORT_DOCUMENT } from '../e2e/scenarios-support-access.ts'
import { SUPPORT_ACCESS_ARN } from '../e2e/seed-guard-account.ts'
import { eventIdOfDelivery } from './campaign-ledger.ts'
import { createRequiredRoles, roleArnOf } from './chaos-principals.ts'
import { type ChaosWorld, runInOwnWorld } from './chaos-world.ts'
import { listGuardWrites } from './guard-writes.ts'
import { echoGuardWrite } from './write-echo.ts'

/** How the self-quiescence phase runs. */
export interface QuiescenceOptions {
  /** Bad changes to start from, each on a required role of its own. */
  readonly changes: number
  readonly seed: number
  readonly timeoutMs: number
  readonly concurrency: number
  /** Rounds of echoes after which the guard is taken to be talking to itself. */
  readonly maxRounds?: number
}

/** The self-quiescence phase's figures. */
export interface QuiescenceReport {
  readonly changes: number
  /** Delivery rounds: the changes, then the echoes of each round's writes, until a round writes nothing. */
  readonly rounds: number
  readonly quiet: boolean
  /** IAM writes by the functions (one per SDK operation). */
  readonly guardWrites: number
  /** Steps of the `reverted` remediation outcomes the guard reported. */
  readonly revertSteps: number
  readonly echoes: number
  /** What detect answered for the echoes (`own-change` for each, ideally). */
  readonly echoVerdicts: Readonly<Record<string, number>>
  /** Findings raised after the first round (from echoes). */
  readonly findingsFromEchoes: number
  readonly problems: readonly string[]
  readonly wallMs: number
}

const admin = identifyIamUser('ops-admin')

/** The roles the quiescence phase acts on, created before the first audit. */
export interface QuiescenceSetup {
  readonly roles: readonly string[]
  readonly requiredRoleArns: readonly string[]
}

/** Creates a required role per change. */
export async function prepareQuiescence(
  world: GuardWorld,
  options: QuiescenceOptions,
): Promise<QuiescenceSetup> {
  const roles = await createRequiredRoles(world.iam, options.changes, 'echo-')
  return { roles, requiredRoleArns: roles.map(roleArnOf) }
}

/**
 * Enforce mode against itself: the guard reverts a set of bad changes, every IAM write it made is
 * fed back as the CloudTrail event AWS would emit for it, and so on until a round writes nothing.
 * The writes must equal the reverts the guard reported, and no echo may raise a finding.
 */
export async function runQuiescence(options: QuiescenceOptions): Promise<QuiescenceReport> {
  return runInOwnWorld(
    { mode: 'enforce', seed: options.seed, timeoutMs: options.timeoutMs, concurrency: options.concurrency },
    (world) => prepareQuiescence(world, options),
    (chaos, setup) => runQuiescenceIn(chaos, setup, options),
  )
}

/** Runs the phase in an enforce-mode world prepared with `prepareQuiescence`. */
export async function runQuiescenceIn(
  chaos: ChaosWorld,
  setup: QuiescenceSetup,
  options: QuiescenceOptions,
): Promise<QuiescenceReport> {
  const started = Date.now()
  const maxRounds = options.maxRounds ?? 5
  const supportReadonly = chaos.world.account.policies.supportReadonly
  const changes: CloudTrailEvent[] = []
  for (const [index, roleName] of setup.roles.entries()) {
    changes.push(await makeBadChange(chaos.world.iam, index, roleName, supportReadonly))
  }
  const firstRequest = chaos.faultProxy.requests.length
  const firstBusEvent = chaos.observations.busEvents.length
  let batch: CloudTrailEvent[] = changes
  let rounds = 0
  let echoes = 0
  let seenRequests = firstRequest
  let echoBusEventsFrom = firstBusEvent
  const echoIds = new Set<string>()
  while (batch.length > 0 && rounds < maxRounds) {
    rounds++
    if (rounds === 2) echoBusEventsFrom = chaos.observations.busEvents.length
    const current = batch
    await chaos.drive(async (send) => {
      await Promise.all(current.map((event) => send(event)))
    })
    const fresh = listGuardWrites(chaos.faultProxy.requests.slice(seenRequests))
    seenRequests = chaos.faultProxy.requests.length
    batch = fresh.map(echoGuardWrite)
    for (const echo of batch) echoIds.add(String(echo.detail.eventID))
    echoes += batch.length
  }
  const quiet = batch.length === 0
  const busEvents = chaos.observations.busEvents.slice(firstBusEvent)
  let revertSteps = 0
  for (const event of busEvents) {
    if (event['detail-type'] === REMEDIATION_DETAIL_TYPE && event.detail.outcome === 'reverted') {
      revertSteps += event.detail.steps.length
    }
  }
  const guardWrites = listGuardWrites(chaos.faultProxy.requests.slice(firstRequest)).length
  const findingsFromEchoes = rounds >= 2 ? chaos.observations.busEvents.length - echoBusEventsFrom : 0
  const echoVerdicts: Record<string, number> = {}
  for (const delivery of chaos.lambda.deliveries) {
    const eventId = eventIdOfDelivery(delivery.event)
    if (delivery.functionId !== 'DetectFunction' || eventId === undefined || !echoIds.has(eventId)) continue
    const verdict = readVerdict(delivery.result) ?? (delivery.deadLetter ? 'dead-lettered' : 'unknown')
    echoVerdicts[verdict] = (echoVerdicts[verdict] ?? 0) + 1
  }
  const problems: string[] = []
  if (!quiet) problems.push(`still writing after ${rounds} rounds`)
  if (guardWrites !== revertSteps) {
    problems.push(`${guardWrites} IAM writes by the guard, but ${revertSteps} reverted steps reported`)
  }
  if (findingsFromEchoes > 0)
    problems.push(`${findingsFromEchoes} guard events raised by echoes of its own writes`)
  for (const roleName of setup.roles) problems.push(...(await checkRestored(chaos.world.iam, roleName)))
  return {
    changes: changes.length,
    rounds,
    quiet,
    guardWrites,
    revertSteps,
    echoes,
    echoVerdicts,
    findingsFromEchoes,
    problems,
    wallMs: Date.now() - started,
  }
}

/** `quiescence: rounds 2, guard writes 12, reverted steps 12, …` */
export function formatQuiescence(report: QuiescenceReport): string[] {
  const verdicts = Object.entries(report.echoVerdicts)
    .map(([verdict, count]) => `${verdict} ${count}`)
    .join(', ')
  return [
    `quiescence: changes ${report.changes}, rounds ${report.rounds} (${report.quiet ? 'quiet' : 'NOT quiet'}), guard writes ${report.guardWrites}, reverted steps ${report.revertSteps}, echoes ${report.echoes} (${verdicts || 'none'}), guard events from echoes ${report.findingsFromEchoes}, violations ${report.problems.length}`,
    ...report.problems.slice(0, 5).map((problem) => `  ${problem}`),
    `  wall time ${(report.wallMs / 1000).toFixed(1)} s`,
  ]
}

/** Every figure that makes the phase fail. */
export function listQuiescenceViolations(report: QuiescenceReport): string[] {
  return report.problems.map((problem) => `quiescence: ${problem}`)
}

/** Detach, inline Deny, boundary: three kinds of loss, three kinds of revert write. */
function makeBadChange(
  iam: IAMClient,
  index: number,
  roleName: string,
  supportReadonly: string,
): Promise<CloudTrailEvent> {
  switch (index % 3) {
    case 0:
      return detachRolePolicy(iam, admin, roleName, SUPPORT_ACCESS_ARN)
    case 1:
      return putRolePolicy(iam, admin, roleName, 'DenySupport', DENY_SUPPORT_DOCUMENT)
    default:
      return putRolePermissionsBoundary(iam, admin, roleName, supportReadonly)
  }
}

/** A required role is back where it started: AWSSupportAccess attached, no inline policy, no boundary. */
async function checkRestored(iam: IAMClient, roleName: string): Promise<string[]> {
  const state = await readRoleState(iam, roleName)
  const problems: string[] = []
  if (!state?.attached.includes(SUPPORT_ACCESS_ARN))
    problems.push(`${roleName}: AWSSupportAccess not attached`)
  if ((state?.inline.length ?? 0) > 0)
    problems.push(`${roleName}: inline policies ${state?.inline.join(', ')}`)
  if (state?.boundaryArn !== undefined) problems.push(`${roleName}: boundary ${state.boundaryArn}`)
  return problems
}

function readVerdict(result: unknown): string | undefined {
  const verdict = typeof result === 'object' && result !== null ? Reflect.get(result, 'verdict') : undefined
  return typeof verdict === 'string' ? verdict : undefined
}
