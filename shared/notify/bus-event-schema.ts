import * as z from 'zod'
import { RULE_IDS, SEVERITIES } from '#shared/config/rules.ts'
import {
  FINDING_DETAIL_TYPE,
  type FindingEventDetail,
  GUARD_EVENT_SOURCE,
  REMEDIATION_DETAIL_TYPE,
  type RemediationEventDetail,
} from '#shared/pipeline/bus-events.ts'
import type { RemediationStep } from '#shared/pipeline/remediation-steps.ts'

/** Schemas for the findings-bus events the notify function receives (shared/pipeline/bus-events.ts). */

const text = z.string().min(1)
const principalKind = z.enum(['role', 'user', 'group'])
const boundedKind = z.enum(['role', 'user'])

const stepSchema: z.ZodType<RemediationStep> = z.discriminatedUnion('action', [
  z.object({
    action: z.literal('attach-policy'),
    principalType: principalKind,
    principalName: text,
    policyArn: text,
  }),
  z.object({
    action: z.literal('detach-policy'),
    principalType: principalKind,
    principalName: text,
    policyArn: text,
  }),
  z.object({
    action: z.literal('put-inline-policy'),
    principalType: principalKind,
    principalName: text,
    policyName: text,
    document: z.unknown(),
  }),
  z.object({
    action: z.literal('delete-inline-policy'),
    principalType: principalKind,
    principalName: text,
    policyName: text,
  }),
  z.object({ action: z.literal('set-default-policy-version'), policyArn: text, versionId: text }),
  z.object({ action: z.literal('update-trust-policy'), roleName: text, document: z.unknown() }),
  z.object({
    action: z.literal('put-permissions-boundary'),
    principalType: boundedKind,
    principalName: text,
    policyArn: text,
  }),
  z.object({
    action: z.literal('delete-permissions-boundary'),
    principalType: boundedKind,
    principalName: text,
  }),
  z.object({ action: z.literal('add-user-to-group'), userName: text, groupName: text }),
  z.object({ action: z.literal('remove-user-from-group'), userName: text, groupName: text }),
  z.object({ action: z.literal('create-service-linked-role'), awsServiceName: text }),
])

const changeSchema = z.object({
  eventName: text,
  eventId: text,
  eventTime: text,
  actorArn: text,
  sourceIp: z.string().optional(),
  userAgent: z.string().optional(),
  failed: z.boolean(),
  errorCode: z.string().optional(),
  targets: z.array(z.string()),
  parameters: z.record(z.string(), z.unknown()),
})

const findingDetailSchema: z.ZodType<FindingEventDetail> = z.object({
  id: text,
  rule: z.enum(RULE_IDS),
  severity: z.enum(SEVERITIES),
  accountId: text,
  principalArn: text,
  title: text,
  detail: z.string(),
  evidence: z.record(z.string(), z.unknown()),
  remediation: z.object({ automatic: z.boolean(), steps: z.array(z.string()) }),
  mode: z.enum(['monitor', 'enforce']),
  change: changeSchema.optional(),
  plan: z.object({ steps: z.array(stepSchema), reason: z.string() }).optional(),
})

const remediationDetailSchema: z.ZodType<RemediationEventDetail> = z.object({
  findingId: text,
  rule: z.enum(RULE_IDS),
  severity: z.enum(SEVERITIES),
  accountId: text,
  principalArn: text,
  title: text,
  outcome: z.enum(['reverted', 'failed', 'skipped']),
  steps: z.array(stepSchema),
  reason: z.string(),
  error: z.string().optional(),
  change: changeSchema.optional(),
})

/** An EventBridge event from the guard's findings bus: source and detail-type checked, detail typed. */
export const guardBusEventSchema = z.discriminatedUnion('detail-type', [
  z.object({
    source: z.literal(GUARD_EVENT_SOURCE),
    'detail-type': z.literal(FINDING_DETAIL_TYPE),
    detail: findingDetailSchema,
  }),
  z.object({
    source: z.literal(GUARD_EVENT_SOURCE),
    'detail-type': z.literal(REMEDIATION_DETAIL_TYPE),
    detail: remediationDetailSchema,
  }),
])

export type GuardBusEvent = z.infer<typeof guardBusEventSchema>
