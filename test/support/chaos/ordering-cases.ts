import {
  CreatePolicyCommand,
  GetRolePolicyCommand,
  type IAMClient,
  NoSuchEntityException,
} from '@aws-sdk/client-iam'
import { type CloudTrailEvent, identifyIamUser } from '../e2e/cloudtrail-event.ts'
import {
  attachRolePolicy,
  detachRolePolicy,
  putRolePermissionsBoundary,
  putRolePolicy,
} from '../e2e/iam-changes.ts'
import { readRoleState } from '../e2e/iam-state.ts'
import { DENY_SUPPORT_DOCUMENT } from '../e2e/scenarios-support-access.ts'
import { SUPPORT_ACCESS_ARN } from '../e2e/seed-guard-account.ts'
import { ChaosSetupError } from './chaos-setup-error.ts'

/** Customer managed policies the cases use besides the seeded ones. */
export interface OrderingPolicies {
  /** `support-readonly` of the seeded account (support:Describe* only): a boundary that cuts access. */
  readonly supportReadonly: string
  /** Allows everything: a boundary that keeps support access. */
  readonly openBoundary: string
  /** Allows support:*: another way for a required role to keep its access. */
  readonly supportCases: string
}

/** What a case gets to act on: its own required role (holding AWSSupportAccess). */
export interface OrderingContext {
  readonly iam: IAMClient
  readonly roleName: string
  readonly policies: OrderingPolicies
}

/**
 * Changes made in IAM in their real order, delivered in another order, and the final state the
 * guard must leave: a late or out-of-order event never undoes a later legitimate state.
 */
export interface OrderingCase {
  readonly id: string
  readonly title: string
  /** Makes the changes, in the order they happened; returns their CloudTrail events. */
  make(context: OrderingContext): Promise<CloudTrailEvent[]>
  /** Indexes into `make`'s events: the order EventBridge delivers them. */
  readonly deliveryOrder: readonly number[]
  /** What is wrong with the final state (empty: nothing). */
  check(context: OrderingContext): Promise<string[]>
}

const admin = identifyIamUser('ops-admin')

/** An inline policy that has nothing to do with support. */
const GUARDRAIL_DOCUMENT = {
  Version: '2012-10-17',
  Statement: [{ Sid: 'KeepRoles', Effect: 'Deny', Action: 'iam:DeleteRole', Resource: '*' }],
}

/** Every ordering case. */
export const ORDERING_CASES: readonly OrderingCase[] = [
  {
    id: 'detach-then-reattach',
    title: 'AWSSupportAccess detached, then re-attached by an admin; delivered swapped',
    deliveryOrder: [1, 0],
    async make({ iam, roleName }) {
      return [
        await detachRolePolicy(iam, admin, roleName, SUPPORT_ACCESS_ARN),
        await attachRolePolicy(iam, admin, roleName, SUPPORT_ACCESS_ARN),
      ]
    },
    async check({ iam, roleName }) {
      const state = await readRoleState(iam, roleName)
      return expectList('attached policies', state?.attached, [SUPPORT_ACCESS_ARN])
    },
  },
  {
    id: 'detach-then-replace',
    title: 'AWSSupportAccess detached, then an admin attaches another support policy; delivered swapped',
    deliveryOrder: [1, 0],
    async make({ iam, roleName, policies }) {
      return [
        await detachRolePolicy(iam, admin, roleName, SUPPORT_ACCESS_ARN),
        await attachRolePolicy(iam, admin, roleName, policies.supportCases),
      ]
    },
    async check({ iam, roleName, policies }) {
      const state = await readRoleState(iam, roleName)
      return expectList('attached policies', state?.attached, [policies.supportCases])
    },
  },
  {
    id: 'deny-then-rewrite',
    title: 'Inline Deny support:* put, then rewritten by an admin under the same name; delivered swapped',
    deliveryOrder: [1, 0],
    async make({ iam, roleName }) {
      return [
        await putRolePolicy(iam, admin, roleName, 'Guardrail', DENY_SUPPORT_DOCUMENT),
        await putRolePolicy(iam, admin, roleName, 'Guardrail', GUARDRAIL_DOCUMENT),
      ]
    },
    async check({ iam, roleName }) {
      const state = await readRoleState(iam, roleName)
      const problems = expectList('inline policies', state?.inline, ['Guardrail'])
      const document = await readInlineDocument(iam, roleName, 'Guardrail')
      if (JSON.stringify(document) !== JSON.stringify(GUARDRAIL_DOCUMENT)) {
        problems.push(`inline policy Guardrail is ${JSON.stringify(document)}, expected the admin's rewrite`)
      }
      return problems
    },
  },
  {
    id: 'boundary-then-replace',
    title: 'Boundary support-readonly set, then replaced by an admin with an open one; delivered swapped',
    deliveryOrder: [1, 0],
    async make({ iam, roleName, policies }) {
      return [
        await putRolePermissionsBoundary(iam, admin, roleName, policies.supportReadonly),
        await putRolePermissionsBoundary(iam, admin, roleName, policies.openBoundary),
      ]
    },
    async check({ iam, roleName, policies }) {
      const state = await readRoleState(iam, roleName)
      return state?.boundaryArn === policies.openBoundary
        ? []
        : [`boundary is ${state?.boundaryArn ?? 'none'}, expected ${policies.openBoundary}`]
    },
  },
  {
    id: 'bad-edit-first',
    title:
      'An admin moves the role to another support policy, then a Deny is added; the Deny is delivered first',
    deliveryOrder: [2, 1, 0],
    async make({ iam, roleName, policies }) {
      return [
        await attachRolePolicy(iam, admin, roleName, policies.supportCases),
        await detachRolePolicy(iam, admin, roleName, SUPPORT_ACCESS_ARN),
        await putRolePolicy(iam, admin, roleName, 'DenySupport', DENY_SUPPORT_DOCUMENT),
      ]
    },
    async check({ iam, roleName, policies }) {
      const state = await readRoleState(iam, roleName)
      return [
        ...expectList('attached policies', state?.attached, [policies.supportCases]),
        ...expectList('inline policies', state?.inline, []),
      ]
    },
  },
]

/** Creates the two customer managed policies the cases need besides the seeded ones. */
export async function createOrderingPolicies(
  iam: IAMClient,
  supportReadonly: string,
): Promise<OrderingPolicies> {
  const create = async (name: string, statement: object) => {
    const created = await iam.send(
      new CreatePolicyCommand({
        PolicyName: name,
        PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [statement] }),
      }),
    )
    const arn = created.Policy?.Arn
    if (arn === undefined) throw new ChaosSetupError(`IAM returned no ARN for policy ${name}`)
    return arn
  }
  return {
    supportReadonly,
    openBoundary: await create('chaos-open-boundary', { Effect: 'Allow', Action: '*', Resource: '*' }),
    // A whole support policy since 2026: without support-console:* the replacement would itself
    // cut the required role's Support Center access, and the guard would rightly restore it.
    supportCases: await create('chaos-support-cases', {
      Effect: 'Allow',
      Action: ['support:*', 'support-console:*'],
      Resource: '*',
    }),
  }
}

function expectList(
  what: string,
  actual: readonly string[] | undefined,
  expected: readonly string[],
): string[] {
  const sorted = (list: readonly string[]) => [...list].sort().join(', ')
  if (actual === undefined) return [`the role is gone (expected ${what} ${sorted(expected) || 'none'})`]
  return sorted(actual) === sorted(expected)
    ? []
    : [`${what} are ${sorted(actual) || 'none'}, expected ${sorted(expected) || 'none'}`]
}

async function readInlineDocument(iam: IAMClient, roleName: string, policyName: string): Promise<unknown> {
  try {
    const policy = await iam.send(new GetRolePolicyCommand({ RoleName: roleName, PolicyName: policyName }))
    const text = policy.PolicyDocument
    return text === undefined ? undefined : JSON.parse(decodeURIComponent(text))
  } catch (error) {
    if (error instanceof NoSuchEntityException) return undefined
    throw error
  }
}
