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

/**
 * Parses a policy document (object, JSON string or URL-encoded JSON string) into a
 * `ParsedPolicy`. Never throws: a malformed document yields an issue naming `policyName`
 * and the JSON path of the first problem (`Statement[2].Action`).
 */
export function parsePolicyDocument(input: unknown, policyName: string, kind: PolicyKind): PolicyParseResult {
  const decoded = decodePolicyDocument(input)
  if (!decoded.ok) return { ok: false, issue: { policy: policyName, path: '', message: decoded.message } }
  try {
    return { ok: true, policy: readDocument(decoded.value, kind) }
  } catch (error) {
    if (error instanceof PolicyShapeError) {
      return { ok: false, issue: { policy: policyName, path: error.path, message: error.message } }
    }
    throw error
  }
}

function readDocument(value: unknown, kind: PolicyKind): ParsedPolicy {
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
  const statements = list.map((statement, index) =>
    readStatement(statement, Array.isArray(raw) ? `Statement[${index}]` : 'Statement', index, kind),
  )
  return version === undefined ? { statements } : { version, statements }
}

function readStatement(value: unknown, path: string, index: number, kind: PolicyKind): PolicyStatement {
  if (!isRecord(value)) throw new PolicyShapeError(path, 'a statement must be a JSON object')
  const effect = readEffect(value.Effect, `${path}.Effect`)
  const action = readPair(value, 'Action', 'NotAction', path)
  if (!action) throw new PolicyShapeError(`${path}.Action`, 'a statement needs Action or NotAction')
  const actionKey = value.Action === undefined ? 'NotAction' : 'Action'
  checkActionPatterns(action, Array.isArray(value[actionKey]), `${path}.${actionKey}`)
  const resource = readPair(value, 'Resource', 'NotResource', path)
  const principal = readPrincipalPair(value, path)
  if (kind === 'identity') {
    if (!resource)
      throw new PolicyShapeError(
        `${path}.Resource`,
        'an identity policy statement needs Resource or NotResource',
      )
    if (principal)
      throw new PolicyShapeError(`${path}.Principal`, 'an identity policy cannot name a Principal')
  } else if (!principal) {
    throw new PolicyShapeError(
      `${path}.Principal`,
      'a trust policy statement needs Principal or NotPrincipal',
    )
  }
  const sid = value.Sid
  if (sid !== undefined && typeof sid !== 'string')
    throw new PolicyShapeError(`${path}.Sid`, 'must be a string')
  return {
    index,
    ...(sid === undefined ? {} : { sid }),
    effect,
    action,
    ...(resource ? { resource } : {}),
    ...(principal ? { principal } : {}),
    conditions: readConditions(value.Condition, `${path}.Condition`),
  }
}

/** IAM rejects an action without a service prefix (`support*`); only `*` stands alone. */
function checkActionPatterns(action: ElementList, isList: boolean, path: string): void {
  action.values.forEach((pattern, index) => {
    if (pattern !== '*' && !/^[A-Za-z0-9*?-]+:[^:]*$/.test(pattern)) {
      throw new PolicyShapeError(isList ? `${path}[${index}]` : path, `"${pattern}" is not service:action`)
    }
  })
}

function readEffect(value: unknown, path: string): Effect {
  if (value === 'Allow' || value === 'Deny') return value
  if (value === undefined) throw new PolicyShapeError(path, 'is missing')
  throw new PolicyShapeError(path, `must be "Allow" or "Deny", got ${JSON.stringify(value)}`)
}

function readPair(
  record: Record<string, unknown>,
  plain: string,
  not: string,
  path: string,
): ElementList | undefined {
  const hasPlain = record[plain] !== undefined
  const hasNot = record[not] !== undefined
  if (hasPlain && hasNot) throw new PolicyShapeError(`${path}.${not}`, `cannot be combined with ${plain}`)
  if (!hasPlain && !hasNot) return undefined
  const key = hasPlain ? plain : not
  return { negated: hasNot, values: readStrings(record[key], `${path}.${key}`) }
}

function readStrings(value: unknown, path: string): string[] {
  const list = Array.isArray(value) ? value : [value]
  if (list.length === 0) throw new PolicyShapeError(path, 'must not be empty')
  return list.map((item, index) => {
    if (typeof item !== 'string' || item.length === 0) {
      throw new PolicyShapeError(
        Array.isArray(value) ? `${path}[${index}]` : path,
        'must be a non-empty string',
      )
    }
    return item
  })
}

function readPrincipalPair(record: Record<string, unknown>, path: string): PrincipalElement | undefined {
  const hasPlain = record.Principal !== undefined
  const hasNot = record.NotPrincipal !== undefined
  if (hasPlain && hasNot)
    throw new PolicyShapeError(`${path}.NotPrincipal`, 'cannot be combined with Principal')
  if (!hasPlain && !hasNot) return undefined
  const key = hasPlain ? 'Principal' : 'NotPrincipal'
  const value = record[key]
  const at = `${path}.${key}`
  if (value === '*')
    return { negated: hasNot, any: true, aws: [], service: [], federated: [], canonicalUser: [] }
  if (!isRecord(value)) throw new PolicyShapeError(at, 'must be "*" or an object such as {"AWS": [...]}')
  const known = new Set(['AWS', 'Service', 'Federated', 'CanonicalUser'])
  for (const name of Object.keys(value)) {
    if (!known.has(name)) throw new PolicyShapeError(`${at}.${name}`, 'unknown principal type')
  }
  const aws = value.AWS === undefined ? [] : readStrings(value.AWS, `${at}.AWS`)
  return {
    negated: hasNot,
    any: aws.includes('*'),
    aws: aws.filter((entry) => entry !== '*'),
    service: value.Service === undefined ? [] : readStrings(value.Service, `${at}.Service`),
    federated: value.Federated === undefined ? [] : readStrings(value.Federated, `${at}.Federated`),
    canonicalUser:
      value.CanonicalUser === undefined ? [] : readStrings(value.CanonicalUser, `${at}.CanonicalUser`),
  }
}

const OPERATOR = /^(?:(ForAnyValue|ForAllValues):)?([A-Za-z]+?)(IfExists)?$/

function readConditions(value: unknown, path: string): ConditionClause[] {
  if (value === undefined) return []
  if (!isRecord(value)) throw new PolicyShapeError(path, 'must be an object of operators')
  const clauses: ConditionClause[] = []
  for (const [operator, tests] of Object.entries(value)) {
    const match = OPERATOR.exec(operator)
    const baseOperator = match?.[2]
    if (!match || !baseOperator)
      throw new PolicyShapeError(`${path}.${operator}`, 'is not a condition operator')
    if (!isRecord(tests))
      throw new PolicyShapeError(`${path}.${operator}`, 'must be an object of condition keys')
    const qualifier = match[1] as ConditionClause['qualifier']
    for (const [key, raw] of Object.entries(tests)) {
      const list = Array.isArray(raw) ? raw : [raw]
      const values = list.map((item, index) => {
        if (typeof item === 'string') return item
        if (typeof item === 'number' || typeof item === 'boolean') return String(item)
        throw new PolicyShapeError(
          `${path}.${operator}.${key}[${index}]`,
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
