import { decodePolicyDocumentOrKeep } from '#shared/policy/decode-document.ts'
import { buildTargets, findSubjects } from './build-targets.ts'
import type { ChangeRecord } from './cloudtrail-record-schema.ts'
import { omitUndefined } from './omit-undefined.ts'
import { readActor } from './read-actor.ts'
import { readParameters, readResponse } from './read-parameters.ts'
import type { ChangeEvent, ChangeKind } from './types.ts'

export interface ClassifyContext {
  readonly kind: ChangeKind
  /** Account the call was made in, already resolved from the record or its envelope. */
  readonly accountId: string
  /** Region of the EventBridge envelope, used when the record has no `awsRegion`. */
  readonly fallbackRegion?: string
}

/**
 * Turns a validated CloudTrail record of a classified call into a ChangeEvent. A call that
 * CloudTrail recorded with an `errorCode` is still classified: it is an attempt (`failed`),
 * and attempts on protected roles are findings of their own. What the rest of the pipeline
 * would otherwise work out again is worked out here, once: the users, roles and groups the call
 * names (`subjects`) and its policy document decoded (`document`).
 */
export function classifyChange(record: ChangeRecord, context: ClassifyContext): ChangeEvent {
  const request = record.requestParameters ?? undefined
  const response = readResponse(record.responseElements ?? undefined)
  const { actor, actorArn } = readActor(record.userIdentity ?? undefined, context.accountId)
  const parameters = readParameters(request, record.eventSource)
  const input = { eventName: record.eventName, accountId: context.accountId, request, parameters, response }
  const subjects = findSubjects(input)
  return omitUndefined({
    eventId: record.eventID,
    eventName: record.eventName,
    eventSource: record.eventSource,
    eventTime: record.eventTime,
    awsRegion: record.awsRegion ?? context.fallbackRegion,
    accountId: context.accountId,
    actor,
    actorArn,
    sourceIp: record.sourceIPAddress,
    userAgent: record.userAgent,
    failed: record.errorCode !== undefined,
    errorCode: record.errorCode,
    errorMessage: record.errorMessage,
    kind: context.kind,
    targets: buildTargets(input, subjects),
    subjects,
    parameters,
    document:
      parameters.policyDocument === undefined
        ? undefined
        : decodePolicyDocumentOrKeep(parameters.policyDocument),
    response,
  })
}
