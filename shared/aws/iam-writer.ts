import {
  AddUserToGroupCommand,
  AttachGroupPolicyCommand,
  AttachRolePolicyCommand,
  AttachUserPolicyCommand,
  CreateServiceLinkedRoleCommand,
  DeleteGroupPolicyCommand,
  DeleteRolePermissionsBoundaryCommand,
  DeleteRolePolicyCommand,
  DeleteUserPermissionsBoundaryCommand,
  DeleteUserPolicyCommand,
  DetachGroupPolicyCommand,
  DetachRolePolicyCommand,
  DetachUserPolicyCommand,
  type IAMClient,
  PutGroupPolicyCommand,
  PutRolePermissionsBoundaryCommand,
  PutRolePolicyCommand,
  PutUserPermissionsBoundaryCommand,
  PutUserPolicyCommand,
  RemoveUserFromGroupCommand,
  SetDefaultPolicyVersionCommand,
  UpdateAssumeRolePolicyCommand,
} from '@aws-sdk/client-iam'

export type PolicyHolderType = 'role' | 'user' | 'group'
export type BoundedPrincipalType = 'role' | 'user'

/** A policy document to write: an object is serialized to JSON, a string is sent as is. */
export type PolicyDocumentInput = string | Readonly<Record<string, unknown>>

/** One IAM write operation: its name (as errors report it) and the call, given the entity's name. */
interface WriteOperation<A extends readonly unknown[]> {
  readonly operation: string
  readonly send: (iam: IAMClient, name: string, ...args: A) => Promise<unknown>
}

/** The per-kind IAM operations behind one write (roles, users and groups differ only in names). */
interface HolderWrites {
  readonly attachPolicy: WriteOperation<[policyArn: string]>
  readonly detachPolicy: WriteOperation<[policyArn: string]>
  readonly putInlinePolicy: WriteOperation<[policyName: string, document: string]>
  readonly deleteInlinePolicy: WriteOperation<[policyName: string]>
}

/** An operation, named as IAM names it in errors, and how to send it. */
function write<A extends readonly unknown[]>(
  operation: string,
  send: WriteOperation<A>['send'],
): WriteOperation<A> {
  return { operation, send }
}

const HOLDER_WRITES: Readonly<Record<PolicyHolderType, HolderWrites>> = {
  role: {
    attachPolicy: write('AttachRolePolicy', (iam, RoleName, PolicyArn) =>
      iam.send(new AttachRolePolicyCommand({ RoleName, PolicyArn })),
    ),
    detachPolicy: write('DetachRolePolicy', (iam, RoleName, PolicyArn) =>
      iam.send(new DetachRolePolicyCommand({ RoleName, PolicyArn })),
    ),
    putInlinePolicy: write('PutRolePolicy', (iam, RoleName, PolicyName, PolicyDocument) =>
      iam.send(new PutRolePolicyCommand({ RoleName, PolicyName, PolicyDocument })),
    ),
    deleteInlinePolicy: write('DeleteRolePolicy', (iam, RoleName, PolicyName) =>
      iam.send(new DeleteRolePolicyCommand({ RoleName, PolicyName })),
    ),
  },
  user: {
    attachPolicy: write('AttachUserPolicy', (iam, UserName, PolicyArn) =>
      iam.send(new AttachUserPolicyCommand({ UserName, PolicyArn })),
    ),
    detachPolicy: write('DetachUserPolicy', (iam, UserName, PolicyArn) =>
      iam.send(new DetachUserPolicyCommand({ UserName, PolicyArn })),
    ),
    putInlinePolicy: write('PutUserPolicy', (iam, UserName, PolicyName, PolicyDocument) =>
      iam.send(new PutUserPolicyCommand({ UserName, PolicyName, PolicyDocument })),
    ),
    deleteInlinePolicy: write('DeleteUserPolicy', (iam, UserName, PolicyName) =>
      iam.send(new DeleteUserPolicyCommand({ UserName, PolicyName })),
    ),
  },
  group: {
    attachPolicy: write('AttachGroupPolicy', (iam, GroupName, PolicyArn) =>
      iam.send(new AttachGroupPolicyCommand({ GroupName, PolicyArn })),
    ),
    detachPolicy: write('DetachGroupPolicy', (iam, GroupName, PolicyArn) =>
      iam.send(new DetachGroupPolicyCommand({ GroupName, PolicyArn })),
    ),
    putInlinePolicy: write('PutGroupPolicy', (iam, GroupName, PolicyName, PolicyDocument) =>
      iam.send(new PutGroupPolicyCommand({ GroupName, PolicyName, PolicyDocument })),
    ),
    deleteInlinePolicy: write('DeleteGroupPolicy', (iam, GroupName, PolicyName) =>
      iam.send(new DeleteGroupPolicyCommand({ GroupName, PolicyName })),
    ),
  },
}

/** Permissions boundaries: roles and users have one, groups do not. */
interface BoundaryWrites {
  readonly putPermissionsBoundary: WriteOperation<[boundaryArn: string]>
  readonly deletePermissionsBoundary: WriteOperation<[]>
}

const BOUNDARY_WRITES: Readonly<Record<BoundedPrincipalType, BoundaryWrites>> = {
  role: {
    putPermissionsBoundary: write('PutRolePermissionsBoundary', (iam, RoleName, PermissionsBoundary) =>
      iam.send(new PutRolePermissionsBoundaryCommand({ RoleName, PermissionsBoundary })),
    ),
    deletePermissionsBoundary: write('DeleteRolePermissionsBoundary', (iam, RoleName) =>
      iam.send(new DeleteRolePermissionsBoundaryCommand({ RoleName })),
    ),
  },
  user: {
    putPermissionsBoundary: write('PutUserPermissionsBoundary', (iam, UserName, PermissionsBoundary) =>
      iam.send(new PutUserPermissionsBoundaryCommand({ UserName, PermissionsBoundary })),
    ),
    deletePermissionsBoundary: write('DeleteUserPermissionsBoundary', (iam, UserName) =>
      iam.send(new DeleteUserPermissionsBoundaryCommand({ UserName })),
    ),
  },
}

/** An IAM write failed. `awsErrorName` carries the IAM error code (e.g. `NoSuchEntityException`). */
export class IamWriteError extends Error {
  override readonly name = 'IamWriteError'
  readonly operation: string
  readonly entity: string
  readonly awsErrorName?: string

  constructor(operation: string, entity: string, cause: unknown) {
    const detail = cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause)
    super(`IAM ${operation} failed for ${entity}: ${detail}`, { cause })
    this.operation = operation
    this.entity = entity
    if (cause instanceof Error) this.awsErrorName = cause.name
  }
}

/** The IAM writes a revert can need; one method per IAM operation family, nothing else. */
export class IamWriter {
  readonly #iam: IAMClient

  constructor(iam: IAMClient) {
    this.#iam = iam
  }

  async attachPolicy(type: PolicyHolderType, name: string, policyArn: string): Promise<void> {
    const { operation, send } = HOLDER_WRITES[type].attachPolicy
    return this.#run(operation, `${type} ${name} policy ${policyArn}`, () => send(this.#iam, name, policyArn))
  }

  async detachPolicy(type: PolicyHolderType, name: string, policyArn: string): Promise<void> {
    const { operation, send } = HOLDER_WRITES[type].detachPolicy
    return this.#run(operation, `${type} ${name} policy ${policyArn}`, () => send(this.#iam, name, policyArn))
  }

  async putInlinePolicy(
    type: PolicyHolderType,
    name: string,
    policyName: string,
    document: PolicyDocumentInput,
  ): Promise<void> {
    const { operation, send } = HOLDER_WRITES[type].putInlinePolicy
    const serialized = serializeDocument(document)
    return this.#run(operation, `${type} ${name} inline policy ${policyName}`, () =>
      send(this.#iam, name, policyName, serialized),
    )
  }

  async deleteInlinePolicy(type: PolicyHolderType, name: string, policyName: string): Promise<void> {
    const { operation, send } = HOLDER_WRITES[type].deleteInlinePolicy
    return this.#run(operation, `${type} ${name} inline policy ${policyName}`, () =>
      send(this.#iam, name, policyName),
    )
  }

  async setDefaultPolicyVersion(policyArn: string, versionId: string): Promise<void> {
    return this.#run('SetDefaultPolicyVersion', `${policyArn} version ${versionId}`, () =>
      this.#iam.send(new SetDefaultPolicyVersionCommand({ PolicyArn: policyArn, VersionId: versionId })),
    )
  }

  async updateAssumeRolePolicy(roleName: string, document: PolicyDocumentInput): Promise<void> {
    return this.#run('UpdateAssumeRolePolicy', `role ${roleName}`, () =>
      this.#iam.send(
        new UpdateAssumeRolePolicyCommand({
          RoleName: roleName,
          PolicyDocument: serializeDocument(document),
        }),
      ),
    )
  }

  async putPermissionsBoundary(type: BoundedPrincipalType, name: string, boundaryArn: string): Promise<void> {
    const { operation, send } = BOUNDARY_WRITES[type].putPermissionsBoundary
    return this.#run(operation, `${type} ${name} boundary ${boundaryArn}`, () =>
      send(this.#iam, name, boundaryArn),
    )
  }

  async deletePermissionsBoundary(type: BoundedPrincipalType, name: string): Promise<void> {
    const { operation, send } = BOUNDARY_WRITES[type].deletePermissionsBoundary
    return this.#run(operation, `${type} ${name}`, () => send(this.#iam, name))
  }

  async addUserToGroup(groupName: string, userName: string): Promise<void> {
    return this.#run('AddUserToGroup', `user ${userName} group ${groupName}`, () =>
      this.#iam.send(new AddUserToGroupCommand({ GroupName: groupName, UserName: userName })),
    )
  }

  async removeUserFromGroup(groupName: string, userName: string): Promise<void> {
    return this.#run('RemoveUserFromGroup', `user ${userName} group ${groupName}`, () =>
      this.#iam.send(new RemoveUserFromGroupCommand({ GroupName: groupName, UserName: userName })),
    )
  }

  /** Re-creates a deletable service-linked role (e.g. `servicequotas.amazonaws.com`); returns its ARN. */
  async createServiceLinkedRole(awsServiceName: string): Promise<string | undefined> {
    const operation = 'CreateServiceLinkedRole'
    try {
      const response = await this.#iam.send(
        new CreateServiceLinkedRoleCommand({ AWSServiceName: awsServiceName }),
      )
      return response.Role?.Arn
    } catch (error) {
      throw new IamWriteError(operation, `service ${awsServiceName}`, error)
    }
  }

  async #run(operation: string, entity: string, call: () => Promise<unknown>): Promise<void> {
    try {
      await call()
    } catch (error) {
      throw new IamWriteError(operation, entity, error)
    }
  }
}

function serializeDocument(document: PolicyDocumentInput): string {
  return typeof document === 'string' ? document : JSON.stringify(document)
}
