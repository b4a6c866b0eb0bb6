import { vi } from 'vitest'
import { findServiceLinkedRoleByService } from '#shared/events/service-linked-roles.ts'
import { applyMutation } from '#shared/pipeline/mutate-snapshot.ts'
import type { AccountReader, StepWriter } from '#shared/pipeline/ports.ts'
import type { RemediationStep } from '#shared/pipeline/remediation-steps.ts'
import { SnapshotReader } from '#shared/snapshot/snapshot-reader.ts'
import type { AccountSnapshot } from '#shared/snapshot/types.ts'

/**
 * An account held in memory: `reader` always serves the current state and `writer`
 * applies steps to it, so a remediation can be checked by re-reading.
 */
export class MutableAccount {
  snapshot: AccountSnapshot
  readonly reader: AccountReader
  readonly writer: StepWriter & { apply: ReturnType<typeof vi.fn> }

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
    }
    this.writer = {
      apply: vi.fn(async (step: RemediationStep) => {
        this.snapshot = this.#apply(step)
      }),
    }
  }

  #apply(step: RemediationStep): AccountSnapshot {
    if (step.action !== 'create-service-linked-role') return applyMutation(this.snapshot, step)
    const role = findServiceLinkedRoleByService(step.awsServiceName)
    if (!role) return this.snapshot
    const path = `/aws-service-role/${step.awsServiceName}/`
    return {
      ...this.snapshot,
      roles: [
        ...this.snapshot.roles,
        {
          kind: 'role',
          arn: `arn:aws:iam::${this.snapshot.accountId}:role${path}${role.roleName}`,
          name: role.roleName,
          path,
          inline: [],
          attached: [],
          trustPolicy: {
            Version: '2012-10-17',
            Statement: [
              { Effect: 'Allow', Principal: { Service: step.awsServiceName }, Action: 'sts:AssumeRole' },
            ],
          },
        },
      ],
    }
  }
}
