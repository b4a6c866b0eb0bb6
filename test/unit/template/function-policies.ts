import { type CfnTemplate, isRecord } from '#test-support/template/template.ts'

/** One statement of a function's inline policies, as written in the template. */
export interface TemplateStatement {
  readonly sid: string | undefined
  readonly effect: string
  readonly actions: string[]
  readonly resources: unknown[]
  readonly condition: unknown
}

export function toArray(value: unknown): unknown[] {
  if (value === undefined) return []
  return Array.isArray(value) ? value : [value]
}

export function asRecord(value: unknown): Record<string, unknown> {
  return isRecord(value) ? value : {}
}

/** The Fn::GetAtt / Ref target of an intrinsic, e.g. `{ 'Fn::GetAtt': ['Queue', 'Arn'] }` -> `Queue`. */
export function referencedId(value: unknown): string | undefined {
  const intrinsic = asRecord(value)
  if (typeof intrinsic.Ref === 'string') return intrinsic.Ref
  const getAtt = intrinsic['Fn::GetAtt']
  return Array.isArray(getAtt) && typeof getAtt[0] === 'string' ? getAtt[0] : undefined
}

export function resourceProperties(template: CfnTemplate, logicalId: string): Record<string, unknown> {
  const found = template.Resources[logicalId]
  if (found === undefined) throw new Error(`no resource ${logicalId}`)
  return asRecord(found.Properties)
}

/** The inline policy documents of a function (its `Policies` property). */
export function functionPolicies(template: CfnTemplate, logicalId: string): Record<string, unknown>[] {
  return toArray(resourceProperties(template, logicalId).Policies).map(asRecord)
}

/**
 * A statement as the sample stack (an organisation's central guard) gets it: one wrapped in
 * `!If [Condition, statement, !Ref AWS::NoValue]` is the organisation's, so its first branch.
 */
export function unwrapConditional(raw: unknown): unknown {
  const choice = asRecord(raw)['Fn::If']
  return Array.isArray(choice) ? choice[1] : raw
}

export function functionStatements(template: CfnTemplate, logicalId: string): TemplateStatement[] {
  return functionPolicies(template, logicalId).flatMap((policy) =>
    toArray(policy.Statement).map((raw) => {
      const statement = asRecord(unwrapConditional(raw))
      return {
        sid: typeof statement.Sid === 'string' ? statement.Sid : undefined,
        effect: String(statement.Effect),
        actions: toArray(statement.Action).map(String),
        resources: toArray(statement.Resource),
        condition: statement.Condition,
      }
    }),
  )
}

export function functionEnvironment(template: CfnTemplate, logicalId: string): Record<string, unknown> {
  return asRecord(asRecord(resourceProperties(template, logicalId).Environment).Variables)
}
