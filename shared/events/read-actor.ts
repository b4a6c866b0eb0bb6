import { buildAccountRootArn } from '#shared/policy/arn.ts'
import type { UserIdentity } from './cloudtrail-record-schema.ts'
import { omitUndefined } from './omit-undefined.ts'
import type { Actor } from './types.ts'

export interface ReadActorResult {
  readonly actor: Actor
  readonly actorArn: string
}

/**
 * Who made the call, from CloudTrail `userIdentity`, and the single ARN that best names them:
 * the role behind an assumed-role session (sessions change, the role does not), the account
 * root, the invoking service for `AWSService` calls, else the caller's ARN or `unknown`.
 */
export function readActor(identity: UserIdentity | undefined, accountId: string): ReadActorResult {
  const actor: Actor = omitUndefined({
    type: identity?.type || 'Unknown',
    arn: identity?.arn,
    sessionIssuerArn: identity?.sessionContext?.sessionIssuer?.arn,
    accountId: identity?.accountId,
    principalId: identity?.principalId,
    invokedBy: identity?.invokedBy,
    accessKeyId: identity?.accessKeyId,
  })
  return { actor, actorArn: chooseActorArn(actor, accountId) }
}

function chooseActorArn(actor: Actor, accountId: string): string {
  switch (actor.type) {
    case 'AssumedRole':
      return actor.sessionIssuerArn ?? actor.arn ?? 'unknown'
    case 'Root':
      return actor.arn ?? buildAccountRootArn(actor.accountId ?? accountId)
    case 'AWSService':
      return actor.invokedBy ?? 'unknown'
    default:
      return actor.arn ?? 'unknown'
  }
}
