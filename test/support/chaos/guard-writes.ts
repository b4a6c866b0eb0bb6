import { isIamWrite } from '../e2e/trace-queries.ts'
import type { ProxiedRequest } from './fault-proxy.ts'

/** One IAM write the guard's functions made that reached the emulator. */
export interface GuardWrite {
  readonly action: string
  /** The role, user or group written (or the policy, for a policy version). */
  readonly target: string
  /** IAM's form parameters (RoleName, PolicyArn, PolicyDocument, …). */
  readonly params: Readonly<Record<string, string>>
  /** How many requests of this operation reached the emulator (the SDK retries a write whose answer was lost). */
  readonly requests: number
}

/**
 * The functions' IAM writes that reached the emulator, one per SDK operation: the retries of one
 * operation carry the same `amz-sdk-invocation-id` and count once. A write the function repeated
 * in a new call (a Lambda retry, a second revert) counts again.
 */
export function listGuardWrites(requests: readonly ProxiedRequest[]): GuardWrite[] {
  const byOperation = new Map<string, { request: ProxiedRequest; count: number }>()
  requests.forEach((request, index) => {
    if (request.service !== 'iam' || !request.applied || !isIamWrite(request.action)) return
    const key = request.invocationId ?? `request-${index}`
    const seen = byOperation.get(key)
    if (seen) seen.count++
    else byOperation.set(key, { request, count: 1 })
  })
  return [...byOperation.values()].map(({ request, count }) => ({
    action: request.action,
    target: targetOf(request.params),
    params: request.params,
    requests: count,
  }))
}

/** How many writes each target got. */
export function countWritesByTarget(writes: readonly GuardWrite[]): Map<string, number> {
  const counts = new Map<string, number>()
  for (const write of writes) counts.set(write.target, (counts.get(write.target) ?? 0) + 1)
  return counts
}

function targetOf(params: Readonly<Record<string, string>>): string {
  return (
    params.RoleName ?? params.UserName ?? params.GroupName ?? params.PolicyArn ?? params.AWSServiceName ?? '?'
  )
}
