import { z } from 'zod'
import { RULE_IDS, SEVERITIES } from '#shared/config/rules.ts'

/** The contract shapes of DESIGN.md §4, as the CLI tests read its JSON output. */

export const findingSchema = z.object({
  id: z.string().min(1),
  rule: z.enum(RULE_IDS),
  severity: z.enum(SEVERITIES),
  /** Null only for a required pattern that matches nobody (the pattern is then in evidence.pattern). */
  principalArn: z.string().startsWith('arn:aws:iam::').nullable(),
  title: z.string().min(1),
  detail: z.string().min(1),
  evidence: z.record(z.string(), z.unknown()),
  remediation: z.object({ automatic: z.boolean(), steps: z.array(z.string()) }),
})

export const auditReportSchema = z.object({
  schemaVersion: z.literal(1),
  accountId: z.string().regex(/^\d{12}$/),
  findings: z.array(findingSchema),
  access: z.array(
    z.object({
      principalArn: z.string(),
      principalType: z.enum(['user', 'role']),
      decisions: z.record(z.string(), z.enum(['allow', 'deny', 'conditional'])),
    }),
  ),
})

export const whoCanSchema = z.object({
  action: z.string(),
  principals: z.array(
    z.object({
      principalArn: z.string(),
      decision: z.enum(['allow', 'conditional']),
      via: z.array(z.string()),
    }),
  ),
})

export const replaySchema = z.object({
  change: z.object({
    eventName: z.string().min(1),
    eventId: z.string().min(1),
    eventIdDerived: z.literal(true).optional(),
    actorArn: z.string().min(1),
    failed: z.boolean(),
    errorCode: z.string().min(1).optional(),
    targets: z.array(z.string()),
    ignored: z.string().optional(),
  }),
  findings: z.array(findingSchema.extend({ principalArn: z.string().min(1).nullable() })),
  remediation: z
    .object({
      steps: z.array(z.object({ action: z.string() }).loose()),
    })
    .loose()
    .nullable(),
})

export type AuditReportJson = z.infer<typeof auditReportSchema>
export type ReplayJson = z.infer<typeof replaySchema>
