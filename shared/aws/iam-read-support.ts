import type { AttachedPolicy, PolicyVersion, Tag } from '@aws-sdk/client-iam'
import { nameOfArn } from '#shared/policy/arn.ts'
import { decodePolicyDocumentOrKeep } from '#shared/policy/decode-document.ts'
import type { AttachedPolicyRef } from '#shared/snapshot/types.ts'

/** An IAM read failed for a reason other than the entity not existing. */
export class IamReadError extends Error {
  override readonly name = 'IamReadError'
  readonly operation: string
  readonly entity: string

  constructor(operation: string, entity: string, cause: unknown) {
    super(`IAM ${operation} failed for ${entity}: ${describeCause(cause)}`, { cause })
    this.operation = operation
    this.entity = entity
  }
}

export interface PolicyVersionSummary {
  readonly versionId: string
  readonly isDefault: boolean
  readonly createDate?: string
}

/**
 * IAM Get* APIs return policy documents URL-encoded; emulators may send plain JSON. A document
 * that does not decode stays a string so the evaluator reports it by name.
 */
export function decodeIamDocument(raw: string | undefined): unknown {
  return raw === undefined ? undefined : decodePolicyDocumentOrKeep(raw)
}

export async function attempt<T>(
  operation: string,
  entity: string,
  call: () => Promise<T>,
): Promise<T | undefined> {
  try {
    return await call()
  } catch (error) {
    if (error instanceof Error && error.name === 'NoSuchEntityException') return undefined
    throw new IamReadError(operation, entity, error)
  }
}

export async function collectPages<Page, Item>(
  operation: string,
  entity: string,
  pages: () => AsyncIterable<Page>,
  pick: (page: Page) => readonly Item[] | undefined,
): Promise<Item[] | undefined> {
  return attempt(operation, entity, async () => {
    const items: Item[] = []
    for await (const page of pages()) items.push(...(pick(page) ?? []))
    return items
  })
}

export function toVersionSummary(version: PolicyVersion): PolicyVersionSummary[] {
  if (version.VersionId === undefined) return []
  const createDate = version.CreateDate?.toISOString()
  return [
    {
      versionId: version.VersionId,
      isDefault: version.IsDefaultVersion === true,
      ...(createDate === undefined ? {} : { createDate }),
    },
  ]
}

export function toPolicyRef(policy: AttachedPolicy): AttachedPolicyRef[] {
  if (policy.PolicyArn === undefined) return []
  return [{ arn: policy.PolicyArn, name: policy.PolicyName ?? nameOfArn(policy.PolicyArn) }]
}

export function requireField(
  value: string | undefined,
  field: string,
  operation: string,
  entity: string,
): string {
  if (value === undefined) throw new IamReadError(operation, entity, new Error(`response has no ${field}`))
  return value
}

export function optionalBoundary(arn: string | undefined): { boundaryArn?: string } {
  return arn === undefined ? {} : { boundaryArn: arn }
}

export function optionalTags(tags: readonly Tag[] | undefined): { tags?: Record<string, string> } {
  if (tags === undefined || tags.length === 0) return {}
  return { tags: Object.fromEntries(tags.map((tag) => [tag.Key ?? '', tag.Value ?? ''])) }
}

export function describeCause(cause: unknown): string {
  if (cause instanceof Error) return `${cause.name}: ${cause.message}`
  return String(cause)
}
