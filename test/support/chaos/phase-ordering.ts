import type { CloudTrailEvent } from '../e2e/cloudtrail-event.ts'
import type { GuardWorld } from '../e2e/guard-world.ts'
import { createRequiredRoles, roleArnOf } from './chaos-principals.ts'
import { type ChaosWorld, runInOwnWorld } from './chaos-world.ts'
import { uniformFaults } from './fault-plan.ts'
import { listGuardWrites } from './guard-writes.ts'
import {
  createOrderingPolicies,
  ORDERING_CASES,
  type OrderingCase,
  type OrderingContext,
  type OrderingPolicies,
} from './ordering-cases.ts'

/** How the ordering phase runs. */
export interface OrderingOptions {
  readonly seed: number
  readonly timeoutMs: number
  readonly concurrency: number
  /** Failures injected meanwhile (default none). */
  readonly faultRate?: number
  /** The cases (default every one). */
  readonly cases?: readonly OrderingCase[]
}

/** How one case ended. */
export interface OrderingCaseReport {
  readonly id: string
  readonly title: string
  /** IAM writes the functions made on the case's role, in order. */
  readonly guardWrites: readonly string[]
  readonly problems: readonly string[]
}

/** The ordering phase's figures. */
export interface OrderingReport {
  readonly cases: readonly OrderingCaseReport[]
  readonly deliveries: number
  readonly wallMs: number
}

/** The roles and policies the ordering phase acts on, created before the first audit. */
export interface OrderingSetup {
  readonly roles: readonly string[]
  readonly policies: OrderingPolicies
  readonly requiredRoleArns: readonly string[]
}

/** Creates a required role per case and the policies the cases use. */
export async function prepareOrdering(world: GuardWorld, options: OrderingOptions): Promise<OrderingSetup> {
  const roles = await createRequiredRoles(world.iam, (options.cases ?? ORDERING_CASES).length, 'ord-')
  const policies = await createOrderingPolicies(world.iam, world.account.policies.supportReadonly)
  return { roles, policies, requiredRoleArns: roles.map(roleArnOf) }
}

/**
 * Late and out-of-order deliveries in enforce mode: each case makes its changes in IAM in their
 * real order, on a required role of its own, then delivers them in another order, each only when
 * everything the previous one set off is over (a late event is late), and checks the final state.
 */
export async function runOrdering(options: OrderingOptions): Promise<OrderingReport> {
  return runInOwnWorld(
    { mode: 'enforce', seed: options.seed, timeoutMs: options.timeoutMs, concurrency: options.concurrency },
    (world) => prepareOrdering(world, options),
    (chaos, setup) => runOrderingIn(chaos, setup, options),
  )
}

/** Runs the phase in an enforce-mode world prepared with `prepareOrdering`. */
export async function runOrderingIn(
  chaos: ChaosWorld,
  setup: OrderingSetup,
  options: OrderingOptions,
): Promise<OrderingReport> {
  const started = Date.now()
  const cases = options.cases ?? ORDERING_CASES
  const firstRequest = chaos.faultProxy.requests.length
  const contexts = cases.map(
    (_, index): OrderingContext => ({
      iam: chaos.world.iam,
      roleName: setup.roles[index] as string,
      policies: setup.policies,
    }),
  )
  const delivered: CloudTrailEvent[][] = []
  for (const [index, orderingCase] of cases.entries()) {
    const events = await orderingCase.make(contexts[index] as OrderingContext)
    delivered.push(orderingCase.deliveryOrder.map((position) => events[position] as CloudTrailEvent))
  }
  if ((options.faultRate ?? 0) > 0) chaos.faultProxy.setFaults(uniformFaults(options.faultRate ?? 0))
  try {
    const rounds = Math.max(...delivered.map((events) => events.length))
    for (let round = 0; round < rounds; round++) {
      const batch = delivered.flatMap((events) => (events[round] === undefined ? [] : [events[round]]))
      await chaos.drive(async (send) => {
        await Promise.all(batch.map((event) => send(event)))
      })
    }
  } finally {
    chaos.faultProxy.setFaults(undefined)
  }
  const writes = listGuardWrites(chaos.faultProxy.requests.slice(firstRequest))
  const reports: OrderingCaseReport[] = []
  for (const [index, orderingCase] of cases.entries()) {
    const context = contexts[index] as OrderingContext
    reports.push({
      id: orderingCase.id,
      title: orderingCase.title,
      guardWrites: writes.filter((write) => write.target === context.roleName).map((write) => write.action),
      problems: await orderingCase.check(context),
    })
  }
  return {
    cases: reports,
    deliveries: delivered.reduce((sum, events) => sum + events.length, 0),
    wallMs: Date.now() - started,
  }
}

/** Every final state that undid a later legitimate one. */
export function listOrderingViolations(report: OrderingReport): string[] {
  return report.cases.flatMap((entry) => entry.problems.map((problem) => `ordering ${entry.id}: ${problem}`))
}

/** `ordering: cases 5, deliveries 11, violations 0` and a line per case. */
export function formatOrdering(report: OrderingReport): string[] {
  const violations = listOrderingViolations(report).length
  return [
    `ordering: cases ${report.cases.length}, deliveries ${report.deliveries}, violations ${violations}`,
    ...report.cases.map(
      (entry) =>
        `  ${entry.problems.length === 0 ? 'ok  ' : 'FAIL'} ${entry.id}: ${entry.title}; guard writes: ${entry.guardWrites.join(', ') || 'none'}${entry.problems.length > 0 ? `; ${entry.problems.join('; ')}` : ''}`,
    ),
    `  wall time ${(report.wallMs / 1000).toFixed(1)} s`,
  ]
}
