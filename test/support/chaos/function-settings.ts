import { type CfnTemplate, isRecord, listTemplateFunctions } from '../template/template.ts'

/** Lambda's timeout when neither the function nor Globals set one. */
const LAMBDA_DEFAULT_TIMEOUT_SECONDS = 3

/** What the template says about a function's execution. */
export interface FunctionSettings {
  readonly timeoutMs: number
  /**
   * `ReservedConcurrentExecutions` with the parameters' defaults: a number, a `!Ref` to a number
   * parameter, or an `!If` whose branch reserving a positive number is taken; undefined otherwise.
   */
  readonly reservedConcurrency: number | undefined
}

/** Timeout and reserved concurrency of each function of the template, by logical ID. */
export function readFunctionSettings(template: CfnTemplate): Map<string, FunctionSettings> {
  const globals =
    isRecord(template.Globals) && isRecord(template.Globals.Function) ? template.Globals.Function : {}
  const settings = new Map<string, FunctionSettings>()
  for (const fn of listTemplateFunctions(template)) {
    const resolve = (value: unknown) => resolveNumber(template, value)
    const timeout = resolve(fn.properties.Timeout) ?? resolve(globals.Timeout)
    const reserved =
      resolve(fn.properties.ReservedConcurrentExecutions) ?? resolve(globals.ReservedConcurrentExecutions)
    settings.set(fn.logicalId, {
      timeoutMs: (timeout ?? LAMBDA_DEFAULT_TIMEOUT_SECONDS) * 1000,
      reservedConcurrency: reserved,
    })
  }
  return settings
}

/**
 * A number; a `!Ref` to a parameter whose default is a number; the first branch of an `!If` that
 * resolves to a positive number, else its second (conditions are not evaluated: a branch of 0
 * stands for "none"). Undefined for anything else, `AWS::NoValue` included.
 */
function resolveNumber(template: CfnTemplate, value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined
  if (!isRecord(value)) return undefined
  if (typeof value.Ref === 'string') {
    const parameters = isRecord(template.Parameters) ? template.Parameters : {}
    const parameter = parameters[value.Ref]
    const fallback = isRecord(parameter) ? parameter.Default : undefined
    const number = typeof fallback === 'string' ? Number(fallback) : fallback
    return typeof number === 'number' && Number.isFinite(number) ? number : undefined
  }
  const branches = value['Fn::If']
  if (Array.isArray(branches)) {
    const chosen = resolveNumber(template, branches[1])
    return chosen !== undefined && chosen > 0 ? chosen : resolveNumber(template, branches[2])
  }
  return undefined
}
