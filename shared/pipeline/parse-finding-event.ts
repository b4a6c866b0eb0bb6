import * as z from 'zod'
import { RULE_IDS, SEVERITIES } from '#shared/config/rules.ts'
import { FINDING_DETAIL_TYPE, type FindingEventDetail, GUARD_EVENT_SOURCE } from './bus-events.ts'
import type { RemediationStep } from './remediation-steps.ts'

/** The remediate function got something other than a guard finding: kept by the dead-letter queue. */
export class FindingEventError extends Error {
  override readonly name = 'FindingEventError'
}

/** Fields each step needs, by action: a step missing one would make a wrong IAM call. */
const STEP_FIELDS: Readonly<Record<RemediationStep['action'], readonly string[]>> = {
  'attach-policy': ['principalType', 'principalName', 'policyArn'],
  'detach-policy': ['principalType', 'principalName', 'policyArn'],
  'put-inline-policy': ['principalType', 'principalName', 'policyName', 'document'],
  'delete-inline-policy': ['principalType', 'principalName', 'policyName'],
  'set-default-policy-version': ['policyArn', 'versionId'],
  'update-trust-policy': ['roleName', 'document'],
  'put-permissions-boundary': ['principalType', 'principalName', 'policyArn'],
  'delete-permissions-boundary': ['principalType', 'principalName'],
  'add-user-to-group': ['userName', 'groupName'],
  'remove-user-from-group': ['userName', 'groupName'],
  'create-service-linked-role': ['awsServiceName'],
}

const Step = z
  .looseObject({
    action: z.enum(Object.keys(STEP_FIELDS) as [RemediationStep['action'], ...RemediationStep['action'][]]),
  })
  .check((context) => {
    const missing = STEP_FIELDS[context.value.action].filter((field) => context.value[field] === undefined)
    if (missing.length > 0)
      context.issues.push({ code: 'custom', message: `missing ${missing.join(', ')}`, input: context.value })
  })

const Detail = z.looseObject({
  id: z.string().min(1),
  rule: z.enum(RULE_IDS),
  severity: z.enum(SEVERITIES),
  accountId: z.string().min(1),
  principalArn: z.string().min(1),
  title: z.string(),
  detail: z.string(),
  evidence: z.record(z.string(), z.unknown()),
  remediation: z.object({ automatic: z.boolean(), steps: z.array(z.string()) }),
  mode: z.enum(['monitor', 'enforce']),
  plan: z.object({ steps: z.array(Step), reason: z.string() }).optional(),
})

const Envelope = z.looseObject({
  source: z.literal(GUARD_EVENT_SOURCE),
  'detail-type': z.literal(FINDING_DETAIL_TYPE),
  detail: Detail,
})

/** Validates a `Support Access Finding` event from the findings bus. */
export function parseFindingEvent(input: unknown): FindingEventDetail {
  const parsed = Envelope.safeParse(input)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new FindingEventError(
      `not a Support Access Finding event: ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`,
    )
  }
  return parsed.data.detail as unknown as FindingEventDetail
}
