import {
  type GroupDetail,
  type IAMClient,
  type ManagedPolicyDetail,
  paginateGetAccountAuthorizationDetails,
  type RoleDetail,
  type UserDetail,
} from '@aws-sdk/client-iam'
import { nameOfArn } from '#shared/policy/arn.ts'
import { IamReadError } from './iam-reader.ts'

/** An SDK shape with every Date replaced by its ISO 8601 string, as it appears in JSON. */
export type Jsonified<T> = T extends Date
  ? string
  : T extends readonly (infer E)[]
    ? Jsonified<E>[]
    : T extends object
      ? { [K in keyof T]: Jsonified<T[K]> }
      : T

/**
 * The `aws iam get-account-authorization-details` shape, all pages merged. Policy documents
 * stay as IAM returned them (URL-encoded JSON strings); the snapshot parser decodes them.
 */
export interface RawAuthorizationDetails {
  AccountId?: string
  UserDetailList: Jsonified<UserDetail>[]
  GroupDetailList: Jsonified<GroupDetail>[]
  RoleDetailList: Jsonified<RoleDetail>[]
  Policies: Jsonified<ManagedPolicyDetail>[]
}

/**
 * Items per page: IAM's largest `MaxItems`. Without it IAM answers 100 items a page (IAM API
 * Reference, GetAccountAuthorizationDetails), and an account of 12,000 principals and their
 * policies takes ten times the calls, each one counted against the account's IAM request quota.
 */
export const AUTHORIZATION_DETAILS_PAGE_SIZE = 1000

/**
 * Reads the whole account's IAM configuration through every page of
 * GetAccountAuthorizationDetails and merges the pages into one JSON-ready object.
 * Any failure, on any page, is an IamReadError: a partial account is never returned.
 */
export async function readAuthorizationDetails(
  iam: IAMClient,
  accountId?: string,
): Promise<RawAuthorizationDetails> {
  const users: UserDetail[] = []
  const groups: GroupDetail[] = []
  const roles: RoleDetail[] = []
  const policies: ManagedPolicyDetail[] = []
  try {
    for await (const page of paginateGetAccountAuthorizationDetails(
      { client: iam, pageSize: AUTHORIZATION_DETAILS_PAGE_SIZE },
      {},
    )) {
      users.push(...(page.UserDetailList ?? []))
      groups.push(...(page.GroupDetailList ?? []))
      roles.push(...(page.RoleDetailList ?? []))
      policies.push(...(page.Policies ?? []))
    }
  } catch (error) {
    throw new IamReadError('GetAccountAuthorizationDetails', accountId ?? 'account', error)
  }
  return {
    ...(accountId === undefined ? {} : { AccountId: accountId }),
    UserDetailList: jsonifyList(users),
    GroupDetailList: jsonifyList(groups),
    RoleDetailList: jsonifyList(roles),
    Policies: jsonifyList(policies.map(fillPolicyName)),
  }
}

/**
 * AWS always sends PolicyName in ManagedPolicyDetail; some emulators omit it. The name is the
 * last segment of the policy ARN (`arn:aws:iam::aws:policy/service-role/NAME`).
 */
function fillPolicyName(policy: ManagedPolicyDetail): ManagedPolicyDetail {
  if (policy.PolicyName !== undefined || policy.Arn === undefined) return policy
  return { ...policy, PolicyName: nameOfArn(policy.Arn) }
}

function jsonifyList<T>(items: readonly T[]): Jsonified<T>[] {
  // replaceDates maps exactly the Date leaves of T to strings, which is what Jsonified<T> describes.
  return items.map((item) => replaceDates(item) as Jsonified<T>)
}

function replaceDates(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString()
  if (Array.isArray(value)) return value.map(replaceDates)
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, field]) => field !== undefined)
        .map(([key, field]) => [key, replaceDates(field)]),
    )
  }
  return value
}
