import { readdirSync, readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { parseChangeEvent } from '#shared/events/parse-change-event.ts'
import type { ChangeKind } from '#shared/events/types.ts'

const FIXTURES_DIR = new URL('../../fixtures/cloudtrail/', import.meta.url)

const indexSchema = z.object({
  count: z.number(),
  records: z.array(
    z.object({
      file: z.string(),
      eventName: z.string(),
      format: z.enum(['cloudtrail-record', 'eventbridge-event']),
      errorCode: z.string().nullable(),
      errorMessage: z.string().nullable(),
      userIdentityType: z.string().nullable(),
      userIdentityArn: z.string().nullable(),
      invokedBy: z.string().nullable(),
      policyDocumentFields: z.array(z.string()),
      origin: z.object({ source: z.string().min(1) }),
      eventNameIsKnownIamAction: z.boolean(),
    }),
  ),
})
type IndexRecord = z.infer<typeof indexSchema>['records'][number]

const index = indexSchema.parse(JSON.parse(readFileSync(new URL('index.json', FIXTURES_DIR), 'utf8')))

/** Kinds of the classified calls the corpus holds, written out rather than read from the code under test. */
const CORPUS_KINDS: Readonly<Record<string, ChangeKind>> = {
  AddUserToGroup: 'group-membership',
  RemoveUserFromGroup: 'group-membership',
  AttachGroupPolicy: 'policy-attachment',
  AttachRolePolicy: 'policy-attachment',
  AttachUserPolicy: 'policy-attachment',
  DetachRolePolicy: 'policy-attachment',
  CreatePolicyVersion: 'policy-version',
  SetDefaultPolicyVersion: 'policy-version',
  CreatePolicy: 'managed-policy',
  DeletePolicy: 'managed-policy',
  CreateRole: 'principal-lifecycle',
  DeleteRole: 'principal-lifecycle',
  DeleteGroup: 'principal-lifecycle',
  DeleteUser: 'principal-lifecycle',
  CreateServiceLinkedRole: 'service-linked-role',
  DeleteGroupPolicy: 'inline-policy',
  DeleteRolePolicy: 'inline-policy',
  PutRolePolicy: 'inline-policy',
  PutUserPolicy: 'inline-policy',
  UpdateAssumeRolePolicy: 'trust-policy',
  CreateSAMLProvider: 'identity-provider',
  UpdateSAMLProvider: 'identity-provider',
  DeleteSAMLProvider: 'identity-provider',
  CreateOpenIDConnectProvider: 'identity-provider',
  DeleteOpenIDConnectProvider: 'identity-provider',
}

/** Published records without an `eventID` (documentation excerpts, hand-written test logs). */
const WITHOUT_EVENT_ID = [
  'AddUserToGroup__awsdocs-ctug_1.json',
  'AddUserToGroup__elastic-beats_1.json',
  'AttachUserPolicy__panther_4.json',
  'CreateSAMLProvider__panther_2.json',
  'CreateSAMLProvider__panther_3.json',
]

/** Successful calls recorded without their parameters: what they changed cannot be told. */
const WITHOUT_PARAMETERS = [
  'CreateServiceLinkedRole__panther_2.json',
  'PutUserPolicy__panther_3.json',
  'CreateSAMLProvider__panther_1.json',
  'DeleteSAMLProvider__panther_1.json',
  'UpdateSAMLProvider__panther_1.json',
]

function loadFixture(entry: IndexRecord): { raw: unknown; record: Record<string, unknown> } {
  const raw: unknown = JSON.parse(readFileSync(new URL(entry.file, FIXTURES_DIR), 'utf8'))
  const record = z
    .record(z.string(), z.unknown())
    .parse(entry.format === 'eventbridge-event' ? z.object({ detail: z.unknown() }).parse(raw).detail : raw)
  return { raw, record }
}

describe('CloudTrail corpus fixtures', () => {
  it('holds exactly the files index.json describes, each with its origin', () => {
    const files = readdirSync(FIXTURES_DIR).filter((name) => name.endsWith('.json') && name !== 'index.json')
    expect(files.sort()).toEqual(index.records.map((entry) => entry.file).sort())
    expect(index.records).toHaveLength(index.count)
  })

  it.each(index.records)('$file: outcome agrees with index.json', (entry) => {
    const { raw, record } = loadFixture(entry)
    const outcome = parseChangeEvent(raw)
    const kind = CORPUS_KINDS[entry.eventName]

    if (!entry.eventNameIsKnownIamAction) {
      expect(outcome).toMatchObject({
        status: 'ignored',
        reason: 'unknown-event',
        eventName: entry.eventName,
      })
    } else if (kind === undefined) {
      const reason = /^(Get|List)/.test(entry.eventName) ? 'read-only' : 'unknown-event'
      expect(outcome).toMatchObject({ status: 'ignored', reason, eventName: entry.eventName })
    } else if (WITHOUT_EVENT_ID.includes(entry.file)) {
      expect(outcome.status).toBe('invalid')
      if (outcome.status === 'invalid') expect(outcome.error.path).toBe('eventID')
    } else if (WITHOUT_PARAMETERS.includes(entry.file)) {
      expect(outcome.status).toBe('invalid')
      if (outcome.status === 'invalid') {
        expect(outcome.error.path).toBe('requestParameters')
        expect(outcome.error.message).toMatch(/^unreadable CloudTrail record: /)
      }
    } else {
      expect(outcome.status).toBe('change')
      if (outcome.status !== 'change') return
      const { change } = outcome
      expect(change).toMatchObject({ kind, eventName: entry.eventName, failed: entry.errorCode !== null })
      expect(change.errorCode).toBe(entry.errorCode ?? undefined)
      expect(change.errorMessage).toBe(entry.errorMessage ?? undefined)
      expect(change.actor.type).toBe(entry.userIdentityType ?? 'Unknown')
      expect(change.actor.arn).toBe(entry.userIdentityArn ?? undefined)
      expect(change.actor.invokedBy).toBe(entry.invokedBy ?? undefined)
      expect(change.eventId).toBe(record.eventID)
      if (entry.policyDocumentFields.includes('policyDocument')) {
        const request = z.object({ policyDocument: z.unknown() }).parse(record.requestParameters)
        expect(change.parameters.policyDocument).toBe(request.policyDocument)
      }
    }
  })

  it('classifies most of the corpus calls the guard handles, and rejects only records without an event ID or, for a successful call, its parameters', () => {
    const outcomes = index.records.map((entry) => ({
      entry,
      outcome: parseChangeEvent(loadFixture(entry).raw),
    }))
    const invalid = outcomes
      .filter(({ outcome }) => outcome.status === 'invalid')
      .map(({ entry }) => entry.file)
    expect(invalid.sort()).toEqual([...WITHOUT_EVENT_ID, ...WITHOUT_PARAMETERS].sort())
    expect(outcomes.filter(({ outcome }) => outcome.status === 'change')).toHaveLength(52)
  })
})
