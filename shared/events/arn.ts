/** An IAM user, role or group named by its ARN. */
export interface IamEntityName {
  readonly type: 'role' | 'user' | 'group'
  readonly name: string
  readonly accountId: string
}

/**
 * Reads `arn:<partition>:iam::<account>:<role|user|group>/<path/>name`; the name is the part
 * after the last `/`. Anything else (a policy, an STS session, a pattern) is undefined.
 */
export function parseIamEntityArn(arn: string): IamEntityName | undefined {
  const match = /^arn:[a-z-]+:iam::(\d{12}):(role|user|group)\/(?:[^*?]*\/)?([^/*?]+)$/.exec(arn)
  if (!match) return undefined
  const [, accountId, type, name] = match
  if (!accountId || !name) return undefined
  return { type: type as IamEntityName['type'], name, accountId }
}

/** IAM role, user and group names are unique regardless of case: two spellings name one entity. */
export function sameIamName(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase()
}
