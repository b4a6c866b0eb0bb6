import { runSimulation, type Simulation } from '@cloud-copilot/iam-simulate'

export type Outcome = 'Allowed' | 'ExplicitlyDenied' | 'ImplicitlyDenied'

export interface Request {
  /** The calling principal: a role session's ARN, as Lambda functions call AWS. */
  readonly principal: string
  readonly action: string
  readonly resource: string
  readonly resourceAccount: string
  /** The request context; the simulator fills in none of it, so each key is set here by hand. */
  readonly context: Readonly<Record<string, string | string[]>>
  readonly identityPolicies: readonly unknown[]
  readonly resourcePolicy?: unknown
}

/** The simulator's decision, and the verdict of the identity policies alone. */
export interface Decision {
  readonly outcome: Outcome
  /**
   * What the identity policies decide on their own. The simulator also models IAM's own refusals
   * (it reports writes to `role/aws-reserved/` roles as implicitly denied whatever the policies say);
   * this is how a policy's explicit Deny is seen there.
   */
  readonly identityOutcome: Outcome | undefined
}

/**
 * Asks @cloud-copilot/iam-simulate (a dev dependency; Strict mode: an absent condition key does not
 * match) for AWS's decision on one request. An input the simulator rejects fails the test.
 */
export async function simulate(request: Request): Promise<Decision> {
  const simulation: Simulation = {
    request: {
      principal: request.principal,
      action: request.action,
      resource: { resource: request.resource, accountId: request.resourceAccount },
      contextVariables: { ...request.context },
    },
    identityPolicies: request.identityPolicies.map((policy, index) => ({ name: `policy-${index}`, policy })),
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    ...(request.resourcePolicy === undefined ? {} : { resourcePolicy: request.resourcePolicy }),
  }
  const result = await runSimulation(simulation, { simulationMode: 'Strict' })
  if (result.resultType === 'error') {
    throw new Error(`the simulator rejected the request: ${JSON.stringify(result.errors)}`)
  }
  const identity =
    result.resultType === 'single' ? result.result.analysis?.identityAnalysis?.result : undefined
  return { outcome: result.overallResult, identityOutcome: identity }
}

/** The simulator's overall decision on one request. */
export async function decide(request: Request): Promise<Outcome> {
  return (await simulate(request)).outcome
}

/** The ARN a role's session calls AWS with (`arn:aws:sts::<account>:assumed-role/<name>/<session>`). */
export function sessionArn(roleArn: string, session = 'session'): string {
  const match = /^arn:([^:]+):iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(roleArn)
  if (match === null) throw new Error(`not a role ARN: ${roleArn}`)
  const [, partition, account, name] = match
  return `arn:${partition}:sts::${account}:assumed-role/${name}/${session}`
}
