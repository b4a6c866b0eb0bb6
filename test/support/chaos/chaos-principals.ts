import {
  AttachRolePolicyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  type IAMClient,
} from '@aws-sdk/client-iam'
import { E2E_ACCOUNT_ID } from '../e2e/cloudtrail-event.ts'
import { SUPPORT_ACCESS_ARN } from '../e2e/seed-guard-account.ts'
import { CHAOS_REQUIRED_ROLE_PREFIX } from './chaos-config.ts'

/** How many IAM calls the seeding makes side by side. */
const SEED_PARALLELISM = 6

const ACCOUNT_TRUST = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${E2E_ACCOUNT_ID}:root` }, Action: 'sts:AssumeRole' },
  ],
})

/** The ARN of a role of the emulated account. */
export function roleArnOf(roleName: string): string {
  return `arn:aws:iam::${E2E_ACCOUNT_ID}:role/${roleName}`
}

/** `prefix` + a zero-padded number: `chaos-app-0007`. */
export function numberedName(prefix: string, index: number): string {
  return `${prefix}${String(index).padStart(4, '0')}`
}

/**
 * Creates `count` required roles (`chaos-required-<stem>0000`, …) holding AWSSupportAccess, as a
 * compliant required role does. Returns their names.
 */
export async function createRequiredRoles(iam: IAMClient, count: number, stem = ''): Promise<string[]> {
  const names = range(count).map((index) => numberedName(`${CHAOS_REQUIRED_ROLE_PREFIX}${stem}`, index))
  await forEachLimited(names, async (roleName) => {
    await iam.send(new CreateRoleCommand({ RoleName: roleName, AssumeRolePolicyDocument: ACCOUNT_TRUST }))
    await iam.send(new AttachRolePolicyCommand({ RoleName: roleName, PolicyArn: SUPPORT_ACCESS_ARN }))
  })
  return names
}

/** Creates `count` roles without policies, named `prefix` + number. Returns their names. */
export async function createPlainRoles(iam: IAMClient, prefix: string, count: number): Promise<string[]> {
  const names = range(count).map((index) => numberedName(prefix, index))
  await forEachLimited(names, async (roleName) => {
    await iam.send(new CreateRoleCommand({ RoleName: roleName, AssumeRolePolicyDocument: ACCOUNT_TRUST }))
  })
  return names
}

/** Creates `count` users without policies, named `prefix` + number. Returns their names. */
export async function createUsers(iam: IAMClient, prefix: string, count: number): Promise<string[]> {
  const names = range(count).map((index) => numberedName(prefix, index))
  await forEachLimited(names, async (userName) => {
    await iam.send(new CreateUserCommand({ UserName: userName }))
  })
  return names
}

/** Runs `task` for every item, at most `limit` at a time; rejects with the first failure. */
export async function forEachLimited<T>(
  items: readonly T[],
  task: (item: T, index: number) => Promise<void>,
  limit = SEED_PARALLELISM,
): Promise<void> {
  let next = 0
  const worker = async (): Promise<void> => {
    for (let index = next++; index < items.length; index = next++) await task(items[index] as T, index)
  }
  await Promise.all(range(Math.min(limit, items.length)).map(worker))
}

function range(count: number): number[] {
  return Array.from({ length: count }, (_, index) => index)
}
