import type {
  AccountSnapshot,
  GroupRecord,
  ManagedPolicyRecord,
  RoleRecord,
  UserRecord,
} from '#shared/snapshot/types.ts'
import type { Baseline } from './baseline.ts'
import type { BusEvent } from './bus-events.ts'
import type { RemediationStep } from './remediation-steps.ts'

/** Reads the IAM state a change touches. Absent entities are `undefined`, not errors. */
export interface AccountReader {
  readRole(name: string): Promise<RoleRecord | undefined>
  readUser(name: string): Promise<UserRecord | undefined>
  readGroup(name: string): Promise<GroupRecord | undefined>
  /** User names of a group's members. */
  listGroupMembers(name: string): Promise<readonly string[]>
  readManagedPolicy(arn: string): Promise<ManagedPolicyRecord | undefined>
  /** Document of one version of a managed policy (undefined when the version is gone). */
  readPolicyVersion(arn: string, versionId: string): Promise<unknown>
  /** Names of the roles, users and groups a managed policy is attached to. */
  listPolicyHolders(
    arn: string,
  ): Promise<{ roles: readonly string[]; users: readonly string[]; groups: readonly string[] }>
  /**
   * The whole account in a few paged calls (GetAccountAuthorizationDetails): cheaper than reading
   * principals one by one once a change fans out to many of them. Optional: without it every
   * principal is read one by one.
   */
  readAccount?(accountId: string): Promise<AccountSnapshot>
}

/** Last known-good state of protected principals. */
export interface BaselineStore {
  get(accountId: string, principalArn: string): Promise<Baseline | undefined>
  put(baseline: Baseline): Promise<void>
  list(accountId: string): Promise<readonly Baseline[]>
}

/** Puts guard events on the findings bus. */
export interface FindingsPublisher {
  publish(events: readonly BusEvent[]): Promise<void>
}

/** Applies one revert step to IAM. */
export interface StepWriter {
  apply(step: RemediationStep): Promise<void>
}

/** The few Logger methods the core uses (Powertools' Logger satisfies it). */
export interface CoreLogger {
  info(message: string, ...extra: Record<string, unknown>[]): void
  warn(message: string, ...extra: Record<string, unknown>[]): void
}
