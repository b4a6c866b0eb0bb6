import {
  type Group,
  type IAMClient,
  NoSuchEntityException,
  paginateGetGroup,
  paginateListEntitiesForPolicy,
} from '@aws-sdk/client-iam'
import type { AccountReader } from '#shared/snapshot/account-reader.ts'
import { parseAccountSnapshot } from '#shared/snapshot/parse-snapshot.ts'
import type {
  AccountSnapshot,
  GroupRecord,
  ManagedPolicyRecord,
  RoleRecord,
  UserRecord,
} from '#shared/snapshot/types.ts'
import { readAuthorizationDetails } from './authorization-details.ts'
import { IamReadError, IamReader } from './iam-reader.ts'

/** A group listed for its members is read for its policies moments later, in the same detect run. */
const LISTED_GROUP_REUSE_MS = 5_000

/** The detect and remediate functions' view of IAM: IamReader plus group members and policy holders. */
export class IamAccountReader implements AccountReader {
  readonly #iam: IAMClient
  readonly #reader: IamReader
  readonly #listedGroups = new Map<string, { group: Group; at: number }>()
  readonly #now: () => number

  constructor(iam: IAMClient, options: { now?: () => number } = {}) {
    this.#iam = iam
    this.#reader = new IamReader(iam)
    this.#now = options.now ?? Date.now
  }

  readRole(name: string): Promise<RoleRecord | undefined> {
    return this.#reader.readRole(name)
  }

  readUser(name: string): Promise<UserRecord | undefined> {
    return this.#reader.readUser(name)
  }

  readGroup(name: string): Promise<GroupRecord | undefined> {
    // The members listing just fetched this group: reuse its answer instead of a second GetGroup.
    const recent = this.#listedGroups.get(name)
    this.#listedGroups.delete(name)
    if (recent && this.#now() - recent.at < LISTED_GROUP_REUSE_MS)
      return this.#reader.readGroupPolicies(name, recent.group)
    return this.#reader.readGroup(name)
  }

  readManagedPolicy(arn: string): Promise<ManagedPolicyRecord | undefined> {
    return this.#reader.readManagedPolicy(arn)
  }

  async readAccount(accountId: string): Promise<AccountSnapshot> {
    return parseAccountSnapshot(await readAuthorizationDetails(this.#iam, accountId))
  }

  async readPolicyVersion(arn: string, versionId: string): Promise<unknown> {
    return (await this.#reader.readPolicyVersion(arn, versionId))?.document
  }

  async listGroupMembers(name: string): Promise<readonly string[]> {
    return collect('GetGroup', name, async () => {
      const members: string[] = []
      for await (const page of paginateGetGroup({ client: this.#iam }, { GroupName: name })) {
        if (page.Group && members.length === 0)
          this.#listedGroups.set(name, { group: page.Group, at: this.#now() })
        for (const user of page.Users ?? []) if (user.UserName) members.push(user.UserName)
      }
      return members
    })
  }

  async listPolicyHolders(arn: string): Promise<{ roles: string[]; users: string[]; groups: string[] }> {
    const holders = { roles: [] as string[], users: [] as string[], groups: [] as string[] }
    return collect(
      'ListEntitiesForPolicy',
      arn,
      async () => {
        for await (const page of paginateListEntitiesForPolicy({ client: this.#iam }, { PolicyArn: arn })) {
          for (const role of page.PolicyRoles ?? []) if (role.RoleName) holders.roles.push(role.RoleName)
          for (const user of page.PolicyUsers ?? []) if (user.UserName) holders.users.push(user.UserName)
          for (const group of page.PolicyGroups ?? [])
            if (group.GroupName) holders.groups.push(group.GroupName)
        }
        return holders
      },
      holders,
    )
  }
}

/** NoSuchEntity means "nothing there"; anything else is an IamReadError so Lambda retries. */
async function collect<T>(operation: string, entity: string, read: () => Promise<T>, empty?: T): Promise<T> {
  try {
    return await read()
  } catch (error) {
    if (error instanceof NoSuchEntityException) return empty ?? ([] as T)
    throw new IamReadError(operation, entity, error)
  }
}
