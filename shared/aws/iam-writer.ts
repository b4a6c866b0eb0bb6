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
    const entity = `${type} ${name} policy ${policyArn}`
    switch (type) {
      case 'role':
        return this.#run('AttachRolePolicy', entity, () =>
          this.#iam.send(new AttachRolePolicyCommand({ RoleName: name, PolicyArn: policyArn })),
        )
      case 'user':
        return this.#run('AttachUserPolicy', entity, () =>
          this.#iam.send(new AttachUserPolicyCommand({ UserName: name, PolicyArn: policyArn })),
        )
      case 'group':
        return this.#run('AttachGroupPolicy', entity, () =>
          this.#iam.send(new AttachGroupPolicyCommand({ GroupName: name, PolicyArn: policyArn })),
        )
    }
  }

  async detachPolicy(type: PolicyHolderType, name: string, policyArn: string): Promise<void> {
    const entity = `${type} ${name} policy ${policyArn}`
    switch (type) {
      case 'role':
        return this.#run('DetachRolePolicy', entity, () =>
          this.#iam.send(new DetachRolePolicyCommand({ RoleName: name, PolicyArn: policyArn })),
        )
      case 'user':
        return this.#run('DetachUserPolicy', entity, () =>
          this.#iam.send(new DetachUserPolicyCommand({ UserName: name, PolicyArn: policyArn })),
        )
      case 'group':
        return this.#run('DetachGroupPolicy', entity, () =>
          this.#iam.send(new DetachGroupPolicyCommand({ GroupName: name, PolicyArn: policyArn })),
        )
    }
  }

  async putInlinePolicy(
    type: PolicyHolderType,
    name: string,
    policyName: string,
    document: PolicyDocumentInput,
  ): Promise<void> {
    const entity = `${type} ${name} inline policy ${policyName}`
    const PolicyDocument = serializeDocument(document)
    switch (type) {
      case 'role':
        return this.#run('PutRolePolicy', entity, () =>
          this.#iam.send(
            new PutRolePolicyCommand({ RoleName: name, PolicyName: policyName, PolicyDocument }),
          ),
        )
      case 'user':
        return this.#run('PutUserPolicy', entity, () =>
          this.#iam.send(
            new PutUserPolicyCommand({ UserName: name, PolicyName: policyName, PolicyDocument }),
          ),
        )
      case 'group':
        return this.#run('PutGroupPolicy', entity, () =>
          this.#iam.send(
            new PutGroupPolicyCommand({ GroupName: name, PolicyName: policyName, PolicyDocument }),
          ),
        )
    }
  }

  async deleteInlinePolicy(type: PolicyHolderType, name: string, policyName: string): Promise<void> {
    const entity = `${type} ${name} inline policy ${policyName}`
    switch (type) {
      case 'role':
        return this.#run('DeleteRolePolicy', entity, () =>
          this.#iam.send(new DeleteRolePolicyCommand({ RoleName: name, PolicyName: policyName })),
        )
      case 'user':
        return this.#run('DeleteUserPolicy', entity, () =>
          this.#iam.send(new DeleteUserPolicyCommand({ UserName: name, PolicyName: policyName })),
        )
      case 'group':
        return this.#run('DeleteGroupPolicy', entity, () =>
          this.#iam.send(new DeleteGroupPolicyCommand({ GroupName: name, PolicyName: policyName })),
        )
    }
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
    const entity = `${type} ${name} boundary ${boundaryArn}`
    if (type === 'role') {
      return this.#run('PutRolePermissionsBoundary', entity, () =>
        this.#iam.send(
          new PutRolePermissionsBoundaryCommand({ RoleName: name, PermissionsBoundary: boundaryArn }),
        ),
      )
    }
    return this.#run('PutUserPermissionsBoundary', entity, () =>
      this.#iam.send(
        new PutUserPermissionsBoundaryCommand({ UserName: name, PermissionsBoundary: boundaryArn }),
      ),
    )
  }

  async deletePermissionsBoundary(type: BoundedPrincipalType, name: string): Promise<void> {
    const entity = `${type} ${name}`
    if (type === 'role') {
      return this.#run('DeleteRolePermissionsBoundary', entity, () =>
        this.#iam.send(new DeleteRolePermissionsBoundaryCommand({ RoleName: name })),
      )
    }
    return this.#run('DeleteUserPermissionsBoundary', entity, () =>
      this.#iam.send(new DeleteUserPermissionsBoundaryCommand({ UserName: name })),
    )
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
