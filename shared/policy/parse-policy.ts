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
    const statement = readStatement(value, listed ? index : UNLISTED, kind)
    if (!services || canConcern(statement.action, services)) statements.push(statement)
  })
  // Literals, not a spread of one into another: a spread would give each policy a hidden
  // class of its own.
  if (services) return version === undefined ? { statements, services } : { version, statements, services }
  return version === undefined ? { statements } : { version, statements }
}

/**
 * Whether an action list can name an action of one of `services`: a NotAction, `*`, a
 * wildcard in the service prefix, or a pattern of one of them. Patterns are `service:action`
 * here: the parser has checked them.
 */
function canConcern(action: ElementList, services: ReadonlySet<string>): boolean {
  if (action.negated) return true
  for (const pattern of action.values) {
    const colon = pattern.indexOf(':')
    if (colon < 0) return true
    const service = pattern.slice(0, colon).toLowerCase()
    if (service.includes('*') || service.includes('?') || services.has(service)) return true
  }
  return false
}

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

function readStatement(value: unknown, at: StatementAt, kind: PolicyKind): PolicyStatement {
  const index = at === UNLISTED ? 0 : at
  if (!isRecord(value)) throw new PolicyShapeError(pathOf(at), 'a statement must be a JSON object')
  const effect = readEffect(value.Effect, at)
  const action = readPair(value, 'Action', 'NotAction', at)
  if (!action) throw new PolicyShapeError(pathOf(at, 'Action'), 'a statement needs Action or NotAction')
  checkActionPatterns(action, value, at)
  const resource = readPair(value, 'Resource', 'NotResource', at)
  const principal = readPrincipalPair(value, at)
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
  // One literal: V8 gives it its fields in the object itself (set one by one, they would
  // spill into a separate property store per statement).
  return {
    index,
    ...(sid === undefined ? {} : { sid }),
    effect,
    action,
    ...(resource ? { resource } : {}),
    ...(principal ? { principal } : {}),
    conditions: readConditions(value.Condition, at),
  }
}

/** IAM rejects an action without a service prefix (`support*`); only `*` stands alone. */
function checkActionPatterns(action: ElementList, statement: Record<string, unknown>, at: StatementAt): void {
  const key = action.negated ? 'NotAction' : 'Action'
  const isList = Array.isArray(statement[key])
  action.values.forEach((pattern, index) => {
    if (pattern !== '*' && !/^[A-Za-z0-9*?-]+:[^:]*$/.test(pattern)) {
      throw new PolicyShapeError(
        isList ? `${pathOf(at, key)}[${index}]` : pathOf(at, key),
        `"${pattern}" is not service:action`,
      )
    }
  })
}

function readEffect(value: unknown, at: StatementAt): Effect {
  if (value === 'Allow' || value === 'Deny') return value
  if (value === undefined) throw new PolicyShapeError(pathOf(at, 'Effect'), 'is missing')
  throw new PolicyShapeError(pathOf(at, 'Effect'), `must be "Allow" or "Deny", got ${JSON.stringify(value)}`)
}

function readPair(
  record: Record<string, unknown>,
  plain: string,
  not: string,
  at: StatementAt,
): ElementList | undefined {
  const hasPlain = record[plain] !== undefined
  const hasNot = record[not] !== undefined
  if (hasPlain && hasNot) throw new PolicyShapeError(pathOf(at, not), `cannot be combined with ${plain}`)
  if (!hasPlain && !hasNot) return undefined
  const key = hasPlain ? plain : not
  return { negated: hasNot, values: readStrings(record[key], at, key) }
}

/** The strings of `field` (`Action`, `Principal.AWS`) of the statement at `at`. */
function readStrings(value: unknown, at: StatementAt, field: string): string[] {
  const list = Array.isArray(value) ? value : [value]
  if (list.length === 0) throw new PolicyShapeError(pathOf(at, field), 'must not be empty')
  return list.map((item, index) => {
    if (typeof item !== 'string' || item.length === 0) {
      throw new PolicyShapeError(
        Array.isArray(value) ? `${pathOf(at, field)}[${index}]` : pathOf(at, field),
        'must be a non-empty string',
      )
    }
    return item
  })
}

const PRINCIPAL_TYPES: ReadonlySet<string> = new Set(['AWS', 'Service', 'Federated', 'CanonicalUser'])

function readPrincipalPair(record: Record<string, unknown>, at: StatementAt): PrincipalElement | undefined {
  const hasPlain = record.Principal !== undefined
  const hasNot = record.NotPrincipal !== undefined
  if (hasPlain && hasNot)
    throw new PolicyShapeError(pathOf(at, 'NotPrincipal'), 'cannot be combined with Principal')
  if (!hasPlain && !hasNot) return undefined
  const key = hasPlain ? 'Principal' : 'NotPrincipal'
  const value = record[key]
  if (value === '*')
    return { negated: hasNot, any: true, aws: [], service: [], federated: [], canonicalUser: [] }
  if (!isRecord(value))
    throw new PolicyShapeError(pathOf(at, key), 'must be "*" or an object such as {"AWS": [...]}')
  for (const name of Object.keys(value)) {
    if (!PRINCIPAL_TYPES.has(name))
      throw new PolicyShapeError(`${pathOf(at, key)}.${name}`, 'unknown principal type')
  }
  const aws = value.AWS === undefined ? [] : readStrings(value.AWS, at, `${key}.AWS`)
  return {
    negated: hasNot,
    any: aws.includes('*'),
    aws: aws.filter((entry) => entry !== '*'),
    service: value.Service === undefined ? [] : readStrings(value.Service, at, `${key}.Service`),
    federated: value.Federated === undefined ? [] : readStrings(value.Federated, at, `${key}.Federated`),
    canonicalUser:
      value.CanonicalUser === undefined ? [] : readStrings(value.CanonicalUser, at, `${key}.CanonicalUser`),
  }
}

const OPERATOR = /^(?:(ForAnyValue|ForAllValues):)?([A-Za-z]+?)(IfExists)?$/

/** Statements without conditions share this list: nothing ever changes a parsed statement. */
const NO_CONDITIONS: readonly ConditionClause[] = Object.freeze([])

function readConditions(value: unknown, at: StatementAt): readonly ConditionClause[] {
  if (value === undefined) return NO_CONDITIONS
  const path = () => pathOf(at, 'Condition')
  if (!isRecord(value)) throw new PolicyShapeError(path(), 'must be an object of operators')
  const clauses: ConditionClause[] = []
  for (const [operator, tests] of Object.entries(value)) {
    const match = OPERATOR.exec(operator)
    const baseOperator = match?.[2]
    if (!match || !baseOperator)
      throw new PolicyShapeError(`${path()}.${operator}`, 'is not a condition operator')
    if (!isRecord(tests))
      throw new PolicyShapeError(`${path()}.${operator}`, 'must be an object of condition keys')
    const qualifier = match[1] as ConditionClause['qualifier']
    for (const [key, raw] of Object.entries(tests)) {
      const list = Array.isArray(raw) ? raw : [raw]
      const values = list.map((item, index) => {
        if (typeof item === 'string') return item
        if (typeof item === 'number' || typeof item === 'boolean') return String(item)
        throw new PolicyShapeError(
          `${path()}.${operator}.${key}[${index}]`,
          'must be a string, number or boolean',
        )
      })
      clauses.push({
        operator,
        baseOperator,
        ifExists: match[3] !== undefined,
        ...(qualifier ? { qualifier } : {}),
        key,
        values,
      })
    }
  }
  return clauses
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
