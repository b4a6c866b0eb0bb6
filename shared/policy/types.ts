/** A policy document parsed once into a normalized, typed form; evaluated many times. */

export type Effect = 'Allow' | 'Deny'

/** `Action`/`NotAction` or `Resource`/`NotResource`: always a list, `negated` for the Not* form. */
export interface ElementList {
  readonly negated: boolean
  readonly values: readonly string[]
}

/** `Principal`/`NotPrincipal` of a resource-based (trust) policy. */
export interface PrincipalElement {
  readonly negated: boolean
  /** `"Principal": "*"` or `{"AWS": "*"}`. */
  readonly any: boolean
  readonly aws: readonly string[]
  readonly service: readonly string[]
  readonly federated: readonly string[]
  readonly canonicalUser: readonly string[]
}

/** One key test of a `Condition` block, e.g. `StringEquals` / `iam:AWSServiceName` / [values]. */
export interface ConditionClause {
  /** Operator as written, e.g. `ForAnyValue:StringLikeIfExists`. */
  readonly operator: string
  /** Operator without set qualifier and `IfExists`, e.g. `StringLike`. */
  readonly baseOperator: string
  readonly ifExists: boolean
  readonly qualifier?: 'ForAnyValue' | 'ForAllValues'
  readonly key: string
  readonly values: readonly string[]
}

export interface PolicyStatement {
  /** Position in the document's `Statement` list. */
  readonly index: number
  readonly sid?: string
  readonly effect: Effect
  readonly action: ElementList
  /** Absent in trust policies. */
  readonly resource?: ElementList
  /** Present only in resource-based (trust) policies. */
  readonly principal?: PrincipalElement
  readonly conditions: readonly ConditionClause[]
}

export interface ParsedPolicy {
  readonly version?: string
  readonly statements: readonly PolicyStatement[]
  /**
   * Set when the parser kept only the statements whose actions can fall in these services
   * (lower-cased prefixes, see `ParseOptions.services`): `statements` then says nothing about
   * an action of another service. Ask `statementsAbout` rather than reading it directly.
   */
  readonly services?: ReadonlySet<string>
}

/** A policy the guard could not read: named, with the JSON path of the problem. */
export interface PolicyIssue {
  /** Policy ARN, or `<principal ARN>#inline/<name>`, or `<role ARN>#trust`. */
  readonly policy: string
  /** Path inside the document, e.g. `Statement[2].Action`; empty for the document itself. */
  readonly path: string
  readonly message: string
}

export type PolicyParseResult =
  | { readonly ok: true; readonly policy: ParsedPolicy }
  | { readonly ok: false; readonly issue: PolicyIssue }

/** Identity policies need `Resource`; trust policies need `Principal` instead. */
export type PolicyKind = 'identity' | 'trust'
