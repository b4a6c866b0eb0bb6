import { CATALOG_NAMESPACES, findCatalogAction, isCatalogNamespace } from '#shared/catalog/catalog.ts'
import {
  SUPPORT_ACTIONS,
  SUPPORT_APP_FULL_ACTIONS,
  SUPPORT_APP_SLR_SERVICE,
  SUPPORT_CONSOLE_ACTIONS,
} from '#shared/catalog/support-actions.ts'

/** One thing the evaluator decides for every principal: may it call `action` (in `context`)? */
export interface Question {
  /** `support:CreateCase`, or `action@variant` for a question asked in a specific context. */
  readonly key: string
  /** Canonical catalog name. */
  readonly action: string
  readonly actionLower: string
  /** The action accepts resource ARNs; otherwise its requests are on `*`. */
  readonly resourceLevel: boolean
  /** A concrete resource the request names; absent means "any resource the action accepts". */
  readonly resource?: string
  /** Request context the guard knows for this question (condition key, lower-cased → value). */
  readonly context: ReadonlyMap<string, string>
}

export interface QuestionSet {
  readonly questions: readonly Question[]
  readonly indexByKey: ReadonlyMap<string, number>
  /** Question indexes by lower-cased service prefix: a statement about `s3:` skips them all. */
  readonly indexesByNamespace: ReadonlyMap<string, readonly number[]>
}

export interface QuestionSpec {
  readonly action: string
  readonly variant?: string
  readonly resource?: string
  readonly context?: Readonly<Record<string, string>>
}

/** Builds a question set; unknown actions are a programming error, so they throw. */
export function buildQuestionSet(specs: readonly QuestionSpec[]): QuestionSet {
  const questions: Question[] = []
  const indexByKey = new Map<string, number>()
  for (const spec of specs) {
    const entry = findCatalogAction(spec.action) ?? outsideCatalog(spec.action)
    if (!entry) throw new Error(`unknown action in question set: ${spec.action}`)
    const key = spec.variant ? `${entry.name}@${spec.variant}` : entry.name
    if (indexByKey.has(key)) continue
    indexByKey.set(key, questions.length)
    questions.push({
      key,
      action: entry.name,
      actionLower: entry.name.toLowerCase(),
      resourceLevel: entry.resourceLevel,
      ...(spec.resource === undefined ? {} : { resource: spec.resource }),
      context: new Map(
        Object.entries(spec.context ?? {}).map(([name, value]) => [name.toLowerCase(), value]),
      ),
    })
  }
  const indexesByNamespace = new Map<string, number[]>()
  questions.forEach((question, index) => {
    const namespace = question.actionLower.slice(0, question.actionLower.indexOf(':'))
    indexesByNamespace.set(namespace, [...(indexesByNamespace.get(namespace) ?? []), index])
  })
  return { questions, indexByKey, indexesByNamespace }
}

/** `iam:CreateServiceLinkedRole` as the Support App may use it (Service Quotas only). */
export const SLR_FOR_SERVICE_QUOTAS = `iam:CreateServiceLinkedRole@${SUPPORT_APP_SLR_SERVICE}`
/** `iam:CreateServiceLinkedRole` for some other service: allowed means "unscoped". */
export const SLR_FOR_OTHER_SERVICE = 'iam:CreateServiceLinkedRole@other-service'
/** Any `sts:AssumeRole` permission at all (resource-scoped ones are settled per role later). */
export const ASSUME_ROLE = 'sts:AssumeRole'

/**
 * The questions of a full audit: every `support:` and `support-console:` action (the Support
 * Center console needs the latter besides `support:`), every action the Support App needs,
 * `iam:CreateServiceLinkedRole` for Service Quotas and for another service, and
 * `sts:AssumeRole` for reachability.
 */
export const AUDIT_QUESTIONS: QuestionSet = buildQuestionSet([
  ...SUPPORT_ACTIONS.map((action) => ({ action })),
  ...SUPPORT_CONSOLE_ACTIONS.map((action) => ({ action })),
  ...SUPPORT_APP_FULL_ACTIONS.map((action) => ({ action })),
  {
    action: 'iam:CreateServiceLinkedRole',
    variant: SUPPORT_APP_SLR_SERVICE,
    context: { 'iam:AWSServiceName': SUPPORT_APP_SLR_SERVICE },
  },
  {
    action: 'iam:CreateServiceLinkedRole',
    variant: 'other-service',
    context: { 'iam:AWSServiceName': 'ec2.amazonaws.com' },
  },
  { action: ASSUME_ROLE },
])

/**
 * An action of a service the catalog does not cover (`s3:GetObject`): asked as written. The
 * catalog cannot say which resources it accepts, so it is treated as resource-level: a grant
 * on `*` allows, a grant on some ARNs is `conditional` (allowed for those resources only).
 */
function outsideCatalog(action: string): { name: string; resourceLevel: boolean } | undefined {
  const namespace = action.slice(0, action.indexOf(':'))
  if (!/^[a-z0-9-]+:[A-Za-z0-9]+$/.test(action) || isCatalogNamespace(namespace)) return undefined
  return { name: action, resourceLevel: true }
}

const servicesByQuestions = new WeakMap<QuestionSet, ReadonlySet<string>>()

/**
 * The services whose statements an evaluation of `questions` keeps (see evaluateAccount): those
 * of the questions' actions, and every service of the catalog, which posture rules ask about
 * beyond the audit's questions (all a Support App role may do). Lower-cased prefixes; one set
 * per question set.
 */
export function servicesOf(questions: QuestionSet): ReadonlySet<string> {
  let services = servicesByQuestions.get(questions)
  if (!services) {
    services = new Set([...CATALOG_NAMESPACES, ...questions.indexesByNamespace.keys()])
    servicesByQuestions.set(questions, services)
  }
  return services
}

/** The lower-cased service prefix of a question's action: `sts` for `sts:AssumeRole`. */
export function serviceOf(question: Question): string {
  return question.actionLower.slice(0, question.actionLower.indexOf(':'))
}
