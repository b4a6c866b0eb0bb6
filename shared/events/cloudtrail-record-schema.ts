import * as z from 'zod'

/**
 * Schemas for the parts of a CloudTrail record the guard reads. They are lenient where real
 * records vary: optional fields may be absent or `null`, booleans may arrive as the strings
 * `"True"`/`"False"` (records re-serialized by tools that print Python values), and fields the
 * guard does not read (`readOnly`, `managementEvent`, ...) are not checked at all.
 */

const optionalText = z
  .string()
  .nullish()
  .transform((value) => value ?? undefined)

const booleanish = z
  .union([z.boolean(), z.string().regex(/^(true|false)$/i, 'expected a boolean or "true"/"false"')])
  .transform((value) => (typeof value === 'boolean' ? value : value.toLowerCase() === 'true'))

/** What every CloudTrail record carries; enough to decide whether the guard cares about it. */
export const recordHeaderSchema = z.object({
  eventSource: z.string().min(1),
  eventName: z.string().min(1),
  eventID: z.string().optional().catch(undefined),
})

const sessionIssuerSchema = z.object({
  type: optionalText,
  arn: optionalText,
  accountId: optionalText,
  principalId: optionalText,
})

const userIdentitySchema = z.object({
  type: optionalText,
  arn: optionalText,
  accountId: optionalText,
  principalId: optionalText,
  accessKeyId: optionalText,
  invokedBy: optionalText,
  sessionContext: z.object({ sessionIssuer: sessionIssuerSchema.nullish() }).nullish(),
})

/**
 * The request: the fields named here are checked; every other field is kept as sent, for the
 * readers of calls whose shapes vary by service (supportauthz's permit, Identity Center's
 * permission sets), which check what they read.
 */
const requestParametersSchema = z
  .object({
    roleName: optionalText,
    userName: optionalText,
    groupName: optionalText,
    policyArn: optionalText,
    policyName: optionalText,
    /** Kept as received: a JSON string normally, but records copied by hand may hold anything. */
    policyDocument: z.unknown().optional(),
    /** CreateRole's trust policy. */
    assumeRolePolicyDocument: z.unknown().optional(),
    versionId: optionalText,
    setAsDefault: booleanish.nullish(),
    /** A policy ARN in IAM's calls; Identity Center's PutPermissionsBoundaryToPermissionSet sends an object. */
    permissionsBoundary: z.unknown().optional(),
    /** CloudTrail spells the CreateServiceLinkedRole parameter `aWSServiceName`. */
    aWSServiceName: optionalText,
    awsServiceName: optionalText,
    AWSServiceName: optionalText,
    tagKeys: z.array(z.string()).nullish(),
    /** TagRole sends `{ key, value }` pairs, supportauthz a map of key to value. */
    tags: z.unknown().optional(),
    /** GetServiceLinkedRoleDeletionStatus: `task/aws-service-role/<service>/<role name>/<id>`. */
    deletionTaskId: optionalText,
    path: optionalText,
    teamId: optionalText,
    channelId: optionalText,
    channelRoleArn: optionalText,
  })
  .loose()

/**
 * Response data, its other fields kept as sent; anything unexpected (null, absent, the string
 * "None") reads as no response.
 */
const responseElementsSchema = z
  .object({
    policyVersion: z.object({ versionId: optionalText }).nullish(),
    role: z.object({ arn: optionalText }).nullish(),
    policy: z.object({ arn: optionalText }).nullish(),
  })
  .loose()
  .nullish()
  .catch(undefined)

const EVENT_TIME = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(\.\d{1,9})?(Z|[+-]\d{2}:?\d{2})?$/

/**
 * `eventTime` as CloudTrail writes it (`2025-03-10T16:08:52Z`), kept as is; the forms data lakes
 * re-export it in (`2025-04-28 22:57:36.000000000`, no zone: UTC) become ISO 8601. Anything that
 * is not a date and time (`yesterday`) is an issue.
 */
function readEventTime(value: string, context: z.RefinementCtx): string {
  const match = EVENT_TIME.exec(value.trim())
  const [, date, time, fraction = '', zone = 'Z'] = match ?? []
  const iso = `${date}T${time}${fraction.slice(0, 4)}${zone}`
  const parsed = Date.parse(iso)
  if (!match || Number.isNaN(parsed) || !isCalendarDate(date ?? '')) {
    context.addIssue({ code: 'custom', message: 'expected an ISO 8601 time such as 2025-03-10T16:08:52Z' })
    return z.NEVER
  }
  return value === iso ? value : new Date(parsed).toISOString()
}

/** `YYYY-MM-DD` names a day of the calendar (Date.parse rolls 2025-02-30 over to March). */
function isCalendarDate(date: string): boolean {
  const [year = 0, month = 0, day = 0] = date.split('-').map(Number)
  const utc = new Date(Date.UTC(year, month - 1, day))
  return utc.getUTCFullYear() === year && utc.getUTCMonth() === month - 1 && utc.getUTCDate() === day
}

/**
 * What any record says of itself, whatever its call: each field reads as absent when it has
 * the wrong type, so this never fails.
 */
export const recordSummarySchema = z.object({
  eventSource: optionalText.catch(undefined),
  eventTime: optionalText.catch(undefined),
  errorCode: optionalText.catch(undefined),
  recipientAccountId: optionalText.catch(undefined),
  userIdentity: userIdentitySchema.nullish().catch(undefined),
})

/** A CloudTrail record of a call the guard classifies. */
export const changeRecordSchema = z.object({
  eventID: z.string().min(1),
  eventTime: z.string().transform(readEventTime),
  eventSource: z.string().min(1),
  eventName: z.string().min(1),
  awsRegion: optionalText,
  sourceIPAddress: optionalText,
  userAgent: optionalText,
  errorCode: optionalText,
  errorMessage: optionalText,
  recipientAccountId: optionalText,
  userIdentity: userIdentitySchema.nullish(),
  requestParameters: requestParametersSchema.nullish(),
  responseElements: responseElementsSchema,
})

export type ChangeRecord = z.output<typeof changeRecordSchema>
export type UserIdentity = NonNullable<ChangeRecord['userIdentity']>
export type RequestParameters = NonNullable<ChangeRecord['requestParameters']>
export type ResponseElements = NonNullable<ChangeRecord['responseElements']>
