import { applyMutation } from '#shared/pipeline/mutate-snapshot.ts'
import type { RemediationStep } from '#shared/pipeline/remediation-steps.ts'
import type { AccountReader } from '#shared/snapshot/account-reader.ts'
import { SnapshotReader } from '#shared/snapshot/snapshot-reader.ts'
import type { AccountSnapshot } from '#shared/snapshot/types.ts'

/**
 * An account held in memory: `reader` always serves the current state and `apply` writes a
 * revert step to it, so a remediation can be checked by reading back, as against IAM.
 */
export class MemoryAccount {
  snapshot: AccountSnapshot
  readonly reader: AccountReader

  constructor(snapshot: AccountSnapshot) {
    this.snapshot = snapshot
    const current = () => new SnapshotReader(this.snapshot)
    this.reader = {
      readRole: (name) => current().readRole(name),
      readUser: (name) => current().readUser(name),
      readGroup: (name) => current().readGroup(name),
      listGroupMembers: (name) => current().listGroupMembers(name),
      readManagedPolicy: (arn) => current().readManagedPolicy(arn),
      readPolicyVersion: (arn, versionId) => current().readPolicyVersion(arn, versionId),
      listPolicyHolders: (arn) => current().listPolicyHolders(arn),
      readAccount: (accountId) => current().readAccount(accountId),
    }
  }

  apply(step: RemediationStep): void {
    this.snapshot = applyMutation(this.snapshot, step)
  }
}
