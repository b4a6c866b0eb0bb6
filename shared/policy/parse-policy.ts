import { decodePolicyDocument } from './decode-document.ts'
import type {
  ConditionClause,
  Effect,
  ElementList,
  ParsedPolicy,
  PolicyKind,
  PolicyParseResult,
  PolicyStatement,
  PrincipalElement,
} from './types.ts'

/** Thrown inside the parser only; converted to a `PolicyIssue` at the boundary. */
class PolicyShapeError extends Error {
  override readonly name = 'PolicyShapeError'
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(message)
  }
}

export interface ParseOptions {
  /**
   * Lower-cased service prefixes (`support`, `sts`): an identity policy keeps only the
   * statements whose actions can fall in one of them (a NotAction, a wildcard service, or a
   * pattern of one of these services). The others are still checked, and a flaw in any of them
   * is an issue as always; they are just not kept. An account's statements are mostly about
   * other services, and an audit asks only about a few.
   */
  readonly services?: ReadonlySet<string>
}

/**
 * Parses a policy document (object, JSON string or URL-encoded JSON string) into a
 * `ParsedPolicy`. Never throws: a malformed document yields an issue naming `policyName`
 * and the JSON path of the first problem (`Statement[2].Action`).
 */
export function parsePolicyDocument(
  input: unknown,
  policyName: string,
  kind: PolicyKind,
  options: ParseOptions = {},
): PolicyParseResult {
  const decoded = decodePolicyDocument(input)
  if (!decoded.ok) return { ok: false, issue: { policy: policyName, path: '', message: decoded.message } }
  try {
    const services = kind === 'identity' ? options.services : undefined
    return { ok: true, policy: readDocument(decoded.value, kind, services) }
  } catch (error) {
    if (error instanceof PolicyShapeError) {
      return { ok: false, issue: { policy: policyName, path: error.path, message: error.message } }
    }
    throw error
  }
}

function readDocument(
  value: unknown,
  kind: PolicyKind,
  services: ReadonlySet<string> | undefined,
): ParsedPolicy {
  if (!isRecord(value)) throw new PolicyShapeError('', 'a policy document must be a JSON object')
  const version = value.Version
  // IAM accepts only these two policy language versions.
  if (version !== undefined && version !== '2012-10-17' && version !== '2008-10-17') {
    throw new PolicyShapeError(
      'Version',
      `must be "2012-10-17" or "2008-10-17", got ${JSON.stringify(version)}`,
    )
  }
  const raw = value.Statement
  if (raw === undefined) throw new PolicyShapeError('Statement', 'is missing')
  const list = Array.isArray(raw) ? raw : [raw]
  if (list.length === 0) throw new PolicyShapeError('Statement', 'is empty')
  const listed = Array.isArray(raw)
  const statements: PolicyStatement[] = []
  list.forEach((value, index) => {
    const at = listed ? index : UNLISTED
    checkStatement(value, at, kind)
    if (!services || canConcern(value, services)) statements.push(buildStatement(value, at))
  })
  // Literals, not a spread of one into another: a spread would give each policy a hidden
  // class of its own.
  if (services) return version === undefined ? { statements, services } : { version, statements, services }
  return version === undefined ? { statements } : { version, statements }
}

/**
 * Whether a statement checkStatement has passed can name an action of one of `services`: by a
 * NotAction, `*`, a wildcard in a service prefix, or a pattern of one of them. The prefixes are
 * compared where they are written: an account has hundreds of thousands of patterns.
 */
function canConcern(statement: Record<string, unknown>, services: ReadonlySet<string>): boolean {
  const action = statement.Action
  if (action === undefined) return true
  const wanted = listOf(services)
  if (!Array.isArray(action)) return patternConcerns(action as string, wanted)
  for (const pattern of action) if (patternConcerns(pattern as string, wanted)) return true
  return false
}

function patternConcerns(pattern: string, services: readonly string[]): boolean {
  const colon = pattern.indexOf(':')
  if (colon < 0) return true
  for (let at = 0; at < colon; at++) {
    const code = pattern.charCodeAt(at)
    if (code === 0x2a || code === 0x3f) return true
  }
  for (const service of services) if (isPrefixIgnoringCase(pattern, colon, service)) return true
  return false
}

/** Whether pattern[0, length) is `service` (lower-cased) in any case. */
function isPrefixIgnoringCase(pattern: string, length: number, service: string): boolean {
  if (length !== service.length) return false
  for (let at = 0; at < length; at++) {
    const code = pattern.charCodeAt(at)
    if ((code >= 0x41 && code <= 0x5a ? code | 0x20 : code) !== service.charCodeAt(at)) return false
  }
  return true
}

/** `services` as a list, made once per set: a few prefixes, compared in place. */
function listOf(services: ReadonlySet<string>): readonly string[] {
  let list = serviceLists.get(services)
  if (!list) {
    list = [...services]
    serviceLists.set(services, list)
  }
  return list
}
const serviceLists = new WeakMap<ReadonlySet<string>, readonly string[]>()

/**
 * The statements of `policy` that can bear on an action of `service` (lower-cased prefix):
 * every statement, unless the parser kept only those of other services, which is a mistake
 * of the caller's that must not pass for "no statement".
 */
export function statementsAbout(policy: ParsedPolicy, service: string): readonly PolicyStatement[] {
  if (policy.services && !policy.services.has(service))
    throw new Error(`the policy was parsed for ${[...policy.services].join(', ')}, not for ${service}`)
  return policy.statements
}

/**
 * Where a statement sits: its index in the `Statement` list, or UNLISTED for a document whose
 * one statement is not in a list. Paths (`Statement[2].Action`) are spelled out only for an
 * error: an account has tens of thousands of statements, and almost none of them has one.
 */
type StatementAt = number
const UNLISTED: StatementAt = -1

function pathOf(at: StatementAt, field?: string): string {
  const statement = at === UNLISTED ? 'Statement' : `Statement[${at}]`
  return field === undefined ? statement : `${statement}.${field}`
}

/**
 * Checks a statement as IAM's grammar wants it (the first flaw found is thrown) and builds
 * nothing: a statement of an identity policy kept for some services is built only when kept.
 */
function checkStatement(
  value: unknown,
  at: StatementAt,
  kind: PolicyKind,
): asserts value is Record<string, unknown> {
  if (!isRecord(value)) throw new PolicyShapeError(pathOf(at), 'a statement must be a JSON object')
  checkEffect(value.Effect, at)
  const action = pairKey(value, 'Action', 'NotAction', at)
  if (!action) throw new PolicyShapeError(pathOf(at, 'Action'), 'a statement needs Action or NotAction')
  checkActionPatterns(value[action], action, at)
  const resource = pairKey(value, 'Resource', 'NotResource', at)
  const principal = principalKey(value, at)
  if (kind === 'identity') {
    if (!resource)
      throw new PolicyShapeError(
        pathOf(at, 'Resource'),
        'an identity policy statement needs Resource or NotResource',
      )
    if (principal)
      throw new PolicyShapeError(pathOf(at, 'Principal'), 'an identity policy cannot name a Principal')
  } else if (!principal) {
    throw new PolicyShapeError(
      pathOf(at, 'Principal'),
      'a trust policy statement needs Principal or NotPrincipal',
    )
  }
  const sid = value.Sid
  if (sid !== undefined && typeof sid !== 'string')
    throw new PolicyShapeError(pathOf(at, 'Sid'), 'must be a string')
  checkConditions(value.Condition, at)
}

/** A statement checkStatement has passed, as the evaluator reads it. */
function buildStatement(value: Record<string, unknown>, at: StatementAt): PolicyStatement {
  const sid = value.Sid as string | undefined
  const resource = pairOf(value, 'Resource', 'NotResource')
  const principal = principalOf(value)
  // One literal: V8 gives it its fields in the object itself (set one by one, they would
  // spill into a separate property store per statement).
  return {
    index: at === UNLISTED ? 0 : at,
    ...(sid === undefined ? {} : { sid }),
    effect: value.Effect as Effect,
    action: pairOf(value, 'Action', 'NotAction') as ElementList,
    ...(resource ? { resource } : {}),
    ...(principal ? { principal } : {}),
    conditions: conditionsOf(value.Condition),
  }
}

/** IAM rejects an action without a service prefix (`support*`); only `*` stands alone. */
function checkActionPatterns(value: unknown, key: string, at: StatementAt): void {
  if (!Array.isArray(value)) {
    if (value !== '*' && !ACTION_PATTERN.test(value as string))
      throw new PolicyShapeError(pathOf(at, key), `"${value as string}" is not service:action`)
    return
  }
  for (let index = 0; index < value.length; index++) {
    const pattern = value[index] as string
    if (pattern !== '*' && !ACTION_PATTERN.test(pattern))
      throw new PolicyShapeError(`${pathOf(at, key)}[${index}]`, `"${pattern}" is not service:action`)
  }
}

function checkEffect(value: unknown, at: StatementAt): void {
  if (value === 'Allow' || value === 'Deny') return
  if (value === undefined) throw new PolicyShapeError(pathOf(at, 'Effect'), 'is missing')
  throw new PolicyShapeError(pathOf(at, 'Effect'), `must be "Allow" or "Deny", got ${JSON.stringify(value)}`)
}

/** Which of `plain` and `not` the statement has, its strings checked; both is a flaw. */
function pairKey(
  record: Record<string, unknown>,
  plain: string,
  not: string,
  at: StatementAt,
): string | undefined {
  const hasPlain = record[plain] !== undefined
  const hasNot = record[not] !== undefined
  if (hasPlain && hasNot) throw new PolicyShapeError(pathOf(at, not), `cannot be combined with ${plain}`)
  if (!hasPlain && !hasNot) return undefined
  const key = hasPlain ? plain : not
  checkStrings(record[key], at, key)
  return key
}

function pairOf(record: Record<string, unknown>, plain: string, not: string): ElementList | undefined {
  const value = record[plain] ?? record[not]
  if (value === undefined) return undefined
  return { negated: record[plain] === undefined, values: stringsOf(value) }
}

/** `field` (`Action`, `Principal.AWS`) of the statement at `at`: a non-empty string or list of them. */
function checkStrings(value: unknown, at: StatementAt, field: string): void {
  if (!Array.isArray(value)) {
    if (typeof value !== 'string' || value.length === 0)
      throw new PolicyShapeError(pathOf(at, field), 'must be a non-empty string')
    return
  }
  if (value.length === 0) throw new PolicyShapeError(pathOf(at, field), 'must not be empty')
  for (let index = 0; index < value.length; index++) {
    const item: unknown = value[index]
    if (typeof item !== 'string' || item.length === 0)
      throw new PolicyShapeError(`${pathOf(at, field)}[${index}]`, 'must be a non-empty string')
  }
}

/** The strings checkStrings has passed, in a list of their own. */
function stringsOf(value: unknown): string[] {
  return Array.isArray(value) ? (value.slice() as string[]) : [value as string]
}

/** `service:action`; only `*` stands alone. */
const ACTION_PATTERN = /^[A-Za-z0-9*?-]+:[^:]*$/

/** `ForAnyValue:StringLikeIfExists`: qualifier, base operator, IfExists. */
const CONDITION_OPERATOR = /^(?:(ForAnyValue|ForAllValues):)?([A-Za-z]+?)(IfExists)?$/

const PRINCIPAL_TYPES: ReadonlySet<string> = new Set(['AWS', 'Service', 'Federated', 'CanonicalUser'])

/** Which of Principal and NotPrincipal the statement has, checked; both is a flaw. */
function principalKey(record: Record<string, unknown>, at: StatementAt): string | undefined {
  const hasPlain = record.Principal !== undefined
  const hasNot = record.NotPrincipal !== undefined
  if (hasPlain && hasNot)
    throw new PolicyShapeError(pathOf(at, 'NotPrincipal'), 'cannot be combined with Principal')
  if (!hasPlain && !hasNot) return undefined
  const key = hasPlain ? 'Principal' : 'NotPrincipal'
  const value = record[key]
  if (value === '*') return key
  if (!isRecord(value))
    throw new PolicyShapeError(pathOf(at, key), 'must be "*" or an object such as {"AWS": [...]}')
  for (const name of Object.keys(value)) {
    if (!PRINCIPAL_TYPES.has(name))
      throw new PolicyShapeError(`${pathOf(at, key)}.${name}`, 'unknown principal type')
  }
  for (const name of ['AWS', 'Service', 'Federated', 'CanonicalUser'] as const)
    if (value[name] !== undefined) checkStrings(value[name], at, `${key}.${name}`)
  return key
}

function principalOf(record: Record<string, unknown>): PrincipalElement | undefined {
  const negated = record.Principal === undefined
  const value = negated ? record.NotPrincipal : record.Principal
  if (value === undefined) return undefined
  if (value === '*') return { negated, any: true, aws: [], service: [], federated: [], canonicalUser: [] }
  const types = value as Record<string, unknown>
  const listed = (name: string) => (types[name] === undefined ? [] : stringsOf(types[name]))
  const aws = listed('AWS')
  return {
    negated,
    any: aws.includes('*'),
    aws: aws.filter((entry) => entry !== '*'),
    service: listed('Service'),
    federated: listed('Federated'),
    canonicalUser: listed('CanonicalUser'),
  }
}

/** Statements without conditions share this list: nothing ever changes a parsed statement. */
const NO_CONDITIONS: readonly ConditionClause[] = Object.freeze([])

function checkConditions(value: unknown, at: StatementAt): void {
  if (value === undefined) return
  const path = () => pathOf(at, 'Condition')
  if (!isRecord(value)) throw new PolicyShapeError(path(), 'must be an object of operators')
  for (const operator of Object.keys(value)) {
    const match = CONDITION_OPERATOR.exec(operator)
    if (!match?.[2]) throw new PolicyShapeError(`${path()}.${operator}`, 'is not a condition operator')
    const tests = value[operator]
    if (!isRecord(tests))
      throw new PolicyShapeError(`${path()}.${operator}`, 'must be an object of condition keys')
    for (const key of Object.keys(tests)) {
      const raw = tests[key]
      const list = Array.isArray(raw) ? raw : [raw]
      for (let index = 0; index < list.length; index++) {
        const item: unknown = list[index]
        if (typeof item !== 'string' && typeof item !== 'number' && typeof item !== 'boolean')
          throw new PolicyShapeError(
            `${path()}.${operator}.${key}[${index}]`,
            'must be a string, number or boolean',
          )
      }
    }
  }
}

/** The clauses of a Condition checkConditions has passed. */
function conditionsOf(value: unknown): readonly ConditionClause[] {
  if (value === undefined) return NO_CONDITIONS
  const clauses: ConditionClause[] = []
  for (const [operator, tests] of Object.entries(value as Record<string, Record<string, unknown>>)) {
    const match = CONDITION_OPERATOR.exec(operator) as RegExpExecArray
    const qualifier = match[1] as ConditionClause['qualifier']
    for (const [key, raw] of Object.entries(tests)) {
      const list: unknown[] = Array.isArray(raw) ? raw : [raw]
      clauses.push({
        operator,
        baseOperator: match[2] as string,
        ifExists: match[3] !== undefined,
        ...(qualifier ? { qualifier } : {}),
        key,
        values: list.map((item) => (typeof item === 'string' ? item : String(item))),
      })
    }
  }
  return clauses
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
